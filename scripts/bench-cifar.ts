// `npm run build && node dist/scripts/bench-cifar.js [--quick]`: the CIFAR-shaped second benchmark network
// (scripts/bench/cifar.ts) on seeded synthetic 32×32×3 data — convbook on one thread beside PyTorch (best of
// 1 and 2 threads) for training and inference and ONNX Runtime (best of 1 and 2 intra-op threads, the net
// exported by convbook) for inference; then how cost grows with batch and conv width, convbook and PyTorch
// each on one thread. Prints markdown tables. A benchmark, never a test; a few minutes on 2 cores.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createNet, forwardBatched } from '../runtime/net.js';
import { createRng } from '../runtime/rng.js';
import { benchConfig, median, RESULT_MARK } from './bench/common.js';
import { cifarNet } from './bench/cifar.js';
import { bestRate, onnxRuntimeRates } from './bench/onnxruntime-peer.js';
import type { Net } from '../runtime/types.js';

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

/** Seeded uniform [0, 1) images and labels in [0, 10). */
function synthetic(n: number, seed: number): { x: Float32Array; t: Int32Array } {
  const rng = createRng(seed);
  return { x: Float32Array.from({ length: n * IMG }, () => rng.next()), t: Int32Array.from({ length: n }, () => rng.int(10)) };
}

/** One plain-SGD training step (forward, backward, update) on one thread; ms per step. */
function trainMs(width: number, batch: number, steps: number, budget: number): number {
  const net = createNet(cifarNet(width), { rng: createRng(1) });
  const { x, t } = synthetic(batch, 2);
  const rng = createRng(3);
  return timed(
    () => {
      net.zeroGrad();
      net.forward(x, batch, 'train', rng);
      net.backward(t, 1 / batch);
      const p = net.paramBuf,
        g = net.gradBuf;
      for (let j = 0; j < p.length; j++) p[j] -= 0.01 * g[j];
    },
    steps,
    budget,
  );
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
  console.log('  convbook done');

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
  console.log(
    table(
      ['CIFAR-shaped net, synthetic data', 'train img/s (b64)', 'convbook / this', 'infer img/s (b256)', 'convbook / this', 'notes'],
      [
        ['convbook (1 thread)', f0(cbTi), '', f0(cbIi), '', `${f1(cbTrain)} ms/step; ${f1(cbInfer)} ms per inference batch`],
        [
          `PyTorch ${tt?.version ?? ''} (best of 1, 2 threads)`,
          f0(img(torchTrainBest, sizes.batch)),
          r2(cbTi, img(torchTrainBest, sizes.batch)),
          f0(img(torchInferBest, sizes.inferBatch)),
          r2(cbIi, img(torchInferBest, sizes.inferBatch)),
          tt
            ? `train ms/step 1 thread ${f1(tt.train['1'])}, 2 threads ${f1(tt.train['2'])}; infer ms 1 thread ${f1(tt.infer['1'])}, 2 threads ${f1(tt.infer['2'])}`
            : String(torch),
        ],
        [
          'ONNX Runtime (best of 1, 2 intra-op threads)',
          'n/a',
          '',
          f0(ortBest?.rate.median),
          r2(cbIi, ortBest?.rate.median),
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
