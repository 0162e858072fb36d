// Models for the interop tests: one with every layer kind and option (both paddings, same with an odd
// total, strides, every activation, batch norm on maps and on features, dropout), and LeNet; plus a short
// seeded training run so the exported weights and running statistics are trained ones.
import { loadMnist } from '../../runtime/data/mnist.js';
import type { Dataset } from '../../runtime/data/dataset.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec, PadSpec, TrainSpec } from '../../runtime/spec.js';
import { train } from '../../runtime/train/loop.js';
import type { Buf, Net } from '../../runtime/types.js';
import { toFloat } from '../../runtime/data/dataset.js';

const pad = (mode: PadSpec['mode'], top: number, bottom = top, left = top, right = bottom): PadSpec => ({ mode, top, bottom, left, right });

export const everyKind: ModelSpec = {
  name: 'every_kind',
  input: { c: 1, h: 28, w: 28 },
  layers: [
    {
      kind: 'conv2d',
      name: 'conv1',
      filters: 4,
      kernel: [3, 3],
      stride: [1, 1],
      padding: pad('zero', 1),
      activation: 'leaky_relu',
      init: 'he',
    },
    { kind: 'batchnorm', name: 'bn1', momentum: 0.1, eps: 1e-5 },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    {
      kind: 'conv2d',
      name: 'conv2',
      filters: 6,
      kernel: [3, 3],
      stride: [1, 1],
      padding: pad('replicate', 1),
      activation: 'tanh',
      init: 'he',
    },
    // 'same' with an even kernel: the odd pixel goes bottom/right.
    {
      kind: 'conv2d',
      name: 'conv3',
      filters: 6,
      kernel: [2, 2],
      stride: [1, 1],
      padding: pad('zero', 0, 1, 0, 1),
      activation: 'relu',
      init: 'he',
    },
    { kind: 'avgpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
    // (7 + 3 − 3) / 2 does not divide: round floor, PyTorch's and ONNX's rounding.
    {
      kind: 'conv2d',
      name: 'conv4',
      filters: 8,
      kernel: [3, 3],
      stride: [2, 2],
      padding: pad('replicate', 1, 2, 1, 2),
      activation: 'sigmoid',
      init: 'glorot',
      round: 'floor',
    },
    { kind: 'activation', name: 'act1', fn: 'leaky_relu', slope: 0.2 },
    { kind: 'flatten', name: 'flat' },
    { kind: 'dropout', name: 'drop1', rate: 0.25 },
    { kind: 'dense', name: 'dense1', units: 24, activation: 'linear', init: 'he' },
    { kind: 'batchnorm', name: 'bn2', momentum: 0.2, eps: 1e-3 },
    { kind: 'activation', name: 'act2', fn: 'tanh' },
    { kind: 'dense', name: 'dense2', units: 16, activation: 'sigmoid', init: 'he' },
    { kind: 'activation', name: 'act3', fn: 'relu' },
    { kind: 'dense', name: 'dense3', units: 10, activation: 'softmax', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};

/** Colour input, a conv after a dense layer (a map of 1×1 again), a standalone linear activation, mse loss. */
export const oddShapes: ModelSpec = {
  name: 'odd_shapes',
  input: { c: 3, h: 12, w: 10 },
  layers: [
    {
      kind: 'conv2d',
      name: 'c1',
      filters: 5,
      kernel: [3, 2],
      stride: [2, 1],
      padding: pad('zero', 1, 1, 0, 0),
      activation: 'relu',
      init: 'he',
      round: 'floor',
    },
    { kind: 'maxpool', name: 'p1', size: [3, 2], stride: [1, 2], round: 'floor' },
    { kind: 'dense', name: 'd1', units: 12, activation: 'tanh', init: 'he' },
    { kind: 'batchnorm', name: 'b1', momentum: 0.1, eps: 1e-5 },
    {
      kind: 'conv2d',
      name: 'c2',
      filters: 6,
      kernel: [1, 1],
      stride: [1, 1],
      padding: pad('replicate', 0),
      activation: 'leaky_relu',
      init: 'he',
    },
    { kind: 'activation', name: 'same', fn: 'linear' },
    { kind: 'flatten', name: 'f1' },
    { kind: 'dense', name: 'out', units: 4, activation: 'sigmoid', init: 'glorot' },
  ],
  loss: 'mse',
  frozen: [],
};

export const lenet: ModelSpec = {
  name: 'lenet',
  input: { c: 1, h: 28, w: 28 },
  layers: [
    { kind: 'conv2d', name: 'conv1', filters: 6, kernel: [5, 5], stride: [1, 1], padding: pad('zero', 2), activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'conv2d', name: 'conv2', filters: 16, kernel: [5, 5], stride: [1, 1], padding: pad('zero', 0), activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
    // dense straight after a map: the implicit flatten.
    { kind: 'dense', name: 'dense1', units: 120, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'dense2', units: 84, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'dense3', units: 10, activation: 'linear', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};

export async function digits(trainCount = 512, test = 200): Promise<Dataset> {
  const d = await loadMnist({ train: trainCount, test, seed: 3 });
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

/** The net after one short seeded epoch (so batch-norm statistics have moved off 0 and 1). */
export async function trained(spec: ModelSpec, data: Dataset): Promise<Net> {
  const net = createNet(spec, { rng: createRng(7) });
  const t: TrainSpec = {
    model: spec.name,
    data: 'digits',
    epochs: 1,
    batch: 32,
    seed: 7,
    validation: 0,
    optimizer: { kind: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { kind: 'constant' },
    evalEvery: 0,
    workers: 1,
  };
  await train({ net, spec: t, data, trainEvalLimit: 64 });
  return net;
}

/** The test images as float32 NCHW. */
export function testImages(data: Dataset, n = data.test.count): Float32Array {
  const { c, h, w } = data.shape;
  const x = new Float32Array(n * c * h * w);
  toFloat(data.test, 0, n, x);
  return x;
}

export function argmaxRows(y: ArrayLike<number>, n: number): number[] {
  const k = y.length / n;
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (y[i * k + j] > y[i * k + best]) best = j;
    return best;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: Buf | ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
