// Benchmark child for ConvNetJS 0.3 (Karpathy): the same LeNet-5 in its layer definitions, trained one
// example at a time by its Trainer (SGD momentum, updates every 64 examples), inference one example per
// forward call. ConvNetJS stores volumes in Float64Array and initialises with Math.random (its own choice).
import { createRequire } from 'node:module';
import { childConfig, emit, maxRssMB, rate, StepClock, timeWindows, type BenchConfig, type PeerResult, type Rate } from './common.js';
import { batchFloats, batchLabels, loadBenchData } from './data.js';
import type { Dataset } from '../../runtime/data/dataset.js';

/** The few ConvNetJS surfaces used here (the package ships no types). */
interface Vol {
  w: Float64Array;
}
interface CnnNet {
  makeLayers(defs: object[]): void;
  forward(v: Vol, training?: boolean): Vol;
}
interface CnnTrainer {
  train(v: Vol, y: number): { loss: number };
}
interface ConvNetJs {
  Net: new () => CnnNet;
  Vol: new (sx: number, sy: number, depth: number, c: number) => Vol;
  Trainer: new (net: CnnNet, opts: object) => CnnTrainer;
}

const cnn = createRequire(import.meta.url)('convnetjs') as ConvNetJs;

function lenet(): CnnNet {
  const net = new cnn.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 6, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 120, activation: 'relu' },
    { type: 'fc', num_neurons: 84, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  return net;
}

/** ConvNetJS volumes index (x, y, d) as ((y·sx)+x)·depth+d: for one channel that is row-major, as ours. */
function vols(ds: Dataset, start: number, n: number): Vol[] {
  const x = new Float32Array(n * 784);
  batchFloats(ds, start, n, x);
  return Array.from({ length: n }, (_, k) => {
    const v = new cnn.Vol(28, 28, 1, 0);
    v.w.set(x.subarray(k * 784, (k + 1) * 784));
    return v;
  });
}

function timeTraining(cfg: BenchConfig, ds: Dataset, net: CnnNet): { windows: number[]; cpuWindows: number[]; losses: number[] } {
  const trainer = new cnn.Trainer(net, {
    method: 'sgd',
    learning_rate: cfg.lr,
    momentum: cfg.momentum,
    batch_size: cfg.batch,
    l2_decay: 0,
  });
  const labels = new Int32Array(cfg.batch);
  const losses: number[] = [];
  let cursor = 0;
  const step = () => {
    const xs = vols(ds, cursor, cfg.batch);
    batchLabels(ds, cursor, cfg.batch, labels);
    cursor += cfg.batch;
    let loss = 0;
    for (let k = 0; k < cfg.batch; k++) loss += trainer.train(xs[k], labels[k]).loss;
    losses.push(loss / cfg.batch);
  };
  const clock = new StepClock(cfg);
  do step();
  while (!clock.tick());
  return { windows: clock.windows, cpuWindows: clock.cpuWindows, losses };
}

function timeInference(cfg: BenchConfig, ds: Dataset, net: CnnNet): Rate {
  const xs = vols(ds, 0, cfg.inferImages);
  const run = (n: number) => {
    for (let k = 0; k < n; k++) net.forward(xs[k], false);
  };
  run(cfg.inferBatch);
  return timeWindows(cfg.inferWindows, cfg.inferImages, () => run(cfg.inferImages));
}

async function main(): Promise<void> {
  const cfg = childConfig();
  const { dataset: ds, label } = await loadBenchData(cfg.seed);
  const r: PeerResult = { peer: 'convnetjs', label: 'ConvNetJS', version: '0.3.0', data: label, maxRssMB: 0, na: {}, notes: [] };
  const net = lenet();
  const t = timeTraining(cfg, ds, net);
  r.train = { ...rate(t.windows, t.cpuWindows), steps: t.losses.length, firstLoss: t.losses[0], lastLoss: t.losses[t.losses.length - 1] };
  r.infer = timeInference(cfg, ds, net);
  r.na.matmul = 'ConvNetJS has no matrix-product API';
  r.notes.push('Trainer.train per example, weights updated every 64; Float64 volumes; batch 256 inference = 256 forward calls');
  r.maxRssMB = maxRssMB();
  emit(r);
}

await main();
