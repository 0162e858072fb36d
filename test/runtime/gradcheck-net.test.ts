// End-to-end float64 gradient checks through createNet: every parameter of small networks,
// including the fused softmax + cross-entropy path, MSE, batch-norm, dropout and replicate padding.
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { LayerSpec, ModelSpec } from '../../runtime/spec.js';
import { gradError, randn } from './gradcheck-util.js';

const pad = (top: number, bottom: number, left: number, right: number, mode: 'zero' | 'replicate' = 'zero') => ({
  mode,
  top,
  bottom,
  left,
  right,
});

function check(spec: ModelSpec, n: number, targets: Int32Array | Float64Array, withRng: boolean, mode: 'train' | 'eval' = 'train') {
  const net = createNet(spec, { dtype: 'float64', rng: createRng(42) });
  // Non-trivial running statistics for eval mode.
  for (let i = 0; i < net.stateBuf.length; i++) net.stateBuf[i] = 0.5 + 0.25 * Math.sin(i + 1);
  const { c, h, w } = spec.input;
  const x = randn(n * c * h * w, 3);
  // The same rng seed on every forward gives dropout the same mask each time.
  const run = () => {
    net.forward(x, n, mode, withRng ? createRng(9) : undefined);
    if (mode === 'train') net.stateBuf.set(state);
    return net.backward(targets, 0);
  };
  const state = net.stateBuf.slice();
  net.zeroGrad();
  net.forward(x, n, mode, withRng ? createRng(9) : undefined);
  net.stateBuf.set(state);
  const loss = net.backward(targets, 1);
  expect(Number.isFinite(loss)).toBe(true);
  const grads = Float64Array.from(net.gradBuf);
  const err = gradError(run, net.paramBuf as Float64Array, grads);
  return { err, loss };
}

describe('network gradient check (float64)', () => {
  it('conv→relu→maxpool→conv→avgpool→dense→softmax with cross-entropy, all parameters', () => {
    const layers: LayerSpec[] = [
      { kind: 'conv2d', name: 'c1', filters: 3, kernel: [3, 3], stride: [1, 1], padding: pad(1, 1, 1, 1), activation: 'relu', init: 'he' },
      { kind: 'maxpool', name: 'p1', size: [2, 2], stride: [2, 2] },
      {
        kind: 'conv2d',
        name: 'c2',
        filters: 4,
        kernel: [2, 3],
        stride: [1, 1],
        padding: pad(0, 1, 1, 1),
        activation: 'linear',
        init: 'glorot',
      },
      { kind: 'avgpool', name: 'p2', size: [2, 2], stride: [1, 1] },
      { kind: 'dense', name: 'd1', units: 5, activation: 'softmax', init: 'glorot' },
    ];
    const spec: ModelSpec = { name: 'e2e', input: { c: 2, h: 8, w: 6 }, layers, loss: 'cross_entropy', frozen: [] };
    const { err } = check(spec, 3, new Int32Array([1, 4, 0]), false);
    expect(err).toBeLessThan(1e-6);
  });

  it('standalone softmax layer, batch-norm, dropout, replicate padding, leaky relu, tanh, flatten', () => {
    const layers: LayerSpec[] = [
      {
        kind: 'conv2d',
        name: 'c1',
        filters: 3,
        kernel: [3, 2],
        stride: [2, 1],
        padding: pad(2, 0, 1, 0, 'replicate'),
        activation: 'linear',
        init: 'he',
      },
      { kind: 'batchnorm', name: 'bn1', momentum: 0.1, eps: 1e-5 },
      { kind: 'activation', name: 'a1', fn: 'leaky_relu', slope: 0.1 },
      { kind: 'maxpool', name: 'p1', size: [2, 2], stride: [1, 2] },
      { kind: 'flatten', name: 'f' },
      { kind: 'dense', name: 'd1', units: 6, activation: 'tanh', init: 'glorot' },
      { kind: 'dropout', name: 'drop', rate: 0.4 },
      { kind: 'batchnorm', name: 'bn2', momentum: 0.1, eps: 1e-5 },
      { kind: 'dense', name: 'd2', units: 4, activation: 'linear', init: 'glorot' },
      { kind: 'activation', name: 'sm', fn: 'softmax' },
    ];
    const spec: ModelSpec = { name: 'mix', input: { c: 1, h: 7, w: 6 }, layers, loss: 'cross_entropy', frozen: [] };
    const { err } = check(spec, 4, new Int32Array([3, 0, 2, 1]), true);
    expect(err).toBeLessThan(1e-6);
  });

  it('backward after an eval-mode forward: running statistics, no dropout, columns rebuilt', () => {
    const layers: LayerSpec[] = [
      {
        kind: 'conv2d',
        name: 'c1',
        filters: 3,
        kernel: [3, 3],
        stride: [1, 1],
        padding: pad(1, 1, 1, 1, 'replicate'),
        activation: 'relu',
        init: 'he',
      },
      { kind: 'batchnorm', name: 'bn1', momentum: 0.1, eps: 1e-5 },
      { kind: 'dropout', name: 'drop', rate: 0.5 },
      { kind: 'maxpool', name: 'p1', size: [2, 2], stride: [2, 2] },
      { kind: 'dense', name: 'd1', units: 3, activation: 'softmax', init: 'glorot' },
    ];
    const spec: ModelSpec = { name: 'eval', input: { c: 2, h: 6, w: 6 }, layers, loss: 'cross_entropy', frozen: [] };
    expect(check(spec, 3, new Int32Array([2, 1, 0]), false, 'eval').err).toBeLessThan(1e-6);
  });

  it('cross-entropy on raw logits (no final softmax) and mse with sigmoid outputs', () => {
    const base: LayerSpec[] = [
      {
        kind: 'conv2d',
        name: 'c1',
        filters: 2,
        kernel: [3, 3],
        stride: [2, 2],
        padding: pad(1, 1, 1, 1),
        activation: 'sigmoid',
        init: 'glorot',
      },
      { kind: 'avgpool', name: 'p', size: [2, 2], stride: [2, 2] },
    ];
    const ce: ModelSpec = {
      name: 'logits',
      input: { c: 1, h: 8, w: 8 },
      layers: [...base, { kind: 'dense', name: 'd', units: 3, activation: 'linear', init: 'glorot' }],
      loss: 'cross_entropy',
      frozen: [],
    };
    expect(check(ce, 2, new Int32Array([2, 0]), false).err).toBeLessThan(1e-6);
    const mse: ModelSpec = {
      ...ce,
      name: 'mse',
      layers: [...base, { kind: 'dense', name: 'd', units: 3, activation: 'sigmoid', init: 'glorot' }],
      loss: 'mse',
    };
    expect(check(mse, 2, randn(6, 77), false).err).toBeLessThan(1e-6);
  });
});
