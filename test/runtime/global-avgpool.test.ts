// Global average pooling, added as one layer file plus table rows: values by hand (what PyTorch's
// AdaptiveAvgPool2d(1) gives), a float64 gradient check of the pair and through a net, its shape and
// receptive field, and the language lowering `globalavgpool` to it.
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { globalAvgpoolBackward, globalAvgpoolForward } from '../../runtime/layers/global-avgpool.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { inferShapes } from '../../runtime/shapes.js';
import type { LayerSpec, ModelSpec } from '../../runtime/spec.js';
import { gradError, project, randn } from './gradcheck-util.js';

const zero = { mode: 'zero' as const, top: 0, bottom: 0, left: 0, right: 0 };

describe('globalavgpool by hand', () => {
  it('each channel becomes the mean of its map; backward spreads dy/(H·W)', () => {
    // n = 2, c = 2, 2×3 maps holding 0..23: means 2.5, 8.5, 14.5, 20.5 (torch.arange(24.).view(2,2,2,3).mean((2,3))).
    const x = Float64Array.from({ length: 24 }, (_, i) => i);
    const y = new Float64Array(4);
    globalAvgpoolForward(y, x, 2, 2, 6);
    expect(Array.from(y)).toEqual([2.5, 8.5, 14.5, 20.5]);
    const dx = new Float64Array(24).fill(NaN);
    globalAvgpoolBackward(dx, new Float64Array([6, 12, -6, 0]), 2, 2, 6);
    expect(Array.from(dx)).toEqual([...Array(6).fill(1), ...Array(6).fill(2), ...Array(6).fill(-1), ...Array(6).fill(0)]);
  });

  it('float64 central-difference check of the pair', () => {
    const n = 3,
      c = 4,
      plane = 5 * 7;
    const x = randn(n * c * plane, 11),
      r = randn(n * c, 12);
    const y = new Float64Array(n * c);
    const f = () => {
      globalAvgpoolForward(y, x, n, c, plane);
      return project(y, r, y.length);
    };
    const dx = new Float64Array(x.length);
    globalAvgpoolBackward(dx, r, n, c, plane);
    expect(gradError(f, x, dx)).toBeLessThan(1e-6);
  });
});

describe('globalavgpool in a net', () => {
  const layers: LayerSpec[] = [
    { kind: 'conv2d', name: 'c1', filters: 3, kernel: [3, 3], stride: [2, 2], padding: zero, activation: 'tanh', init: 'he' },
    { kind: 'globalavgpool', name: 'gap1' },
    { kind: 'dense', name: 'out', units: 4, activation: 'softmax', init: 'glorot' },
  ];
  const spec: ModelSpec = { name: 'g', input: { c: 2, h: 9, w: 7 }, layers, loss: 'cross_entropy', frozen: [] };

  it('gives C×1×1, no parameters, and a receptive field over the whole last map', () => {
    const r = inferShapes(spec);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // conv 3×3 stride 2 on 9×7 → 4×3; its outputs see 3×3, one step = 2 pixels: (3 + 3·2) × (3 + 2·2).
    expect(r.layers[1]).toMatchObject({ kind: 'globalavgpool', out: { c: 3, h: 1, w: 1 }, params: 0, receptive: [9, 7] });
  });

  it('passes the network gradient check (float64, every parameter)', () => {
    const net = createNet(spec, { dtype: 'float64', rng: createRng(5) });
    const x = randn(2 * 2 * 9 * 7, 6);
    const t = new Int32Array([1, 3]);
    const run = () => {
      net.forward(x, 2, 'train');
      return net.backward(t, 0);
    };
    net.zeroGrad();
    net.forward(x, 2, 'train');
    net.backward(t, 1);
    const g = Float64Array.from(net.gradBuf);
    expect(gradError(run, net.paramBuf as Float64Array, g)).toBeLessThan(1e-6);
  });

  it('is written globalavgpool in the language, named gap1', () => {
    const r = compile('model m(input: 28x28x1) {\n  conv 10 relu\n  globalavgpool\n  softmax\n}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.program.statements.find((s) => s.kind === 'model');
    expect(m?.kind === 'model' && m.spec.layers[1]).toEqual({ kind: 'globalavgpool', name: 'gap1' });
    expect(r.warnings).toEqual([]);
  });
});
