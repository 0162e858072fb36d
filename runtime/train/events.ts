// What the training loop reports: events (emitted through a callback, in order) and the history
// (plain data, kept on the model and rendered as curves). Nothing here does I/O.
import type { OptimizerSpec, TrainSpec } from '../spec.js';

export interface Metrics {
  loss: number;
  acc: number;
}

/** One evaluation in eval mode (no dropout, running batch-norm statistics). */
export interface EvalRecord {
  /** Updates taken when measured (0 = before training). */
  step: number;
  /** Fractional epochs elapsed: step / stepsPerEpoch. */
  epoch: number;
  /** On a fixed sample of at most TrainOptions.trainEvalLimit training examples. */
  train: Metrics;
  /** Held-out part of the training split, when TrainSpec.validation > 0. */
  val?: Metrics;
  /** The test split, when there is no validation split (or TrainOptions.evalTest). */
  test?: Metrics;
  /** Recorded at the end of an epoch (some records are both periodic and end-of-epoch). */
  epochEnd: boolean;
}

/** One optimizer update: the training-mode loss and accuracy of that batch. */
export interface StepRecord {
  /** Updates completed, this one included: 1 for the first update (the same count EvalRecord.step uses). */
  step: number;
  /** 0-based epoch the update belongs to. */
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
  /** Throughput of that update, as the step event reports it (the loop's own History leaves it out). */
  imagesPerSec?: number;
}

/** An evaluation as curves draw it: an EvalRecord whose epoch-end flag may be unknown. */
export type EvalPoint = Omit<EvalRecord, 'epochEnd'> & { epochEnd?: boolean };

/** Where early stopping ended a run; bestStep is the evaluation whose weights were (or would be) restored. */
export interface EarlyStopMark {
  step: number;
  bestStep?: number;
  restored: boolean;
  /** The monitored metric, so the restore mark goes on its chart. */
  metric?: 'loss' | 'accuracy';
}

/**
 * A run's curves, the one history type render/ and session/ read: the loop's History, or what its events have
 * delivered so far, plus what a watcher of the events adds (the early_stop mark, the held-out split's size,
 * so overfitting is judged against its noise). The loop never sets those two, so its History hashes the same.
 */
export interface RunHistory {
  steps: StepRecord[];
  evals: EvalPoint[];
  earlyStop?: EarlyStopMark;
  heldOutSize?: number;
}

/** What the training loop returns and model files keep. */
export interface History extends RunHistory {
  label: string;
  optimizer: OptimizerSpec['kind'];
  batch: number;
  stepsPerEpoch: number;
  evals: EvalRecord[];
  /** Present when some of these steps ran with fused multiply-add (absent: portable arithmetic throughout). */
  arithmetic?: 'fused';
}

export type DoneReason = 'completed' | 'early_stop' | 'aborted';

export interface BestRecord {
  step: number;
  metric: 'loss' | 'accuracy';
  value: number;
}

export type TrainEvent =
  | {
      type: 'start';
      steps: number;
      epochs: number;
      stepsPerEpoch: number;
      batch: number;
      train: number;
      val: number;
      test: number;
      params: number;
      workers: number;
      /** First step when resuming from a checkpoint, else 0. */
      fromStep: number;
      spec: TrainSpec;
    }
  | { type: 'step'; step: number; epoch: number; loss: number; acc: number; lr: number; imagesPerSec: number }
  | ({ type: 'eval' } & EvalRecord)
  | ({ type: 'epoch'; epochsDone: number } & EvalRecord)
  | { type: 'early_stop'; step: number; best: BestRecord; restored: boolean }
  | { type: 'done'; history: History; reason: DoneReason; step: number };
