// LeNet-5 as convbook builds it for the benchmark: conv 6@5×5 same, relu, maxpool 2, conv 16@5×5 valid,
// relu, maxpool 2, dense 120 relu, dense 84 relu, dense 10 softmax, cross-entropy.
import type { ModelSpec } from '../../runtime/spec.js';

const pad = (p: number) => ({ mode: 'zero' as const, top: p, bottom: p, left: p, right: p });

export const lenet5: ModelSpec = {
  name: 'lenet5',
  input: { c: 1, h: 28, w: 28 },
  loss: 'cross_entropy',
  frozen: [],
  layers: [
    { kind: 'conv2d', name: 'conv1', filters: 6, kernel: [5, 5], stride: [1, 1], padding: pad(2), activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'conv2d', name: 'conv2', filters: 16, kernel: [5, 5], stride: [1, 1], padding: pad(0), activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
    { kind: 'flatten', name: 'flat' },
    { kind: 'dense', name: 'fc1', units: 120, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'fc2', units: 84, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'out', units: 10, activation: 'softmax', init: 'glorot' },
  ],
};
