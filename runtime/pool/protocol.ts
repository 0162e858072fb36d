// Messages and shared memory between the pool master and its workers. Big arrays travel once, as
// SharedArrayBuffers in the init message; per-step messages carry only the step, the batch size, the
// micro-batch count and the worker's first micro-batch (the rest it takes from the shared counter).
import type { AugmentSpec, ModelSpec, Shape3 } from '../spec.js';

export interface WorkerInit {
  index: number;
  spec: ModelSpec;
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
  /** Float32 (S): batch-norm state at the start of the step. */
  stateStart: SharedArrayBuffer;
  /** Float32 (maxM, S): state after each micro-batch's forward. */
  stateSlots: SharedArrayBuffer;
  /** Float64 (maxM, 2): Σ loss and correct count per micro-batch. */
  stats: SharedArrayBuffer;
  /** Int32 (batch): the example indices of the current batch. */
  batch: SharedArrayBuffer;
  /** Int32 (1): the next micro-batch nobody has taken yet (Atomics.add hands them out). */
  next: SharedArrayBuffer;
  /** Testing aid: crash (uncaught throw) when this worker takes this micro-batch of this step. */
  fault?: { step: number; micro: number };
}

/** Compute micro-batch `first`, then take more from the shared counter until it passes `count`. */
export type ToWorker = { type: 'step'; step: number; n: number; first: number; count: number };

export type FromWorker = { type: 'ready' } | { type: 'done'; step: number } | { type: 'error'; message: string };
