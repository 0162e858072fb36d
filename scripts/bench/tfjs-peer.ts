// Benchmark child for TensorFlow.js (argv[3] = cpu | wasm): the same LeNet-5 written with tf ops (NHWC,
// which for one input channel is the same memory as NCHW), SGD momentum, batch 64; inference at batch 256;
// tf.matMul rates. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so on wasm the conv layers
// use a custom gradient whose filter part is itself a forward conv2d (see filterGrad).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { childConfig, emit, maxRssMB, now, rate, StepClock, timeWindows, type BenchConfig, type PeerResult, type Rate } from './common.js';
import { batchFloats, batchLabels, loadBenchData } from './data.js';
import type { Dataset } from '../../runtime/data/dataset.js';

type Pad = 'same' | 'valid';

/**
 * dW (Kh,Kw,C,F) of y = conv2d(x, W, stride 1) from x (N,H,W,C) and dy (N,Ho,Wo,F): correlating x with
 * the batch as channels, by dy with the batch as input channels, sums x·dy over examples and positions.
 */
function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, pad: Pad): tf.Tensor4D {
  const p = pad === 'same' ? (k - 1) >> 1 : 0;
  const xp = p
    ? tf.pad(x, [
        [0, 0],
        [p, k - 1 - p],
        [p, k - 1 - p],
        [0, 0],
      ])
    : x;
  const xT = tf.transpose(xp, [3, 1, 2, 0]); // (C, H', W', N)
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // (Ho, Wo, N, F)
  return tf.transpose(tf.conv2d(xT, dyT as tf.Tensor4D, 1, 'valid'), [1, 2, 0, 3]); // (C,Kh,Kw,F) → (Kh,Kw,C,F)
}

function makeConv(custom: boolean, pad: Pad): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  if (!custom) return (x, w) => tf.conv2d(x, w, 1, pad);
  const body = (x: tf.Tensor4D, w: tf.Tensor4D, save: (ts: tf.Tensor[]) => void) => {
    save([x, w]);
    return {
      value: tf.conv2d(x, w, 1, pad),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as tf.Tensor4D[];
        const dx = tf.conv2dTranspose(dy, ws, xs.shape, 1, pad);
        return [dx, filterGrad(xs, dy, ws.shape[0], pad)];
      },
    };
  };
  const f = tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]);
  return (x, w) => f(x, w) as tf.Tensor4D;
}

interface Lenet {
  vars: tf.Variable[];
  logits: (x: tf.Tensor4D) => tf.Tensor2D;
}

function lenet(custom: boolean): Lenet {
  const he = (shape: number[], fanIn: number, seed: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const w1 = he([5, 5, 1, 6], 25, 1),
    b1 = tf.variable(tf.zeros([6]));
  const w2 = he([5, 5, 6, 16], 150, 2),
    b2 = tf.variable(tf.zeros([16]));
  const w3 = he([400, 120], 400, 3),
    b3 = tf.variable(tf.zeros([120]));
  const w4 = he([120, 84], 120, 4),
    b4 = tf.variable(tf.zeros([84]));
  const w5 = he([84, 10], 84, 5),
    b5 = tf.variable(tf.zeros([10]));
  const conv1 = makeConv(custom, 'same'),
    conv2 = makeConv(custom, 'valid');
  return {
    vars: [w1, b1, w2, b2, w3, b3, w4, b4, w5, b5],
    logits: (x) => {
      let h = tf.maxPool(tf.relu(tf.add(conv1(x, w1 as tf.Variable<tf.Rank.R4>), b1)) as tf.Tensor4D, 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.add(conv2(h, w2 as tf.Variable<tf.Rank.R4>), b2)) as tf.Tensor4D, 2, 2, 'valid');
      // Flatten in C,H,W order like convbook and PyTorch (only the weight layout differs otherwise).
      let f = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [-1, 400]) as tf.Tensor2D;
      f = tf.relu(tf.add(tf.matMul(f, w3), b3)) as tf.Tensor2D;
      f = tf.relu(tf.add(tf.matMul(f, w4), b4)) as tf.Tensor2D;
      return tf.add(tf.matMul(f, w5), b5);
    },
  };
}

/** Largest |custom − native| / max |native| filter gradient on the cpu backend, so the wasm workaround is checked. */
function checkFilterGrad(): number {
  const x = tf.randomNormal([3, 9, 9, 2], 0, 1, 'float32', 11) as tf.Tensor4D;
  const w = tf.randomNormal([5, 5, 2, 4], 0, 1, 'float32', 12) as tf.Tensor4D;
  let worst = 0;
  for (const pad of ['same', 'valid'] as Pad[]) {
    const g = (conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D) =>
      tf.grad((ww: tf.Tensor) => tf.sum(tf.square(conv(x, ww as tf.Tensor4D))))(w);
    const native = g(makeConv(false, pad));
    const diff = tf.max(tf.abs(tf.sub(g(makeConv(true, pad)), native))).dataSync()[0] / tf.max(tf.abs(native)).dataSync()[0];
    worst = Math.max(worst, diff);
  }
  return worst;
}

function timeTraining(cfg: BenchConfig, ds: Dataset, net: Lenet): { windows: number[]; cpuWindows: number[]; losses: number[] } {
  const opt = tf.train.momentum(cfg.lr, cfg.momentum);
  const xs = new Float32Array(cfg.batch * 784);
  const ys = new Int32Array(cfg.batch);
  const losses: number[] = [];
  let cursor = 0;
  const step = () => {
    batchFloats(ds, cursor, cfg.batch, xs);
    batchLabels(ds, cursor, cfg.batch, ys);
    cursor += cfg.batch;
    const x = tf.tensor4d(xs, [cfg.batch, 28, 28, 1]);
    const labels = tf.tensor1d(ys, 'int32');
    const y = tf.oneHot(labels, 10);
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.logits(x)) as tf.Scalar, true, net.vars);
    losses.push(loss!.dataSync()[0]); // also waits for the step to finish
    tf.dispose([x, labels, y, loss!]);
  };
  const clock = new StepClock(cfg);
  do step();
  while (!clock.tick());
  return { windows: clock.windows, cpuWindows: clock.cpuWindows, losses };
}

function timeInference(cfg: BenchConfig, ds: Dataset, net: Lenet): Rate {
  const x = new Float32Array(cfg.inferImages * 784);
  batchFloats(ds, 0, cfg.inferImages, x);
  const all = tf.tensor4d(x, [cfg.inferImages, 28, 28, 1]);
  const run = (n: number) => {
    for (let s = 0; s < n; s += cfg.inferBatch) {
      tf.tidy(() => tf.softmax(net.logits(tf.slice(all, [s, 0, 0, 0], [Math.min(cfg.inferBatch, n - s), 28, 28, 1]))).dataSync());
    }
  };
  run(cfg.inferBatch);
  const r = timeWindows(cfg.inferWindows, cfg.inferImages, () => run(cfg.inferImages));
  all.dispose();
  return r;
}

function matmulRates(cfg: BenchConfig, sizes: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of sizes) {
    const a = tf.randomUniform([n, n], -0.5, 0.5, 'float32', 1),
      b = tf.randomUniform([n, n], -0.5, 0.5, 'float32', 2);
    const once = () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      return undefined;
    };
    once();
    const t: number[] = [];
    for (let r = 0; r < cfg.matmulReps; r++) {
      const t0 = now();
      once();
      t.push((now() - t0) / 1000);
    }
    t.sort((p, q) => p - q);
    out[n] = (2 * n * n * n) / t[t.length >> 1] / 1e9;
    a.dispose();
    b.dispose();
  }
  return out;
}

async function main(): Promise<void> {
  const cfg = childConfig();
  const backend = process.argv[3] === 'wasm' ? 'wasm' : 'cpu';
  const { dataset: ds, label } = await loadBenchData(cfg.seed);
  const r: PeerResult = {
    peer: `tfjs-${backend}`,
    label: `tfjs ${backend}`,
    version: tf.version.tfjs,
    data: label,
    maxRssMB: 0,
    na: {},
    notes: [],
  };
  const custom = backend === 'wasm';
  if (custom) {
    await tf.setBackend('cpu');
    r.notes.push(
      `conv filter gradient via a forward conv2d (no Conv2DBackpropFilter on wasm); largest relative difference from cpu's native gradient ${checkFilterGrad().toExponential(2)}`,
    );
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialise`);
  await tf.ready();
  if (backend === 'wasm') {
    r.notes.push(`wasm simd ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, multithread ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`);
  }
  const net = lenet(custom);
  const t = timeTraining(cfg, ds, net);
  r.train = { ...rate(t.windows, t.cpuWindows), steps: t.losses.length, firstLoss: t.losses[0], lastLoss: t.losses[t.losses.length - 1] };
  r.infer = timeInference(cfg, ds, net);
  // The cpu backend's product runs at well under 1 GFLOP/s: 1024 would take most of a minute.
  const sizes = backend === 'cpu' ? cfg.matmulSizes.filter((n) => n <= 512) : cfg.matmulSizes;
  r.matmul = matmulRates(cfg, sizes);
  if (sizes.length < cfg.matmulSizes.length) r.na.matmul1024 = 'not run on the cpu backend (too slow for the time budget)';
  r.maxRssMB = maxRssMB();
  emit(r);
}

await main();
