// Shared memory between the pool master and its workers. Big arrays travel once, as SharedArrayBuffers
// in the init message; a step is started, handed out, finished, reduced and applied through the Int32
// control words below with Atomics (wait/notify), so no message crosses threads on the hot path.
import type { WeightDecay } from '../optim/index.js';
import type { Arithmetic, AugmentSpec, ModelSpec, OptimizerSpec, Shape3 } from '../spec.js';

export const MODE_TRAIN = 0;
export const MODE_EVAL = 1;

/** Indices into the Int32 control array. */
export const Ctl = {
  /** Bumped by the master to start a step (workers wait on it); −1 asks workers to stop. */
  GEN: 0,
  /** Examples in this step's batch. */
  N: 1,
  /** Micro-batches in this step. */
  COUNT: 2,
  /** The next micro-batch nobody has taken yet (Atomics.add hands them out). */
  NEXT: 3,
  /** Micro-batches finished (the barrier before reduction). */
  DONE: 4,
  /** Worker lanes that finished reducing their share of the gradient. */
  REDUCED: 5,
  /** This step's index (random streams depend on it). */
  STEP: 6,
  /** The optimizer update this step applies (1-based), or 0 for gradients only. */
  UPDATE: 7,
  /** What GEN started: MODE_TRAIN (a step; N, COUNT, STEP, UPDATE) or MODE_EVAL (measuring; N, COUNT, SPLIT). */
  MODE: 8,
  /** Which split an evaluation reads: 0 the training split, 1 the test split. */
  SPLIT: 9,
  /** Examples per evaluation chunk (one forward pass each). */
  CHUNK: 10,
  /** 1 when an evaluation also writes each example's output to WorkerInit.outputs. */
  OUTPUTS: 11,
  /** Number of Int32 words. */
  SIZE: 12,
} as const;

export interface WorkerInit {
  /** Lane index 1..W−1 (the master is lane 0). */
  index: number;
  lanes: number;
  spec: ModelSpec;
  /** The master net's kernels: every lane computes with the same ones. */
  arithmetic: Arithmetic;
  shape: Shape3;
  seed: number;
  micro: number;
  augment?: AugmentSpec;
  /** Training split pixels (Uint8 = value/255, or Float32) and labels. */
  images: SharedArrayBuffer;
  imagesKind: 'u8' | 'f32';
  labels: SharedArrayBuffer;
  count: number;
  /** Float32 (P): the weights every replica reads. */
  params: SharedArrayBuffer;
  /** Float32 (maxM, P): one gradient slot per micro-batch. */
  gradSlots: SharedArrayBuffer;
  /** Float32 (P): the reduced gradient, each lane writing its own share. */
  grad: SharedArrayBuffer;
  /** Float32 (S): batch-norm state at the start of the step. */
  stateStart: SharedArrayBuffer;
  /** Float32 (maxM, S): state after each micro-batch's forward. */
  stateSlots: SharedArrayBuffer;
  /** Float64 (maxM, 2): Σ loss and correct count per micro-batch. */
  stats: SharedArrayBuffer;
  /** Int32 (maxM): the GEN of the step whose micro-batch m is in its slot (set before DONE counts it). */
  ready: SharedArrayBuffer;
  /** Int32 (batch): the example indices of the current batch. */
  batch: SharedArrayBuffer;
  /** Int32 (Ctl.SIZE): the control words. */
  ctl: SharedArrayBuffer;
  /** The test split, when the run measures it (evaluations are spread over the lanes too). */
  test?: { images: SharedArrayBuffer; imagesKind: 'u8' | 'f32'; labels: SharedArrayBuffer; count: number };
  /** Int32 (max split size): the example indices of the current evaluation. */
  evalIdx: SharedArrayBuffer;
  /** Float64 (chunks, 2): Σ loss and correct count per evaluation chunk (chunks of at least MIN_EVAL_CHUNK). */
  evalStats: SharedArrayBuffer;
  /** Float64 (1): this step's learning rate. */
  lr: SharedArrayBuffer;
  /** The optimizer, its state buffers shared by every lane (each updates its own share of the weights). */
  optimizer?: { spec: OptimizerSpec; frozen?: string[]; weightDecay?: WeightDecay; slots: Record<string, SharedArrayBuffer> };
  /** Float32 (examples, size): each evaluated example's output of `layer` (the net's output when absent). */
  outputs?: { buffer: SharedArrayBuffer; size: number; layer?: string };
  /** The longest a wait spins (createSpinner); testing aid, SPIN_MS when absent (0: never spin). */
  spin?: number;
  /** Testing aid: crash (uncaught throw) when this worker takes this micro-batch of this step. */
  fault?: { step: number; micro: number };
}

/** A job for a kept thread (runtime/pool/lanes.ts): it builds its replica from `init` and answers ready. */
export type ToWorker = { type: 'job'; init: WorkerInit };

/** Lane `lane` of `lanes` reduces gradient elements [from, to): contiguous shares, cut on 16-float boundaries. */
export function laneShare(lane: number, lanes: number, len: number): { from: number; to: number } {
  const cut = (k: number) => Math.min(len, Math.ceil((len * k) / lanes / 16) * 16);
  return { from: cut(lane), to: cut(lane + 1) };
}

export type FromWorker = { type: 'ready' } | { type: 'error'; message: string };

/**
 * Spins until ctl[i] differs from `value`, for at most `ms` milliseconds; true if it changed. A thread
 * about to sleep on a word that is due to change within a step spins first: on a virtual machine waking a
 * sleeping core costs tens to hundreds of microseconds, several times per step.
 */
export function spinWhileEqual(ctl: Int32Array, i: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let k = 0; k < 256; k++) if (Atomics.load(ctl, i) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** The longest a waiting lane spins before it sleeps (see spinWhileEqual and createSpinner). */
export const SPIN_MS = 1;

/**
 * A wait site's spin budget, adapted to the machine. A wait that outlasted SPIN_MS (a spin that failed,
 * then a long sleep) drops the budget to nothing; each wait that ended within SPIN_MS (spinning would have
 * caught it) doubles it back, from SPIN_MS/16 up to SPIN_MS. On a busy machine the other lane is often
 * descheduled for milliseconds, and a lane spinning for it only keeps it off the core: measured under a
 * busy-loop on one of 2 cores, always spinning 1 ms made 2 workers 0.80–0.87× one, this 0.96–0.97×.
 */
export interface Spinner {
  /** ctl[i] ≠ value within the current budget (spinWhileEqual; one look when the budget is 0). */
  spin(ctl: Int32Array, i: number, value: number): boolean;
  /** After a failed spin and a sleep: the whole wait began at `since` (performance.now()). */
  slept(since: number): void;
  /** Milliseconds the next spin may take. */
  readonly budget: number;
}

export function createSpinner(max = SPIN_MS): Spinner {
  let budget = max;
  return {
    spin: (ctl, i, value) => (budget > 0 ? spinWhileEqual(ctl, i, value, budget) : Atomics.load(ctl, i) !== value),
    slept(since) {
      budget = performance.now() - since <= max ? Math.max(max / 16, Math.min(max, 2 * budget)) : 0;
    },
    get budget() {
      return budget;
    },
  };
}

/** The smallest evaluation chunk the shared per-chunk statistics are sized for. */
export const MIN_EVAL_CHUNK = 16;

/**
 * dst[from, to) ← dst + slot k (slot 0: 0 + slot 0), rounded to float32: reduceSlots' k-th addition, so adding
 * slots 0, 1, … one call at a time, in order, gives its bits. A lane waiting at the barrier adds each slot
 * as soon as its micro-batch is in, so little of the reduction is left once the last one arrives.
 */
export function addSlot(dst: Float32Array, slots: Float32Array, k: number, len: number, from: number, to: number): void {
  const o = k * len;
  if (k === 0) for (let i = from; i < to; i++) dst[i] = Math.fround(0 + slots[o + i]);
  else for (let i = from; i < to; i++) dst[i] = Math.fround(dst[i] + slots[o + i]);
}
