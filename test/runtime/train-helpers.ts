// Test fixtures for the training tests: a small synthetic image dataset (bars in three orientations,
// at random positions, with noise) and small models over it. Seeded, so every test sees the same data.
import { createRng } from '../../runtime/rng.js';
import type { LayerSpec, ModelSpec, TrainSpec } from '../../runtime/spec.js';
import type { DatasetView } from '../../runtime/train/split-view.js';

const pad0 = { mode: 'zero' as const, top: 1, bottom: 1, left: 1, right: 1 };

function bars(count: number, seed: number) {
  const rng = createRng(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const cls = n % 3;
    labels[n] = cls;
    const at = 1 + rng.int(6);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        const on = cls === 0 ? x === at : cls === 1 ? y === at : x === y;
        images[n * 64 + y * 8 + x] = Math.min(255, (on ? 200 : 0) + rng.int(56));
      }
  }
  return { images, labels, count };
}

export function toyData(train = 240, test = 60): DatasetView {
  return { name: 'bars', shape: { c: 1, h: 8, w: 8 }, classes: 3, train: bars(train, 1), test: bars(test, 2) };
}

export function toyModel(extra: { dropout?: boolean; batchnorm?: boolean; frozen?: string[] } = {}): ModelSpec {
  const layers: LayerSpec[] = [
    {
      kind: 'conv2d',
      name: 'conv1',
      filters: 4,
      kernel: [3, 3],
      stride: [1, 1],
      padding: pad0,
      activation: extra.batchnorm ? 'linear' : 'relu',
      init: 'he',
    },
  ];
  if (extra.batchnorm)
    layers.push({ kind: 'batchnorm', name: 'bn1', momentum: 0.1, eps: 1e-5 }, { kind: 'activation', name: 'act1', fn: 'relu' });
  layers.push({ kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] }, { kind: 'flatten', name: 'flat' });
  if (extra.dropout) layers.push({ kind: 'dropout', name: 'drop', rate: 0.25 });
  layers.push({ kind: 'dense', name: 'out', units: 3, activation: 'softmax', init: 'glorot' });
  return { name: 'toy', input: { c: 1, h: 8, w: 8 }, layers, loss: 'cross_entropy', frozen: extra.frozen ?? [] };
}

export function trainSpec(over: Partial<TrainSpec> = {}): TrainSpec {
  return {
    model: 'toy',
    data: 'bars',
    epochs: 2,
    batch: 32,
    seed: 5,
    validation: 0.2,
    optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { kind: 'constant' },
    evalEvery: 0,
    workers: 1,
    ...over,
  };
}
