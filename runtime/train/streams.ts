// The random streams of a training run, each derived from (seed, purpose, step, position) only, so the
// numbers never depend on how many workers there are or which one computes what.
import { createRng } from '../rng.js';
import type { Rng } from '../types.js';

const VALIDATION = 1;
const SHUFFLE = 2;
const DROPOUT = 3;
const AUGMENT = 4;
const TRAIN_EVAL = 5;

export interface TrainStreams {
  /** Fixed hold-out split of the training examples. */
  validation(): Rng;
  /** The order of training examples in an epoch. */
  shuffle(epoch: number): Rng;
  /** Dropout masks of micro-batch m of step `step`. */
  dropout(step: number, m: number): Rng;
  /** Augmentation of step `step`; example k of the batch forks k off it. */
  augment(step: number): Rng;
  /** Which training examples the train metrics are measured on. */
  trainEval(): Rng;
}

export function trainStreams(seed: number): TrainStreams {
  const root = createRng(seed);
  const drop = root.fork(DROPOUT);
  const aug = root.fork(AUGMENT);
  return {
    validation: () => root.fork(VALIDATION),
    shuffle: (epoch) => root.fork(SHUFFLE).fork(epoch),
    dropout: (step, m) => drop.fork(step).fork(m),
    augment: (step) => aug.fork(step),
    trainEval: () => root.fork(TRAIN_EVAL),
  };
}

/** In-place Fisher–Yates shuffle of a[0..n). */
export function shuffleInPlace(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
