// `npm run build && node dist/scripts/bench-cifar.js [--quick]`: the CIFAR-shaped second benchmark network
// (scripts/bench/cifar.ts) on seeded synthetic 32×32×3 data — convbook on one thread and on a 2-lane pool
// (paired windows) beside PyTorch (best of 1 and 2 threads) for training and inference and ONNX Runtime
// (best of 1 and 2 intra-op threads, the net exported by convbook) for inference; then how cost grows with
// batch and conv width, convbook and PyTorch each on one thread. convbook runs twice: with its default
// (portable) arithmetic and with `arithmetic fused` (relaxed-SIMD fused multiply-add). Prints markdown tables. A benchmark, never
// a test; a few minutes on 2 cores.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createNet, forwardBatched } from '../runtime/net.js';
import { createRng } from '../runtime/rng.js';
import { createLocalEngine, type EngineOptions, type GradientEngine } from '../runtime/train/gradient-engine.js';
import { createPool } from '../runtime/pool/pool.js';
import { evaluate } from '../runtime/train/metrics.js';
import { benchConfig, median, RESULT_MARK } from './bench/common.js';
import { matmulRates } from './bench/convbook-matmul.js';
import { sgdStep, syntheticBatch } from './bench/sgd-step.js';
import { cifarNet } from './bench/cifar.js';
import { bestRate, onnxRuntimeRates } from './bench/onnxruntime-peer.js';
import type { Net } from '../runtime/types.js';
import type { Arithmetic } from '../runtime/spec.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IMG = 3 * 32 * 32;

interface Sizes {
  batch: number;
  inferBatch: number;
  steps: number;
  budget: number;
  growthSteps: number;
  growthBudget: number;
  grid: [number, number][];
}

interface TorchOut {
  version: string;
  train: Record<string, number>;
  infer: Record<string, number>;
  growth: Record<string, number>;
}

/** Median ms of fn() over up to `steps` calls after 2 warm-ups, stopping early after `budget` seconds (at least one). */
function timed(fn: () => void, steps: number, budget: number): number {
  fn();
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < steps && (!times.length || (performance.now() - start) / 1000 < budget)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const synthetic = (n: number, seed: number) => syntheticBatch(IMG, n, seed);

/** One plain-SGD training step (forward, backward, update) on one thread; ms per step. */
function trainMs(width: number, batch: number, steps: number, budget: number, arithmetic: Arithmetic = 'portable'): number {
  const net = createNet(cifarNet(width), { rng: createRng(1), arithmetic });
  const { x, t } = synthetic(batch, 2);
  const rng = createRng(3);
  return timed(() => sgdStep(net, x, t, batch, rng), steps, budget);
}

interface TwoLanes {
  train1: number;
  train2: number;
  infer1: number;
  infer2: number;
  /** Per pair: 2 lanes' ms over 1 lane's, training then inference. */
  trainRatios: number[];
  inferRatios: number[];
  capacity: number[];
  sameBits: boolean;
}

/**
 * Training steps (SGD, the engines' micro-batches of 16) and eval-mode inference through this thread alone
 * and through a 2-lane pool, alternating every `w` steps so each pair sees nearly the same load; the two
 * engines train twin nets from the same seed on the same batches, and their weights must end bit-identical.
 */
async function twoLanes(batch: number, inferBatch: number, pairs: number, w: number, arithmetic: Arithmetic): Promise<TwoLanes> {
  const n = Math.max(batch, 2 * inferBatch);
  const { x, t } = synthetic(n, 5);
  const split = { images: x, labels: Uint8Array.from(t), count: n };
  const opts = (): EngineOptions => ({
    net: createNet(cifarNet(1), { rng: createRng(1), arithmetic }),
    split,
    shape: { c: 3, h: 32, w: 32 },
    seed: 7,
    batch,
    micro: 16,
    optimizer: { spec: { kind: 'sgd', lr: 0.01, momentum: 0, nesterov: false } },
  });
  const oa = opts(),
    ob = opts();
  const one: GradientEngine = createLocalEngine(oa);
  const two: GradientEngine = await createPool({ ...ob, workers: 2 });
  const idx = Int32Array.from({ length: batch }, (_, i) => i);
  // Two inference batches, so that each of 2 lanes has one.
  const all = Int32Array.from({ length: 2 * inferBatch }, (_, i) => i);
  let step = 0;
  const steps = async (e: GradientEngine, from: number): Promise<number> => {
    const t0 = performance.now();
    for (let k = 0; k < w; k++) await e.compute(from + k, idx, batch, 0.01);
    return (performance.now() - t0) / w;
  };
  // One lane: evaluate() on this thread; 2 lanes: the pool's evaluation — the same eval-mode forward passes
  // of inferBatch examples with loss and accuracy, what train() runs at each measurement; ms per batch.
  const infer = async (e: GradientEngine | undefined): Promise<number> => {
    const t0 = performance.now();
    if (e) await e.evaluate!('train', all, inferBatch);
    else evaluate(oa.net, split, oa.shape, all, inferBatch);
    return (performance.now() - t0) / 2;
  };
  const capacity = async () => {
    const m = await matmulRates([1024], 3);
    return m.two['1024'] / m.one['1024'];
  };
  try {
    // Warm-up: every lane's JIT, then the paired windows.
    await steps(one, step);
    await steps(two, step);
    step += w;
    await infer(undefined);
    await infer(two);
    const capBefore = await capacity();
    const t1: number[] = [],
      t2: number[] = [],
      i1: number[] = [],
      i2: number[] = [],
      tr: number[] = [],
      ir: number[] = [];
    for (let p = 0; p < pairs; p++) {
      t1.push(await steps(one, step));
      t2.push(await steps(two, step));
      step += w;
      tr.push(t2[p] / t1[p]);
      i1.push(await infer(undefined));
      i2.push(await infer(two));
      ir.push(i2[p] / i1[p]);
    }
    const sameBits = oa.net.paramBuf.every((v, i) => Object.is(v, ob.net.paramBuf[i]));
    return {
      train1: median(t1),
      train2: median(t2),
      infer1: median(i1),
      infer2: median(i2),
      trainRatios: tr,
      inferRatios: ir,
      capacity: [capBefore, await capacity()],
      sameBits,
    };
  } finally {
    await two.close();
    await one.close();
  }
}

function inferMs(net: Net, x: Float32Array, batch: number, steps: number, budget: number): number {
  return timed(() => forwardBatched(net, x, batch, batch), steps, budget);
}

function runTorch(sizes: Sizes): Promise<TorchOut | string> {
  return new Promise((resolve) => {
    const p = spawn('/usr/bin/python3', [join(root, 'scripts', 'bench', 'torch_cifar.py'), JSON.stringify(sizes)], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', (e) => resolve(e.message));
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      resolve(
        line ? (JSON.parse(line.slice(RESULT_MARK.length)) as TorchOut) : `exit ${code}: ${err.trim().split('\n').slice(-2).join(' / ')}`,
      );
    });
  });
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const f0 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(0));
const f1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(1));
const r2 = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const sizes: Sizes = {
    batch: 64,
    inferBatch: 256,
    steps: quick ? 5 : 15,
    budget: quick ? 4 : 10,
    growthSteps: quick ? 3 : 7,
    growthBudget: quick ? 2 : 5,
    grid: [
      [1, 16],
      [1, 64],
      [1, 256],
      [2, 64],
      [4, 64],
    ],
  };
  console.log(
    `CIFAR-shaped network bench ${quick ? '(quick) ' : ''}— ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('data: seeded synthetic 32×32×3 images (uniform [0, 1)) and labels; plain SGD lr 0.01; medians of per-step times');

  const cbTrain = trainMs(1, sizes.batch, sizes.steps, sizes.budget);
  const net = createNet(cifarNet(1), { rng: createRng(1) });
  const { x } = synthetic(sizes.inferBatch, 4);
  const cbInfer = inferMs(net, x, sizes.inferBatch, sizes.steps, sizes.budget);
  const growth = sizes.grid.map(([w, b]) => trainMs(w, b, sizes.growthSteps, sizes.growthBudget));
  const lanes = await twoLanes(sizes.batch, sizes.inferBatch, quick ? 3 : 7, quick ? 2 : 4, 'portable');
  console.log('  convbook done');
  // The same with fused multiply-add (`arithmetic fused`): other bits, so compared only with itself and the peers.
  const fusedTrain = trainMs(1, sizes.batch, sizes.steps, sizes.budget, 'fused');
  const fusedNet = createNet(cifarNet(1), { rng: createRng(1), arithmetic: 'fused' });
  const fusedInfer = inferMs(fusedNet, x, sizes.inferBatch, sizes.steps, sizes.budget);
  const fusedLanes = await twoLanes(sizes.batch, sizes.inferBatch, quick ? 3 : 7, quick ? 2 : 4, 'fused');
  console.log('  convbook, arithmetic fused, done');

  const ortCfg = { ...benchConfig(quick), inferBatch: sizes.inferBatch };
  const ort = await onnxRuntimeRates(net, x, sizes.inferBatch, ortCfg, sizes.steps).catch((e: Error) => e.message);
  console.log('  ONNX Runtime done');
  const torch = await runTorch(sizes);
  console.log(`  PyTorch ${typeof torch === 'string' ? `n/a (${torch})` : 'done'}\n`);

  const tt = typeof torch === 'string' ? undefined : torch;
  const torchTrainBest = tt ? Math.min(tt.train['1'], tt.train['2']) : undefined;
  const torchInferBest = tt ? Math.min(tt.infer['1'], tt.infer['2']) : undefined;
  const ortBest = typeof ort === 'string' ? undefined : bestRate(ort.byThreads);
  const img = (ms: number | undefined, batch: number) => (ms === undefined ? undefined : (batch * 1000) / ms);
  const cbTi = img(cbTrain, sizes.batch),
    cbIi = img(cbInfer, sizes.inferBatch);
  // The better of the two convbook rows is what the peers are compared with.
  const cb2Ti = img(lanes.train2, sizes.batch),
    cb2Ii = img(lanes.infer2, sizes.inferBatch);
  const bestTi = Math.max(cbTi ?? 0, cb2Ti ?? 0),
    bestIi = Math.max(cbIi ?? 0, cb2Ii ?? 0);
  const fTi = img(fusedTrain, sizes.batch),
    fIi = img(fusedInfer, sizes.inferBatch),
    f2Ti = img(fusedLanes.train2, sizes.batch),
    f2Ii = img(fusedLanes.infer2, sizes.inferBatch);
  const bestFTi = Math.max(fTi ?? 0, f2Ti ?? 0),
    bestFIi = Math.max(fIi ?? 0, f2Ii ?? 0);
  const lanesNote = (l: TwoLanes) =>
    `paired with this thread alone (the engines' micro-batches, ${f1(l.train1)} vs ${f1(l.train2)} ms/step): 2 lanes over 1 ` +
    `${r2(1, median(l.trainRatios))} training, ${r2(1, median(l.inferRatios))} inference (medians of ${l.trainRatios.length} pairs); ` +
    `2-thread capacity ${l.capacity.map((c) => `${c.toFixed(2)}×`).join(' → ')}; weights ${l.sameBits ? 'bit-identical' : 'DIFFER'} after the same steps`;
  console.log(
    table(
      [
        'CIFAR-shaped net, synthetic data',
        'train img/s (b64)',
        'best convbook / this',
        'best fused / this',
        'infer img/s (b256)',
        'best convbook / this',
        'best fused / this',
        'notes',
      ],
      [
        ['convbook (1 thread)', f0(cbTi), '', '', f0(cbIi), '', '', `${f1(cbTrain)} ms/step; ${f1(cbInfer)} ms per inference batch`],
        ['convbook (2-lane pool)', f0(cb2Ti), '', '', f0(cb2Ii), '', '', lanesNote(lanes)],
        [
          'convbook, arithmetic fused (1 thread)',
          f0(fTi),
          '',
          '',
          f0(fIi),
          '',
          '',
          `${f1(fusedTrain)} ms/step; ${f1(fusedInfer)} ms per inference batch`,
        ],
        ['convbook, arithmetic fused (2-lane pool)', f0(f2Ti), '', '', f0(f2Ii), '', '', lanesNote(fusedLanes)],
        [
          `PyTorch ${tt?.version ?? ''} (best of 1, 2 threads)`,
          f0(img(torchTrainBest, sizes.batch)),
          r2(bestTi, img(torchTrainBest, sizes.batch)),
          r2(bestFTi, img(torchTrainBest, sizes.batch)),
          f0(img(torchInferBest, sizes.inferBatch)),
          r2(bestIi, img(torchInferBest, sizes.inferBatch)),
          r2(bestFIi, img(torchInferBest, sizes.inferBatch)),
          tt
            ? `train ms/step 1 thread ${f1(tt.train['1'])}, 2 threads ${f1(tt.train['2'])}; infer ms 1 thread ${f1(tt.infer['1'])}, 2 threads ${f1(tt.infer['2'])}`
            : String(torch),
        ],
        [
          'ONNX Runtime (best of 1, 2 intra-op threads)',
          'n/a',
          '',
          '',
          f0(ortBest?.rate.median),
          r2(bestIi, ortBest?.rate.median),
          r2(bestFIi, ortBest?.rate.median),
          typeof ort === 'string'
            ? ort
            : `net exported by convbook; 1 thread ${f0(ort.byThreads['1'].median)}, 2 threads ${f0(ort.byThreads['2'].median)} img/s; outputs agree to ${ort.maxDiff.toExponential(1)}`,
        ],
      ],
    ),
  );
  console.log();
  console.log(
    table(
      [
        'cost growth, training, one thread',
        'convbook ms/step',
        'convbook img/s',
        'PyTorch ms/step',
        'PyTorch img/s',
        'convbook / PyTorch (img/s)',
      ],
      sizes.grid.map(([w, b], i) => {
        const pt = tt?.growth[`${w}x${b}`];
        return [`width ×${w}, batch ${b}`, f1(growth[i]), f0(img(growth[i], b)), f1(pt), f0(img(pt, b)), r2(img(growth[i], b), img(pt, b))];
      }),
    ),
  );
  console.log(
    `\nload average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
