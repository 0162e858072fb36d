// The CIFAR-shaped benchmark network (32×32×3 input, 10 classes) with a width multiplier for the
// cost-growth table: conv 32 3×3 same, batch norm, relu, conv 32, maxpool 2, conv 64, conv 64, maxpool 2,
// dense 256 relu, dropout 0.5, dense 10 softmax — conv widths times `width`. scripts/bench/torch_cifar.py builds the same.
import type { LayerSpec, ModelSpec } from '../../runtime/spec.js';

const same = { mode: 'zero' as const, top: 1, bottom: 1, left: 1, right: 1 };
const conv = (name: string, filters: number, activation: 'relu' | 'linear'): LayerSpec => ({
  kind: 'conv2d',
  name,
  filters,
  kernel: [3, 3],
  stride: [1, 1],
  padding: same,
  activation,
  init: 'he',
});

export function cifarNet(width = 1): ModelSpec {
  const a = 32 * width,
    b = 64 * width;
  return {
    name: `cifar_x${width}`,
    input: { c: 3, h: 32, w: 32 },
    loss: 'cross_entropy',
    frozen: [],
    layers: [
      conv('conv1', a, 'linear'),
      { kind: 'batchnorm', name: 'bn1', momentum: 0.1, eps: 1e-5 },
      { kind: 'activation', name: 'relu1', fn: 'relu' },
      conv('conv2', a, 'relu'),
      { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
      conv('conv3', b, 'relu'),
      conv('conv4', b, 'relu'),
      { kind: 'maxpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
      { kind: 'flatten', name: 'flat' },
      { kind: 'dense', name: 'fc1', units: 256, activation: 'relu', init: 'he' },
      { kind: 'dropout', name: 'drop', rate: 0.5 },
      { kind: 'dense', name: 'out', units: 10, activation: 'softmax', init: 'glorot' },
    ],
  };
}
