// createNet's contract: parameter layout and flags, supplied buffers, batch growth, activations,
// gradient accumulation, batch-norm state, determinism of init.
import { describe, expect, it } from 'vitest';
import { createNet, forwardBatched, paramCount, stateCount } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';

const zero = { mode: 'zero' as const, top: 0, bottom: 0, left: 0, right: 0 };
const spec: ModelSpec = {
  name: 'small',
  input: { c: 1, h: 8, w: 8 },
  loss: 'cross_entropy',
  frozen: [],
  layers: [
    { kind: 'conv2d', name: 'conv1', filters: 4, kernel: [3, 3], stride: [1, 1], padding: zero, activation: 'relu', init: 'he' },
    { kind: 'batchnorm', name: 'bn', momentum: 0.1, eps: 1e-5 },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'dropout', name: 'drop', rate: 0.25 },
    { kind: 'dense', name: 'out', units: 3, activation: 'softmax', init: 'glorot' },
  ],
};

function input(n: number, seed: number): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n * 64 }, () => r.next());
}

describe('createNet', () => {
  it('lays out parameters in spec order with decay on weights only', () => {
    const net = createNet(spec);
    expect(net.params.map((p) => [p.name, p.shape, p.offset, p.decay])).toEqual([
      ['conv1.weight', [4, 1, 3, 3], 0, true],
      ['conv1.bias', [4], 36, false],
      ['bn.gamma', [4], 40, false],
      ['bn.beta', [4], 44, false],
      ['out.weight', [3, 36], 48, true],
      ['out.bias', [3], 156, false],
    ]);
    expect(paramCount(spec)).toBe(159);
    expect(net.paramBuf.length).toBe(159);
    expect(stateCount(spec)).toBe(8);
    expect(Array.from(net.stateBuf)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(net.params[0].value.buffer).toBe(net.paramBuf.buffer);
    expect(Array.from(net.params[1].value)).toEqual([0, 0, 0, 0]);
    expect(Array.from(net.params[2].value)).toEqual([1, 1, 1, 1]);
    expect(net.info.map((l) => l.out.c)).toEqual([4, 4, 4, 4, 3]);
  });

  it('initialises deterministically from the rng, per layer', () => {
    const a = createNet(spec, { rng: createRng(3) }),
      b = createNet(spec, { rng: createRng(3) }),
      c = createNet(spec, { rng: createRng(4) });
    expect(Array.from(a.paramBuf)).toEqual(Array.from(b.paramBuf));
    expect(Array.from(a.paramBuf)).not.toEqual(Array.from(c.paramBuf));
  });

  it('works over supplied (shared) buffers: replicas see each other’s parameter updates', () => {
    const n = paramCount(spec);
    const shared = new Float32Array(new SharedArrayBuffer(n * 4));
    shared.set(createNet(spec).paramBuf);
    const r1 = createNet(spec, { params: shared }),
      r2 = createNet(spec, { params: shared });
    const x = input(2, 1);
    const before = Array.from(r2.forward(x, 2, 'eval'));
    r1.params[4].value[0] += 1; // out.weight[0, 0]
    expect(Array.from(r2.forward(x, 2, 'eval'))).not.toEqual(before);
    expect(() => createNet(spec, { params: new Float32Array(n - 1) })).toThrow(/159/);
  });

  it('handles batches of any size, growing and reusing its buffers', () => {
    const net = createNet(spec, { dtype: 'float64' });
    const x = input(5, 2);
    const x64 = Float64Array.from(x);
    const all = Array.from(net.forward(x64, 5, 'eval'));
    expect(all.length).toBe(15);
    const one = Array.from(net.forward(x64.subarray(64, 128), 1, 'eval'));
    for (let k = 0; k < 3; k++) expect(one[k]).toBeCloseTo(all[3 + k], 12);
    const big = Array.from(net.forward(Float64Array.from(input(9, 2)), 9, 'eval'));
    expect(
      big
        .slice(0, 15)
        .map((v, i) => v - all[i])
        .every((d) => Math.abs(d) < 1e-12),
    ).toBe(true);
    const batched = forwardBatched(net, x64, 5, 2);
    expect(Array.from(batched).map((v, i) => Math.abs(v - all[i]) < 1e-12)).toEqual(all.map(() => true));
    // Probabilities: each row sums to 1.
    for (let i = 0; i < 5; i++) expect(all[3 * i] + all[3 * i + 1] + all[3 * i + 2]).toBeCloseTo(1, 12);
  });

  it('exposes each layer’s output with its shape', () => {
    const net = createNet(spec);
    net.forward(input(2, 3), 2, 'eval');
    const a = net.activation('conv1');
    expect(a.shape).toEqual([2, 4, 6, 6]);
    expect(a.data.length).toBe(2 * 4 * 36);
    expect(Array.from(a.data).every((v) => v >= 0)).toBe(true); // after relu
    expect(net.activation('pool1').shape).toEqual([2, 4, 3, 3]);
    expect(net.activation('out').shape).toEqual([2, 3, 1, 1]);
    expect(() => net.activation('nope')).toThrow(/nope/);
  });

  it('accumulates scaled gradients and returns the unscaled summed loss', () => {
    const net = createNet(spec, { dtype: 'float64' });
    const x = Float64Array.from(input(4, 4));
    const t = new Int32Array([0, 1, 2, 1]);
    net.zeroGrad();
    net.forward(x, 4, 'train', createRng(1));
    const loss = net.backward(t, 0.25);
    const g1 = Float64Array.from(net.gradBuf);
    net.forward(x, 4, 'train', createRng(1));
    const loss2 = net.backward(t, 0.25);
    expect(loss2).toBeCloseTo(loss, 12);
    expect(net.gradBuf.every((v, i) => Math.abs(v - 2 * g1[i]) < 1e-12)).toBe(true);
    const out = net.forward(x, 4, 'train', createRng(1));
    let ce = 0;
    for (let i = 0; i < 4; i++) ce -= Math.log(out[3 * i + t[i]]);
    expect(loss).toBeCloseTo(ce, 9);
    net.zeroGrad();
    expect(net.gradBuf.every((v) => v === 0)).toBe(true);
    expect(() => net.backward(new Int32Array(3), 1)).toThrow(/3 targets for 4 examples/);
    expect(() => net.backward(new Int32Array([0, 1, 7, 1]), 1)).toThrow(/target 7/);
  });

  it('updates batch-norm running stats in train mode only and uses them in eval', () => {
    const net = createNet(spec, { dtype: 'float64' });
    const x = Float64Array.from(input(3, 5));
    net.forward(x, 3, 'eval');
    expect(Array.from(net.stateBuf)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    net.forward(x, 3, 'train', createRng(0));
    const after = Array.from(net.stateBuf);
    expect(after.slice(0, 4).some((v) => v !== 0)).toBe(true);
    // Batch statistics make train-mode bn output zero-mean per channel; eval with running stats does not.
    const bn = net.activation('bn').data;
    let s = 0;
    for (let i = 0; i < 3; i++) for (let p = 0; p < 36; p++) s += bn[i * 144 + p];
    expect(Math.abs(s / 108)).toBeLessThan(1e-9);
  });

  it('rejects specs whose shapes do not work out', () => {
    expect(() => createNet({ ...spec, input: { c: 1, h: 2, w: 2 } })).toThrow(/conv1/);
  });
});
