// Net.backward's optional trace: every layer's output gradient and the input gradient, checked in
// float64 against central differences of the loss, and no change to the parameter gradients.
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { GradTrace } from '../../runtime/types.js';

const spec: ModelSpec = {
  name: 't',
  input: { c: 1, h: 6, w: 6 },
  loss: 'cross_entropy',
  frozen: [],
  layers: [
    {
      kind: 'conv2d',
      name: 'conv1',
      filters: 2,
      kernel: [3, 3],
      stride: [1, 1],
      padding: { mode: 'zero', top: 1, bottom: 1, left: 1, right: 1 },
      activation: 'tanh',
      init: 'he',
    },
    { kind: 'avgpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'dense', name: 'dense1', units: 3, activation: 'softmax', init: 'he' },
  ],
};

describe('backward trace', () => {
  const rng = createRng(5);
  const x = Float64Array.from({ length: 36 }, () => rng.next());
  const net = createNet(spec, { dtype: 'float64', rng: createRng(1) });
  const loss = (xs: Float64Array) => -Math.log(net.forward(xs, 1, 'eval')[2]);

  it('records ∂L/∂x for the input, equal to a central difference', () => {
    net.forward(x, 1, 'eval');
    const trace: GradTrace = new Map();
    net.zeroGrad();
    net.backward(Int32Array.of(2), 1, trace);
    const dx = trace.get('input')!;
    expect(dx).toHaveLength(36);
    for (const k of [0, 7, 14, 35]) {
      const up = x.slice(),
        down = x.slice();
      up[k] += 1e-6;
      down[k] -= 1e-6;
      expect(dx[k]).toBeCloseTo((loss(up) - loss(down)) / 2e-6, 7);
    }
    expect([...trace.keys()].sort()).toEqual(['conv1', 'dense1', 'input', 'pool1']);
    expect(trace.get('pool1')).toHaveLength(2 * 3 * 3);
  });

  it('leaves the parameter gradients as an untraced backward makes them', () => {
    net.forward(x, 1, 'eval');
    net.zeroGrad();
    net.backward(Int32Array.of(2), 1);
    const plain = net.gradBuf.slice();
    net.forward(x, 1, 'eval');
    net.zeroGrad();
    net.backward(Int32Array.of(2), 1, new Map());
    expect(Array.from(net.gradBuf)).toEqual(Array.from(plain));
  });
});
