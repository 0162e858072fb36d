// Data-parallel gradients on W lanes: lane 0 is this (master) thread computing with the net itself, lanes
// 1..W−1 are worker threads holding replicas whose weights view one shared buffer. The master starts a
// step by bumping a shared control word the workers sleep on (Atomics.wait/notify, no messages). Lane i
// starts with micro-batch i and then takes the next untaken one from a shared counter, so a lane that
// starts late or runs slow simply computes fewer. Every micro-batch writes its own slot; after a barrier
// each lane sums its own share of the gradient over slots 0..M−1 in order, so 1, 2 or 4 workers give the
// same bits; each lane then applies the optimizer to the same share of the shared weights — the net's own,
// which createNet puts in shared memory (other nets get a copy in and out per step). A worker that crashes
// computing leaves the net untouched (weights change only after every micro-batch is in), and the pool
// restarts its workers on the next call. The threads are a job's, not the pool's: given kept Lanes (a
// session's), a pool is one job on them and close() leaves them running for the next statement.
import type { Worker } from 'node:worker_threads';
import type { SplitView } from '../train/split-view.js';
import type { BatchResult, EngineOptions, GradientEngine } from '../train/gradient-engine.js';
import { createOptimizer } from '../optim/index.js';
import type { Metrics } from '../train/events.js';
import { evalBuffers, evalChunk, EVAL_CHUNK } from '../train/metrics.js';
import type { Buf } from '../types.js';
import { createLanes, type Lanes } from './lanes.js';
import { copyOutputs, outputValues } from './outputs.js';
import { createMicroContext, microCount, reduceState, runMicroBatch } from '../train/micro-batch.js';
import {
  addSlot,
  Ctl,
  laneShare,
  MIN_EVAL_CHUNK,
  MODE_EVAL,
  MODE_TRAIN,
  createSpinner,
  type Spinner,
  type FromWorker,
  type WorkerInit,
} from './shared-memory.js';

export interface PoolOptions extends EngineOptions {
  workers: number;
  /** Kept threads to run on (a session's); without them the pool starts its own and stops them on close. */
  lanes?: Lanes;
  /** Room for per-example outputs (of `layer`, or the net's output) of up to `examples` examples. */
  outputs?: { layer?: string; examples: number };
  /** Testing aid, see WorkerInit.spin: the longest any lane's wait spins (0: sleep at once). */
  spin?: number;
  /** Testing aid, see WorkerInit.fault; applies to the first set of workers only. */
  fault?: { step: number; micro: number };
  /** Profiling aid (scripts/profile-pool.ts): milliseconds lane 0 spends in each phase of a step, summed. */
  profile?: StepProfile;
}

/** Where lane 0's time goes in compute(), summed over steps. */
export interface StepProfile {
  steps: number;
  /** Micro-batches lane 0 computed. */
  micro: number;
  /** Starting the step (post): copies of weights and state when not shared, waking the other lanes. */
  start: number;
  /** Finishing it: copies out when not shared, batch-norm state, the sums. */
  finish: number;
  /** Lane 0's own micro-batches. */
  own: number;
  /** At the barrier: its micro-batches done, waiting for the other lanes'. */
  waitDone: number;
  /** Its share of the reduction and the optimizer update. */
  reduce: number;
  /** Waiting for the other lanes' shares of the reduction and update. */
  waitReduced: number;
}

/** What an evaluation job gives back (Pool.measure). */
export interface Measured {
  /** Σ per-example loss, summed chunk by chunk in order (as evaluate() and evaluateReport() sum it). */
  loss: number;
  correct: number;
  /** Float32 (n, size): each example's output, when asked for (the view is reused by the next call). */
  outputs?: Float32Array;
}

export interface Pool extends GradientEngine {
  evaluate(split: 'train' | 'test', indices: ArrayLike<number>, chunk?: number): Promise<Metrics>;
  /**
   * Eval-mode forward passes over examples `indices` of a split in chunks spread over the lanes; with
   * `outputs`, each example's output (PoolOptions.outputs). `beforeChunk` runs on this thread before each
   * chunk it takes (interrupt checks): when it throws, the lanes finish the chunk they hold and stop.
   */
  measure(
    split: 'train' | 'test',
    indices: ArrayLike<number>,
    o?: { chunk?: number; outputs?: boolean; beforeChunk?: () => void },
  ): Promise<Measured>;
}

/** Replicas of nets with equal keys need the same memory, so kept threads are reused only for an equal key. */
export function replicaKey(spec: EngineOptions['net']['spec'], params: number): string {
  return JSON.stringify({ input: spec.input, layers: spec.layers, params });
}

/**
 * The dataset crosses to workers once per split object, as shared memory. The split then reads that shared
 * copy itself (same values), so the session does not hold the data twice once the original is collected.
 */
const sharedSplits = new WeakMap<SplitView, { images: SharedArrayBuffer; labels: SharedArrayBuffer; kind: 'u8' | 'f32' }>();

function shareSplit(split: SplitView) {
  let s = sharedSplits.get(split);
  if (!s) {
    const kind = split.images instanceof Float32Array ? ('f32' as const) : ('u8' as const);
    const images = adopt(split.images, (b) => (kind === 'f32' ? new Float32Array(b) : new Uint8Array(b)));
    const labels = adopt(split.labels, (b) => new Uint8Array(b));
    split.images = kind === 'f32' ? new Float32Array(images) : new Uint8Array(images);
    split.labels = new Uint8Array(labels);
    s = { images, labels, kind };
    sharedSplits.set(split, s);
  }
  return s;
}

/** The array's own SharedArrayBuffer when it fills one exactly, else a shared copy of it. */
function adopt<A extends Uint8Array | Float32Array>(a: A, view: (b: SharedArrayBuffer) => A): SharedArrayBuffer {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a.buffer;
  const b = new SharedArrayBuffer(a.byteLength);
  view(b).set(a);
  return b;
}

export async function createPool(o: PoolOptions): Promise<Pool> {
  const { net } = o;
  const W = Math.max(1, Math.floor(o.workers));
  if (net.dtype !== 'float32' && W > 1) throw new Error('pool: worker replicas are float32; train float64 nets with workers = 1');
  const P = net.paramBuf.length;
  const S = net.stateBuf.length;
  const maxM = microCount(o.batch, o.micro);
  // Only worker threads read shared copies of the data (made once per split, then cached).
  const data = W > 1 ? shareSplit(o.split) : undefined;
  const test = o.test && o.test.count > 0 ? { split: o.test, ...(W > 1 ? shareSplit(o.test) : undefined) } : undefined;
  const maxEval = Math.max(o.split.count, test?.split.count ?? 0);
  const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  // A net whose float32 weights already fill a SharedArrayBuffer is read and updated in place:
  // no copy in before a step nor out after it (createNet allocates them so). Else the pool keeps copies.
  const ownBuffer = (b: Buf): SharedArrayBuffer | undefined =>
    W > 1 &&
    b instanceof Float32Array &&
    b.buffer instanceof SharedArrayBuffer &&
    b.byteOffset === 0 &&
    b.buffer.byteLength === P * 4 &&
    P > 0
      ? b.buffer
      : undefined;
  const sharedParams = ownBuffer(net.paramBuf);
  const mem = {
    params: sharedParams ?? sab(P * 4),
    gradSlots: sab(maxM * P * 4),
    // Never the net's own gradient: lane 0 uses that as scratch while the other lanes reduce into this.
    grad: sab(P * 4),
    stateStart: sab(S * 4),
    stateSlots: sab(maxM * S * 4),
    stats: sab(maxM * 2 * 8),
    ready: sab(maxM * 4),
    batch: sab(o.batch * 4),
    ctl: sab(Ctl.SIZE * 4),
    lr: sab(8),
    evalIdx: sab(maxEval * 4),
    evalStats: sab(Math.ceil(maxEval / MIN_EVAL_CHUNK) * 2 * 8),
  };
  const outSize = o.outputs ? outputValues(net, o.outputs.layer) : 0;
  const outBuffer = o.outputs && sab(o.outputs.examples * outSize * 4);
  const outValues = outBuffer && new Float32Array(outBuffer, 0, o.outputs!.examples * outSize);
  const params = new Float32Array(mem.params, 0, P);
  const gradSlots = new Float32Array(mem.gradSlots, 0, maxM * P);
  const grad = new Float32Array(mem.grad, 0, P);
  const stateStart = new Float32Array(mem.stateStart, 0, S);
  const stateSlots = new Float32Array(mem.stateSlots, 0, maxM * S);
  const stats = new Float64Array(mem.stats);
  const batchShared = new Int32Array(mem.batch);
  const ctl = new Int32Array(mem.ctl);
  const ready = new Int32Array(mem.ready);
  const lrShared = new Float64Array(mem.lr);
  const evalIdx = new Int32Array(mem.evalIdx);
  const evalStats = new Float64Array(mem.evalStats);
  let evalBufs = evalBuffers(net, o.shape);
  // The optimizer's state lives in shared buffers: the master's instance owns t and checkpoints, and every
  // lane (this one included) updates its own share of the shared weights with it after the reduction.
  const slots: Record<string, SharedArrayBuffer> = {};
  const optimizer =
    o.optimizer &&
    createOptimizer(o.optimizer.spec, net.params, params, grad, {
      frozen: o.optimizer.frozen,
      weightDecay: o.optimizer.weightDecay,
      slots: (name, length) => new Float64Array((slots[name] = new SharedArrayBuffer(Math.max(8, length * 8))), 0, length),
    });
  const lanes = o.lanes ?? createLanes();
  const key = replicaKey(net.spec, P);
  // Lane 0 runs here, on the master's own net: its weights are the ones the replicas read from `params`.
  const ctx = createMicroContext(net, o.split, o.shape, o.seed, o.micro, o.augment);
  const ownShare = laneShare(0, W, P);
  let masterFault = o.fault;
  // Lane 0's micro-batch runner, chosen once: only a pool made with a fault checks for it (once).
  const runLane0: typeof runMicroBatch = !o.fault
    ? runMicroBatch
    : (...args) => {
        const [, step, m] = args;
        if (masterFault && masterFault.step === step && masterFault.micro === m) {
          masterFault = undefined;
          throw new Error(`injected fault at step ${step}, micro-batch ${m}`);
        }
        return runMicroBatch(...args);
      };

  let workers: Worker[] = [];
  /** Each worker's listeners for this job, taken off when the job ends (the thread outlives it). */
  let detach: (() => void)[] = [];
  let fault = o.fault;
  /** The first failure a worker reported since the pool (re)started; its threads are then stopped. */
  let failure: Error | undefined;
  let broken = false;
  let closing = false;

  function spawn(i: number, w: Worker): Promise<void> {
    const init: WorkerInit = {
      index: i,
      lanes: W,
      spec: net.spec,
      arithmetic: net.arithmetic,
      shape: o.shape,
      seed: o.seed,
      micro: o.micro,
      augment: o.augment,
      images: data!.images,
      imagesKind: data!.kind,
      labels: data!.labels,
      count: o.split.count,
      ...mem,
      optimizer: o.optimizer && { ...o.optimizer, slots },
      test: test && { images: test.images!, imagesKind: test.kind!, labels: test.labels!, count: test.split.count },
      outputs: outBuffer && { buffer: outBuffer, size: outSize, layer: o.outputs!.layer },
      spin: o.spin,
      fault,
    };
    workers[i] = w;
    // A running job keeps the process alive; an idle kept thread does not (lanes.ts).
    w.ref();
    return new Promise<void>((resolve, reject) => {
      // Events of a worker already replaced by a restart must not touch its successor.
      const fail = (message: string) => {
        if (workers[i] !== w) return;
        const e = new Error(`training worker ${i + 1} of ${W} failed: ${message}`);
        failure ??= e;
        reject(e);
      };
      const onMessage = (m: FromWorker) => (m.type === 'error' ? fail(m.message) : resolve());
      const onError = (e: Error) => fail(e.message);
      const onExit = (code: number) => !closing && fail(`exited with code ${code}`);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      detach.push(() => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        w.unref();
      });
      w.postMessage({ type: 'job', init });
    });
  }

  async function start(): Promise<void> {
    workers = [];
    failure = undefined;
    const threads = W > 1 ? await lanes.acquire(W - 1, key) : [];
    const results = await Promise.allSettled(threads.map((w, i) => spawn(i + 1, w)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await stop();
      broken = true;
      throw failed.reason;
    }
    fault = undefined;
    broken = false;
  }

  /** Stops this job's threads (the lanes start fresh ones for the next job). */
  async function stop(): Promise<void> {
    closing = true;
    endJob();
    await lanes.discard();
    closing = false;
  }

  function endJob(): void {
    for (const d of detach) d();
    detach = [];
  }

  /** Each wait site's spin budget (see createSpinner). */
  const onDone = createSpinner(o.spin),
    onReduced = createSpinner(o.spin);

  /**
   * Until ctl[i] changes from v: spins for the site's budget, then sleeps on the word in short slices
   * (blocking this thread for at most a couple of milliseconds), yielding to the event loop between
   * slices so a worker's crash is heard.
   */
  async function waitChange(i: number, v: number, spinner: Spinner): Promise<void> {
    const since = performance.now();
    if (spinner.spin(ctl, i, v)) return;
    while (Atomics.wait(ctl, i, v, 2) === 'timed-out') {
      if (failure) throw failure;
      await new Promise((r) => setImmediate(r));
    }
    spinner.slept(since);
  }

  /** Until ctl[i] ≥ target. */
  async function waitAtLeast(i: number, target: number, spinner: Spinner): Promise<void> {
    for (let v = Atomics.load(ctl, i); v < target; v = Atomics.load(ctl, i)) {
      if (failure) throw failure;
      await waitChange(i, v, spinner);
    }
  }

  /** Until DONE = M: adds each slot to this lane's share of the gradient once its micro-batch is in, in order. */
  async function reduceAsReady(M: number, token: number): Promise<void> {
    let k = 0;
    for (let v = Atomics.load(ctl, Ctl.DONE); ; v = Atomics.load(ctl, Ctl.DONE)) {
      if (failure) throw failure;
      while (k < M && Atomics.load(ready, k) === token) addSlot(grad, gradSlots, k++, P, ownShare.from, ownShare.to);
      if (v >= M) return;
      await waitChange(Ctl.DONE, v, onDone);
    }
  }

  /**
   * Starts a command on every lane: the weights and batch-norm state the replicas read, the counters
   * (units 0..W−1 are each lane's first; the NEXT counter hands out the rest), the given words, then GEN.
   */
  function post(words: Partial<Record<keyof typeof Ctl, number>>): void {
    if (!sharedParams) params.set(net.paramBuf);
    if (S > 0) stateStart.set(net.stateBuf);
    Atomics.store(ctl, Ctl.NEXT, W);
    Atomics.store(ctl, Ctl.DONE, 0);
    Atomics.store(ctl, Ctl.REDUCED, 0);
    for (const [word, value] of Object.entries(words)) Atomics.store(ctl, Ctl[word as keyof typeof Ctl], value);
    if (W > 1) {
      Atomics.add(ctl, Ctl.GEN, 1);
      Atomics.notify(ctl, Ctl.GEN);
    }
  }

  /** Stops every worker after a failure (none may write shared memory later) and rethrows it. */
  async function abandon(e: Error): Promise<never> {
    broken = true;
    await stop();
    throw e;
  }

  await start();

  const pool: Pool = {
    workers: W,
    optimizer,
    async compute(step: number, batch: Int32Array, n: number, lr?: number): Promise<BatchResult> {
      if (broken) await start();
      const M = microCount(n, o.micro);
      batchShared.set(batch.subarray(0, n));
      const update = optimizer && lr !== undefined;
      if (update) lrShared[0] = lr;
      const prof = o.profile;
      let t = prof ? performance.now() : 0;
      const phase = (k: Exclude<keyof StepProfile, 'steps' | 'micro'>) => {
        if (!prof) return;
        const now = performance.now();
        prof[k] += now - t;
        t = now;
      };
      post({ MODE: MODE_TRAIN, STEP: step, N: n, COUNT: M, UPDATE: update ? optimizer.t + 1 : 0 });
      const token = Atomics.load(ctl, Ctl.GEN);
      phase('start');
      try {
        for (let m = 0; m < M; m = Atomics.add(ctl, Ctl.NEXT, 1)) {
          const r = runLane0(
            ctx,
            step,
            m,
            batchShared,
            n,
            gradSlots.subarray(m * P, (m + 1) * P),
            stateStart,
            stateSlots.subarray(m * S, (m + 1) * S),
          );
          stats[2 * m] = r.loss;
          stats[2 * m + 1] = r.correct;
          if (prof) prof.micro++;
          Atomics.store(ready, m, token);
          if (Atomics.add(ctl, Ctl.DONE, 1) + 1 === M) Atomics.notify(ctl, Ctl.DONE);
        }
      } catch (e) {
        // Lane 0's forward passes moved the net's batch-norm statistics: back to the step's start.
        if (S > 0) net.stateBuf.set(stateStart);
        // Restart the workers too, so none keeps an injected fault (or state) past a failed step.
        return abandon(new Error(`training worker 1 of ${W} failed: ${e instanceof Error ? e.message : String(e)}`));
      }
      phase('own');
      try {
        // The barrier, reducing this lane's share slot by slot as the micro-batches come in.
        await reduceAsReady(M, token);
        phase('waitDone');
        // Counts the update (t) and applies it to this lane's share; the workers apply it to theirs.
        if (update) optimizer.step(lr, ownShare.from, ownShare.to);
        phase('reduce');
        await waitAtLeast(Ctl.REDUCED, W - 1, onReduced);
        phase('waitReduced');
      } catch (e) {
        // An injected fault fires once, whichever lane happened to take its micro-batch.
        masterFault = undefined;
        if (S > 0) net.stateBuf.set(stateStart);
        return abandon(e instanceof Error ? e : new Error(String(e)));
      }
      net.gradBuf.set(grad);
      if (update && !sharedParams) net.paramBuf.set(params);
      if (S > 0) reduceState(net.stateBuf, stateSlots, M, S);
      let loss = 0;
      let correct = 0;
      for (let m = 0; m < M; m++) {
        loss += stats[2 * m];
        correct += stats[2 * m + 1];
      }
      phase('finish');
      if (prof) prof.steps++;
      return { loss, correct };
    },
    async evaluate(which, indices, chunk = EVAL_CHUNK) {
      const n = indices.length;
      if (n === 0) return { loss: NaN, acc: NaN };
      const r = await pool.measure(which, indices, { chunk });
      return { loss: r.loss / n, acc: r.correct / n };
    },
    async measure(which, indices, mo = {}) {
      const n = indices.length;
      const split = which === 'test' ? test?.split : o.split;
      if (!split) throw new Error('pool: this pool holds no test split');
      const chunk = Math.max(MIN_EVAL_CHUNK, Math.floor(mo.chunk ?? EVAL_CHUNK));
      const outputs = mo.outputs === true;
      if (outputs && (!outValues || n > o.outputs!.examples)) throw new Error(`pool: no room for the outputs of ${n} examples`);
      const chunks = Math.ceil(n / chunk);
      if (chunks === 0) return { loss: 0, correct: 0, outputs: outputs ? outValues!.subarray(0, 0) : undefined };
      if (broken) await start();
      if (evalBufs.labels.length < chunk) evalBufs = evalBuffers(net, o.shape, chunk);
      evalIdx.set(indices);
      const lanesUsed = Math.min(W, chunks);
      if (lanesUsed > 1)
        post({ MODE: MODE_EVAL, SPLIT: which === 'test' ? 1 : 0, N: n, COUNT: chunks, CHUNK: chunk, OUTPUTS: outputs ? 1 : 0 });
      else {
        // With one chunk (or one lane) nothing is posted: this thread takes every chunk in turn.
        Atomics.store(ctl, Ctl.NEXT, 1);
        Atomics.store(ctl, Ctl.DONE, 0);
      }
      let stopped: unknown;
      try {
        for (let c = 0; c < chunks; c = Atomics.add(ctl, Ctl.NEXT, 1)) {
          try {
            mo.beforeChunk?.();
          } catch (e) {
            // No lane takes another chunk; each finishes the one it holds.
            Atomics.store(ctl, Ctl.NEXT, chunks + W);
            stopped = e;
            break;
          }
          const m = Math.min(chunk, n - c * chunk);
          const keep = outputs ? (y: Buf) => copyOutputs(net, o.outputs!.layer, y, outValues!, outSize, c * chunk, m) : undefined;
          const r = evalChunk(net, split, o.shape, evalIdx, c * chunk, m, evalBufs, keep);
          evalStats[2 * c] = r.loss;
          evalStats[2 * c + 1] = r.correct;
          if (Atomics.add(ctl, Ctl.DONE, 1) + 1 === chunks) Atomics.notify(ctl, Ctl.DONE);
        }
        if (lanesUsed > 1) {
          if (stopped === undefined) await waitAtLeast(Ctl.DONE, chunks, onDone);
          await waitAtLeast(Ctl.REDUCED, W - 1, onReduced);
        }
      } catch (e) {
        return abandon(e instanceof Error ? e : new Error(String(e)));
      }
      if (stopped !== undefined) throw stopped;
      // Chunk by chunk in order, as evaluate() sums them.
      let loss = 0;
      let correct = 0;
      for (let c = 0; c < chunks; c++) {
        loss += evalStats[2 * c];
        correct += evalStats[2 * c + 1];
      }
      return { loss, correct, outputs: outputs ? outValues!.subarray(0, n * outSize) : undefined };
    },
    async close() {
      if (W > 1) {
        Atomics.store(ctl, Ctl.GEN, -1);
        Atomics.notify(ctl, Ctl.GEN);
      }
      endJob();
      if (!o.lanes) await lanes.close();
    },
  };
  return pool;
}
