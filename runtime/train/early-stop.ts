// Early stopping as a small state machine over evaluations: remember the best value (and a snapshot of the
// weights and batch-norm state taken then), count evaluations without improvement, stop after `patience`.
import type { TrainSpec } from '../spec.js';
import type { Buf } from '../types.js';
import type { BestRecord } from './events.js';

export type EarlyStopSpec = NonNullable<TrainSpec['earlyStop']>;

/** Plain data, so it can go into a checkpoint. */
export interface EarlyStopState {
  best?: BestRecord;
  /** Evaluations since the best one. */
  bad: number;
  params?: Float32Array | Float64Array;
  state?: Float32Array | Float64Array;
}

export function initialEarlyStop(): EarlyStopState {
  return { bad: 0 };
}

const better = (metric: 'loss' | 'accuracy', a: number, b: number) => (metric === 'loss' ? a < b : a > b);

/** Feeds one evaluation; returns true when training should stop. Snapshots params/state on improvement. */
export function observe(es: EarlyStopState, spec: EarlyStopSpec, step: number, value: number, params: Buf, state: Buf): boolean {
  if (!Number.isFinite(value)) {
    es.bad++;
  } else if (!es.best || better(spec.metric, value, es.best.value)) {
    es.best = { step, metric: spec.metric, value };
    es.bad = 0;
    es.params = params.slice();
    es.state = state.slice();
    return false;
  } else {
    es.bad++;
  }
  return es.bad >= spec.patience;
}

/** Puts the best snapshot back; false when there is none. */
export function restoreBest(es: EarlyStopState, params: Buf, state: Buf): boolean {
  if (!es.params || !es.state) return false;
  params.set(es.params);
  state.set(es.state);
  return true;
}
