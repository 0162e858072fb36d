// The training loop: seeded shuffling, a fixed validation split, scheduled learning rates, periodic and
// per-epoch evaluation, early stopping with best-snapshot restore, abort between batches, per-epoch
// checkpoints and resume. No I/O: it reports through events and returns plain-data history.
import { availableParallelism } from 'node:os';
import { learningRate, type ScheduleEval } from '../schedules.js';
import type { TrainSpec } from '../spec.js';
import type { Net } from '../types.js';
import { createLocalEngine, type EngineOptions, type GradientEngine } from './gradient-engine.js';
import { DEFAULT_MICRO_BATCH } from './micro-batch.js';
import { createPool } from '../pool/pool.js';
import type { Lanes } from '../pool/lanes.js';
import { shuffleInPlace, trainStreams } from './streams.js';
import type { TrainCheckpoint } from './checkpoint.js';
import { initialEarlyStop, observe, restoreBest, type EarlyStopState } from './early-stop.js';
import type { BestRecord, DoneReason, EvalRecord, History, Metrics, TrainEvent } from './events.js';
import { evaluate } from './metrics.js';
import type { DatasetView } from './split-view.js';

/** An interrupt flag: Int32Array slot 0 ≠ 0 (set from another thread, read with Atomics.load) or { aborted }. */
export type AbortFlag = Int32Array | { readonly aborted: boolean };

export interface TrainOptions {
  net: Net;
  spec: TrainSpec;
  data: DatasetView;
  onEvent?: (e: TrainEvent) => void;
  abort?: AbortFlag;
  /** Called after every epoch with everything needed to resume. */
  onCheckpoint?: (c: TrainCheckpoint) => void;
  resume?: TrainCheckpoint;
  /** Examples per micro-batch (default 16). Part of the arithmetic: results depend on it, never on workers. */
  microBatch?: number;
  /** Train metrics are measured on a fixed sample of at most this many training examples (default 2000). */
  trainEvalLimit?: number;
  /** Also measure the test split when a validation split exists. */
  evalTest?: boolean;
  /** Kept worker threads (a session's) for a run on more than one lane; without them the run starts its own. */
  lanes?: Lanes;
  /** Replaces the engine choice (tests inject faults this way). */
  engine?: (o: EngineOptions, workers: number) => Promise<GradientEngine>;
}

export interface TrainResult {
  history: History;
  reason: DoneReason;
  /** Updates completed. */
  step: number;
  best?: BestRecord;
  /** Early stopping put the best weights back. */
  restored: boolean;
}

export function isAborted(flag: AbortFlag | undefined): boolean {
  if (!flag) return false;
  return flag instanceof Int32Array ? Atomics.load(flag, 0) !== 0 : flag.aborted;
}

/** Splits the training examples into (train, validation) with the run's fixed validation stream. */
export function validationSplit(count: number, fraction: number, seed: number): { train: Int32Array; val: Int32Array } {
  const all = new Int32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  const nVal = fraction > 0 ? Math.min(count - 1, Math.max(1, Math.round(fraction * count))) : 0;
  if (nVal === 0) return { train: all, val: new Int32Array(0) };
  shuffleInPlace(all, trainStreams(seed).validation());
  // Sorted so the epoch shuffle alone decides the order of training examples.
  return { val: all.slice(0, nVal).sort(), train: all.slice(nVal).sort() };
}

/**
 * The lanes a run uses: `workers` when set, else (0) one per core but no more than the micro-batches of a
 * batch (a lane without one would only wait). Float64 nets train on this thread; the pool is float32.
 */
export function resolveWorkers(workers: number, net: Net, batch: number, micro: number): number {
  if (workers >= 1) return Math.floor(workers);
  if (net.dtype !== 'float32') return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(batch / micro)));
}

async function defaultEngine(o: EngineOptions, workers: number, lanes?: Lanes): Promise<GradientEngine> {
  return workers > 1 ? createPool({ ...o, workers, lanes }) : createLocalEngine(o);
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { net, spec, data } = opts;
  // Every lane computes with the net's kernels, and so does every later statement on this net.
  net.arithmetic = spec.arithmetic ?? 'portable';
  const emit = opts.onEvent ?? (() => {});
  const shape = data.shape;
  const streams = trainStreams(spec.seed);
  const { train: trainIdx, val: valIdx } = validationSplit(data.train.count, spec.validation, spec.seed);
  if (trainIdx.length === 0) throw new Error('train: no training examples');
  const batch = Math.max(1, Math.min(spec.batch, trainIdx.length));
  const stepsPerEpoch = Math.ceil(trainIdx.length / batch);
  const totalSteps = spec.epochs * stepsPerEpoch;

  const sampleIdx = trainIdx.slice();
  const limit = opts.trainEvalLimit ?? 2000;
  if (sampleIdx.length > limit) shuffleInPlace(sampleIdx, streams.trainEval());
  const trainSample = sampleIdx.subarray(0, Math.min(limit, sampleIdx.length));
  const testIdx = Array.from({ length: data.test.count }, (_, i) => i);
  const withVal = valIdx.length > 0;
  const withTest = data.test.count > 0 && (!withVal || opts.evalTest === true);

  const history: History = opts.resume
    ? structuredClone(opts.resume.history)
    : { label: spec.label ?? spec.optimizer.kind, optimizer: spec.optimizer.kind, batch, stepsPerEpoch, steps: [], evals: [] };
  // Named only when fused, so a portable run's record (and its metrics hash) stays as it always was.
  if (net.arithmetic === 'fused') history.arithmetic = 'fused';
  let es: EarlyStopState = initialEarlyStop();
  let step = 0;
  let firstEpoch = 0;

  // The engine computes the gradients and applies the optimizer (on a pool, each lane its own share).
  const engineOptions: EngineOptions = {
    net,
    split: data.train,
    shape,
    seed: spec.seed,
    batch,
    micro: opts.microBatch ?? DEFAULT_MICRO_BATCH,
    augment: spec.augment,
    optimizer: { spec: spec.optimizer, frozen: net.spec.frozen, weightDecay: spec.weightDecay },
    test: withTest ? data.test : undefined,
  };
  const lanes = resolveWorkers(spec.workers, net, batch, engineOptions.micro);
  const engine = await (opts.engine ?? ((o, w) => defaultEngine(o, w, opts.lanes)))(engineOptions, lanes);
  try {
    const optimizer = engine.optimizer;
    if (!optimizer) throw new Error('train: the gradient engine has no optimizer');
    if (opts.resume) {
      const r = opts.resume;
      net.paramBuf.set(r.params);
      net.stateBuf.set(r.state);
      optimizer.setState(r.optimizer);
      es = structuredClone(r.earlyStop);
      step = r.step;
      firstEpoch = r.epoch;
    }
    emit({
      type: 'start',
      steps: totalSteps,
      epochs: spec.epochs,
      stepsPerEpoch,
      batch,
      train: trainIdx.length,
      val: valIdx.length,
      test: data.test.count,
      params: net.paramBuf.length,
      workers: engine.workers,
      fromStep: step,
      spec,
    });

    // A pool spreads evaluations over its lanes too (same bits: chunks are summed in order).
    const metricsOf = (which: 'train' | 'test', indices: ArrayLike<number>): Promise<Metrics> | Metrics =>
      engine.evaluate ? engine.evaluate(which, indices) : evaluate(net, which === 'test' ? data.test : data.train, shape, indices);
    const measure = async (s: number, epochEnd: boolean): Promise<EvalRecord> => {
      const last = history.evals[history.evals.length - 1];
      if (last && last.step === s) {
        last.epochEnd = last.epochEnd || epochEnd;
        return last;
      }
      const rec: EvalRecord = { step: s, epoch: s / stepsPerEpoch, train: await metricsOf('train', trainSample), epochEnd };
      if (withVal) rec.val = await metricsOf('train', valIdx);
      if (withTest) rec.test = await metricsOf('test', testIdx);
      history.evals.push(rec);
      emit({ type: 'eval', ...rec });
      return rec;
    };
    const heldOut = (r: EvalRecord): Metrics => r.val ?? r.test ?? r.train;
    const scheduleHistory = (): ScheduleEval[] => history.evals.map((e) => ({ step: e.step, error: heldOut(e).loss }));
    const plateauEvery = spec.schedule.kind === 'plateau' ? spec.schedule.every : 0;
    const esSpec = spec.earlyStop;

    if (!opts.resume) await measure(0, false);

    const order = trainIdx.slice();
    const batchIdx = new Int32Array(batch);
    let reason: DoneReason = 'completed';
    let restored = false;
    outer: for (let epoch = firstEpoch; epoch < spec.epochs; epoch++) {
      order.set(trainIdx);
      shuffleInPlace(order, streams.shuffle(epoch));
      for (let b = 0; b < stepsPerEpoch; b++) {
        // Let other tasks (messages, timers that set an abort flag) run between batches.
        await new Promise((resolve) => setImmediate(resolve));
        if (isAborted(opts.abort)) {
          reason = 'aborted';
          break outer;
        }
        const n = Math.min(batch, order.length - b * batch);
        batchIdx.set(order.subarray(b * batch, b * batch + n));
        const lr = learningRate(spec.schedule, spec.optimizer.lr, {
          step,
          epoch,
          stepsPerEpoch,
          history: plateauEvery ? scheduleHistory() : undefined,
        });
        const t0 = performance.now();
        const r = await engine.compute(step, batchIdx, n, lr);
        const seconds = (performance.now() - t0) / 1000;
        step++;
        const rec = { step, epoch, loss: r.loss / n, acc: r.correct / n, lr };
        history.steps.push(rec);
        emit({ type: 'step', ...rec, imagesPerSec: seconds > 0 ? n / seconds : 0 });

        const esDue = esSpec !== undefined && step % esSpec.every === 0;
        if ((spec.evalEvery > 0 && step % spec.evalEvery === 0) || (plateauEvery > 0 && step % plateauEvery === 0) || esDue) {
          const ev = await measure(step, false);
          if (esDue && esSpec) {
            const m = heldOut(ev);
            const stop = observe(es, esSpec, step, esSpec.metric === 'loss' ? m.loss : m.acc, net.paramBuf, net.stateBuf);
            if (stop) {
              restored = esSpec.restoreBest && restoreBest(es, net.paramBuf, net.stateBuf);
              emit({ type: 'early_stop', step, best: es.best!, restored });
              reason = 'early_stop';
              break outer;
            }
          }
        }
      }
      const ev = await measure(step, true);
      emit({ type: 'epoch', epochsDone: epoch + 1, ...ev });
      opts.onCheckpoint?.({
        epoch: epoch + 1,
        step,
        params: net.paramBuf.slice(),
        state: net.stateBuf.slice(),
        optimizer: optimizer.getState(),
        history: structuredClone(history),
        earlyStop: structuredClone(es),
      });
    }
    emit({ type: 'done', history, reason, step });
    return { history, reason, step, best: es.best, restored };
  } finally {
    await engine.close();
  }
}
