// Benchmark child for convbook: LeNet-5 training through the library's train() with W pool workers
// (argv[3]; argv[4] 'fused' for `arithmetic fused`), then — in the one-worker child only — inference with forwardBatched at batch 256, per-layer
// conv times and matmul rates. Prints one PeerResult line (see common.ts). Run by scripts/bench.ts.
import { createHash } from 'node:crypto';
import { conv2dColsSize, conv2dBackward, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { Arithmetic, TrainSpec } from '../../runtime/spec.js';
import { train } from '../../runtime/train/loop.js';
import { createLocalEngine, type GradientEngine } from '../../runtime/train/gradient-engine.js';
import { createPool } from '../../runtime/pool/pool.js';
import {
  childConfig,
  emit,
  maxRssMB,
  median,
  now,
  rate,
  StepClock,
  timeWindows,
  type BenchConfig,
  type Paired,
  type PeerResult,
  type Rate,
} from './common.js';
import { matmulRates } from './convbook-matmul.js';
import { batchFloats, batchLabels, loadBenchData } from './data.js';
import { lenet5 } from './lenet.js';
import type { Net } from '../../runtime/types.js';
import type { Dataset } from '../../runtime/data/dataset.js';

async function timeTraining(
  cfg: BenchConfig,
  ds: Dataset,
  workers: number,
  arithmetic: Arithmetic,
): Promise<{ net: Net; windows: number[]; cpuWindows: number[]; losses: number[] }> {
  const net = createNet(lenet5, { rng: createRng(cfg.seed) });
  const spec: TrainSpec = {
    model: 'lenet5',
    data: ds.name,
    epochs: 1,
    batch: cfg.batch,
    seed: cfg.seed,
    validation: 0,
    evalEvery: 0,
    workers,
    optimizer: { kind: 'sgd', lr: cfg.lr, momentum: cfg.momentum, nesterov: false },
    schedule: { kind: 'constant' },
    arithmetic,
  };
  const losses: number[] = [];
  const abort = { aborted: false };
  // Windows cut by step count only, so the 1- and 2-worker runs make the same updates and their weights compare.
  const clock = new StepClock({ ...cfg, warmupSeconds: Infinity, windowSeconds: Infinity, trainSeconds: Infinity });
  // Step events arrive once per update, so window edges are step-to-step wall time (the loop's own overhead included).
  const res = await train({
    net,
    spec,
    data: ds,
    abort,
    trainEvalLimit: 1,
    onEvent: (e) => {
      if (e.type !== 'step') return;
      losses.push(e.loss);
      if (clock.tick()) abort.aborted = true;
    },
  });
  if (res.reason !== 'aborted') throw new Error(`training ended (${res.reason}) before the timed windows did`);
  return { net, windows: clock.windows, cpuWindows: clock.cpuWindows, losses };
}

/**
 * On a shared machine the speed of a core drifts over seconds, so two separate runs compare different
 * machines. Here one train() run switches its gradient engine between this thread alone and a 2-worker
 * pool every `windowSteps` steps (both give the same bits, so it is one ordinary run), after a warm-up
 * that exercises both; each pair of adjacent windows gives a ratio measured under nearly the same load.
 */
async function timePaired(cfg: BenchConfig, ds: Dataset, pairs: number, arithmetic: Arithmetic): Promise<Paired> {
  const net = createNet(lenet5, { rng: createRng(cfg.seed) });
  const spec: TrainSpec = {
    model: 'lenet5',
    data: ds.name,
    epochs: 1,
    batch: cfg.batch,
    seed: cfg.seed,
    validation: 0,
    evalEvery: 0,
    workers: 2,
    optimizer: { kind: 'sgd', lr: cfg.lr, momentum: cfg.momentum, nesterov: false },
    schedule: { kind: 'constant' },
    arithmetic,
  };
  let usePool = false;
  const engine = async (o: Parameters<typeof createLocalEngine>[0]): Promise<GradientEngine> => {
    const local = createLocalEngine(o);
    const pool = await createPool({ ...o, workers: 2 });
    let current = local;
    return {
      workers: 2,
      optimizer: local.optimizer,
      compute: (step, batch, n, lr) => {
        const next = usePool ? pool : local;
        // Each engine has its own optimizer; the one taking over continues from the other's exact state.
        if (next !== current) next.optimizer!.setState(current.optimizer!.getState());
        current = next;
        return next.compute(step, batch, n, lr);
      },
      close: async () => {
        await pool.close();
        await local.close();
      },
    };
  };
  const out: Paired = { one: [], two: [], ratios: [] };
  const abort = { aborted: false };
  const w = cfg.windowSteps;
  let steps = 0,
    t0 = 0;
  await train({
    net,
    spec,
    data: ds,
    abort,
    trainEvalLimit: 1,
    engine,
    onEvent: (e) => {
      if (e.type !== 'step') return;
      steps++;
      // Warm-up: both engines, alternating every 10 steps.
      if (steps <= cfg.warmup) {
        usePool = Math.floor(steps / 10) % 2 === 1;
        if (steps === cfg.warmup) {
          usePool = false;
          t0 = now();
        }
        return;
      }
      const k = steps - cfg.warmup;
      if (k % w !== 0) return;
      const t = now();
      (usePool ? out.two : out.one).push((w * cfg.batch) / ((t - t0) / 1000));
      t0 = t;
      if (usePool) out.ratios.push(out.two[out.two.length - 1] / out.one[out.one.length - 1]);
      usePool = !usePool;
      if (out.ratios.length >= pairs) abort.aborted = true;
    },
  });
  return out;
}

/**
 * Inference on W lanes: the pool's evaluation (what train() runs on every lane at each measurement),
 * eval-mode forward passes of cfg.inferBatch examples handed out to the lanes, plus loss and accuracy.
 */
async function timePoolInference(cfg: BenchConfig, ds: Dataset, net: Net, workers: number): Promise<Rate> {
  const n = cfg.inferImages;
  const split = { images: new Float32Array(n * 784), labels: new Uint8Array(n), count: n };
  batchFloats(ds, 0, n, split.images);
  const labels = new Int32Array(n);
  batchLabels(ds, 0, n, labels);
  split.labels.set(labels);
  const pool = await createPool({ net, split, shape: { c: 1, h: 28, w: 28 }, seed: cfg.seed, batch: cfg.batch, micro: 16, workers });
  try {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    for (let r = 0; r < 3; r++) await pool.evaluate!('train', idx, cfg.inferBatch); // warm-up (every lane's JIT)
    const wall: number[] = [],
      cpu: number[] = [];
    for (let k = 0; k < cfg.inferWindows; k++) {
      const t0 = now(),
        c0 = process.cpuUsage();
      await pool.evaluate!('train', idx, cfg.inferBatch);
      const c = process.cpuUsage(c0);
      wall.push(n / ((now() - t0) / 1000));
      cpu.push(n / ((c.user + c.system) / 1e6));
    }
    return rate(wall, cpu);
  } finally {
    await pool.close();
  }
}

function timeInference(cfg: BenchConfig, ds: Dataset, net: Net): Rate {
  const x = new Float32Array(cfg.inferImages * 784);
  batchFloats(ds, 0, cfg.inferImages, x);
  forwardBatched(net, x, cfg.inferBatch, cfg.inferBatch); // warm-up
  return timeWindows(cfg.inferWindows, cfg.inferImages, () => forwardBatched(net, x, cfg.inferImages, cfg.inferBatch));
}

/** Milliseconds per call of fn: median of `reps` after two warm-ups. */
function msPerCall(reps: number, fn: () => void): number {
  fn();
  fn();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    fn();
    t.push(now() - t0);
  }
  return median(t);
}

/** Each LeNet conv layer's kernels at batch 64 as training calls them (columns kept between passes), and the whole net. */
function timeLayers(cfg: BenchConfig, ds: Dataset): Record<string, number> {
  const n = cfg.batch;
  const rng = createRng(7);
  const rand = (len: number) => Float32Array.from({ length: len }, () => rng.next() - 0.5);
  const geoms: Record<string, Conv2dShape> = {
    conv1: { c: 1, h: 28, w: 28, kh: 5, kw: 5, sh: 1, sw: 1, top: 2, left: 2, replicate: false, ho: 28, wo: 28, f: 6 },
    conv2: { c: 6, h: 14, w: 14, kh: 5, kw: 5, sh: 1, sw: 1, top: 0, left: 0, replicate: false, ho: 10, wo: 10, f: 16 },
  };
  const out: Record<string, number> = {};
  const reps = cfg.quick ? 5 : 15;
  for (const [name, s] of Object.entries(geoms)) {
    const x = rand(n * s.c * s.h * s.w),
      w = rand(s.f * s.c * s.kh * s.kw),
      b = rand(s.f);
    const y = new Float32Array(n * s.f * s.ho * s.wo),
      dy = rand(y.length);
    const cols = new Float32Array(n * conv2dColsSize(s)),
      dcols = new Float32Array(conv2dColsSize(s));
    const dw = new Float32Array(w.length),
      db = new Float32Array(b.length);
    // The net skips dx for its first layer; conv2 needs it.
    const dx = name === 'conv1' ? null : new Float32Array(x.length);
    out[`${name} forward`] = msPerCall(reps, () => conv2dForward(y, x, w, b, n, s, cols, true));
    out[`${name} backward`] = msPerCall(reps, () => conv2dBackward(dx, dw, db, dy, x, w, n, s, cols, dcols, true));
  }
  const net = createNet(lenet5, { rng: createRng(cfg.seed) });
  const xb = new Float32Array(n * 784);
  const tb = new Int32Array(n);
  batchFloats(ds, 0, n, xb);
  batchLabels(ds, 0, n, tb);
  out['net forward (train)'] = msPerCall(reps, () => net.forward(xb, n, 'train', rng));
  out['net backward'] =
    msPerCall(reps, () => {
      net.forward(xb, n, 'train', rng);
      net.zeroGrad();
      net.backward(tb, 1 / n);
    }) - out['net forward (train)'];
  out['net forward (eval)'] = msPerCall(reps, () => net.forward(xb, n, 'eval'));
  return out;
}

async function main(): Promise<void> {
  const cfg = childConfig();
  const workers = Number(process.argv[3] ?? 1);
  const arithmetic: Arithmetic = process.argv[4] === 'fused' ? 'fused' : 'portable';
  const fused = arithmetic === 'fused';
  const { dataset: ds, label } = await loadBenchData(cfg.seed);
  const r: PeerResult = {
    peer: `convbook-${workers}${fused ? '-fused' : ''}`,
    label: `convbook ${workers} worker${workers > 1 ? 's' : ''}${fused ? ', arithmetic fused' : ''}`,
    data: label,
    maxRssMB: 0,
    na: {},
    notes: [],
  };
  const t = await timeTraining(cfg, ds, workers, arithmetic);
  r.train = { ...rate(t.windows, t.cpuWindows), steps: t.losses.length, firstLoss: t.losses[0], lastLoss: t.losses[t.losses.length - 1] };
  r.weightsHash = createHash('sha256')
    .update(new Uint8Array(t.net.paramBuf.buffer, t.net.paramBuf.byteOffset, t.net.paramBuf.byteLength))
    .digest('hex');
  r.notes.push(
    `train(): SGD momentum ${cfg.momentum}, lr ${cfg.lr}, micro-batches of 16, ${t.losses.length} steps; step-to-step wall time`,
  );
  if (workers === 1) {
    r.infer = timeInference(cfg, ds, t.net);
    // The per-layer and matmul figures are the portable kernels', measured once.
    if (!fused) {
      r.layers = timeLayers(cfg, ds);
      const mm = await matmulRates(cfg.matmulSizes, cfg.matmulReps);
      r.matmul = mm.one;
      r.extra = { matmul2: mm.two };
    }
  } else {
    r.infer = await timePoolInference(cfg, ds, t.net, workers);
    r.notes.push(
      `infer: the pool's evaluation on ${workers} lanes (train()'s per-epoch measurement path): forward passes of ${cfg.inferBatch} handed out to the lanes, with loss and accuracy`,
    );
    const capacity = async () => {
      const m = await matmulRates([1024], cfg.quick ? 1 : 3);
      return m.two['1024'] / m.one['1024'];
    };
    const before = await capacity();
    const paired = await timePaired(cfg, ds, cfg.quick ? 3 : 8, arithmetic);
    r.extra = { paired: { ...paired, capacity: [before, await capacity()] } };
    r.notes.push(
      `paired: one train() run alternating this thread alone and 2 workers every ${cfg.windowSteps} steps, ${paired.ratios.length} pairs`,
    );
  }
  r.maxRssMB = maxRssMB();
  emit(r);
}

await main();
