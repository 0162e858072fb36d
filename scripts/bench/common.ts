// What every benchmark child shares: the run's sizes (full or --quick), the result record it prints as
// one marked JSON line on stdout, medians, and the LeNet-5 shape used by all peers.
// Timing lives here; nothing in this folder is a test, and nothing asserts a time.
import { performance } from 'node:perf_hooks';

/** Sizes of one run; `--quick` shrinks every loop so the whole run takes about two minutes. */
export interface BenchConfig {
  quick: boolean;
  batch: number; // training batch
  warmup: number; // training steps before timing
  windowSteps: number; // training steps per timed window
  windows: number; // timed windows (the median is reported)
  warmupSeconds: number; // slow peers: warm-up ends early after this long (but after 1 step)
  windowSeconds: number; // slow peers: a window ends early after this long (but after 1 step)
  trainSeconds: number; // slow peers: no new window starts after this long in the timed phase (at least one runs)
  inferBatch: number;
  inferImages: number; // images per timed inference window
  inferWindows: number;
  matmulSizes: number[];
  matmulReps: number;
  lr: number;
  momentum: number;
  seed: number;
}

export function benchConfig(quick: boolean): BenchConfig {
  return quick
    ? {
        quick,
        batch: 64,
        warmup: 20,
        windowSteps: 10,
        windows: 3,
        warmupSeconds: 5,
        windowSeconds: 4,
        trainSeconds: 15,
        inferBatch: 256,
        inferImages: 1024,
        inferWindows: 3,
        matmulSizes: [256, 512, 1024],
        matmulReps: 1,
        lr: 0.01,
        momentum: 0.9,
        seed: 1,
      }
    : {
        quick,
        batch: 64,
        warmup: 40,
        windowSteps: 40,
        windows: 5,
        warmupSeconds: 10,
        windowSeconds: 10,
        trainSeconds: 50,
        inferBatch: 256,
        inferImages: 2560,
        inferWindows: 5,
        matmulSizes: [256, 512, 1024],
        matmulReps: 3,
        lr: 0.01,
        momentum: 0.9,
        seed: 1,
      };
}

/**
 * A measured rate: the median of the windows, and every window so noise is visible. perCpuSecond is the
 * median of the same windows over process CPU time (all threads): far less sensitive to other load on a
 * shared machine than wall time, though it hides any speed-up from a second thread.
 */
export interface Rate {
  median: number;
  windows: number[];
  perCpuSecond?: number;
  cpuWindows?: number[];
}

/** 1 vs 2 workers measured in alternating windows of one training run (the 2-worker child's extra.paired). */
export interface Paired {
  one: number[];
  two: number[];
  /** two[i] / one[i] for each adjacent pair of windows. */
  ratios: number[];
  /**
   * The machine's own 2-thread capacity just before and just after the windows: a 1024² matmul split over
   * two threads, in multiples of its one-thread speed (about 2 when both cores are free for this process).
   */
  capacity?: number[];
}

/** What one child reports. Absent fields were not measured; `na` says why a figure is missing. */
export interface PeerResult {
  peer: string;
  label: string;
  version?: string;
  data: string;
  train?: Rate & { steps: number; firstLoss?: number; lastLoss?: number };
  infer?: Rate;
  /** GFLOP/s by matrix side ("256", "512", "1024"), square single-precision products. */
  matmul?: Record<string, number>;
  /** Milliseconds per call at batch 64, by `${layer} forward|backward`. */
  layers?: Record<string, number>;
  /** sha256 of the parameters after warm-up + timed steps (convbook's worker-count check). */
  weightsHash?: string;
  maxRssMB: number;
  na: Record<string, string>;
  notes: string[];
  /** Extra per-peer figures (e.g. torch at 1 and at 2 threads). */
  extra?: Record<string, unknown>;
}

export const RESULT_MARK = 'BENCH_RESULT ';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function rate(windows: number[], cpuWindows?: number[]): Rate {
  return cpuWindows?.length
    ? { median: median(windows), windows, perCpuSecond: median(cpuWindows), cpuWindows }
    : { median: median(windows), windows };
}

/** CPU seconds this process (every thread) has used. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Runs `work` (which handles `images` images) `count` times; images per wall second and per CPU second. */
export function timeWindows(count: number, images: number, work: () => void): Rate {
  const wall: number[] = [],
    cpu: number[] = [];
  for (let k = 0; k < count; k++) {
    const t0 = now(),
      c0 = cpuSeconds();
    work();
    wall.push(images / ((now() - t0) / 1000));
    cpu.push(images / (cpuSeconds() - c0));
  }
  return rate(wall, cpu);
}

export const now = (): number => performance.now();

/** Peak resident set of this process (threads included), in MB. */
export function maxRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function emit(r: PeerResult): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(r)}\n`);
}

/** Child arguments: the config travels as JSON in argv[2] so every peer runs the very same sizes. */
export function childConfig(): BenchConfig {
  const raw = process.argv[2];
  return raw ? (JSON.parse(raw) as BenchConfig) : benchConfig(false);
}

/** Square matrix product rate: 2n³ flops over the median time of `reps` products (after one warm-up). */
export function gflops(n: number, reps: number, run: () => void): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    run();
    times.push((now() - t0) / 1000);
  }
  return (2 * n * n * n) / median(times) / 1e9;
}

/**
 * Training-step clock: call tick() after each completed step; it returns true once the warm-up and every
 * timed window are done. Windows are cut by step count or, for slow peers, by time, and report images/s.
 */
export class StepClock {
  readonly windows: number[] = [];
  readonly cpuWindows: number[] = [];
  steps = 0;
  private phaseCpu = 0;
  private phaseStart = 0;
  private phaseSteps = 0;
  private warm = false;
  private first = 0;
  private timedStart = 0;

  constructor(private readonly cfg: BenchConfig) {}

  tick(): boolean {
    const t = now();
    this.steps++;
    if (this.steps === 1) this.first = t;
    if (!this.warm) {
      // A peer slow enough to need seconds per step gains nothing from a second warm-up step.
      if (this.steps >= this.cfg.warmup || (t - this.first) / 1000 >= this.cfg.warmupSeconds) {
        this.warm = true;
        this.timedStart = t;
        this.phaseStart = t;
        this.phaseCpu = cpuSeconds();
        this.phaseSteps = 0;
      }
      return false;
    }
    this.phaseSteps++;
    const secs = (t - this.phaseStart) / 1000;
    if (this.phaseSteps >= this.cfg.windowSteps || secs >= this.cfg.windowSeconds) {
      const c = cpuSeconds();
      this.windows.push((this.phaseSteps * this.cfg.batch) / secs);
      this.cpuWindows.push((this.phaseSteps * this.cfg.batch) / (c - this.phaseCpu));
      this.phaseCpu = c;
      this.phaseStart = t;
      this.phaseSteps = 0;
    }
    const overBudget = this.phaseSteps === 0 && (t - this.timedStart) / 1000 >= this.cfg.trainSeconds;
    return this.windows.length >= this.cfg.windows || (this.windows.length > 0 && overBudget);
  }
}
