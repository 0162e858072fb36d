// The gradient engine seam between the training loop and where gradients are computed and applied: in
// this thread (LocalEngine) or on a pool of worker threads (runtime/pool/pool.ts). Both cut the batch into
// the same micro-batches, reduce them in the same order and update each weight the same way, so they
// produce the same bits.
import { createOptimizer, type Optimizer, type WeightDecay } from '../optim/index.js';
import type { AugmentSpec, OptimizerSpec, Shape3 } from '../spec.js';
import type { Buf, Net } from '../types.js';
import type { Metrics } from './events.js';
import type { SplitView } from './split-view.js';
import { createMicroContext, microCount, reduceSlots, reduceState, runMicroBatch } from './micro-batch.js';

export interface BatchResult {
  /** Σ per-example training loss over the batch. */
  loss: number;
  correct: number;
}

export interface GradientEngine {
  readonly workers: number;
  /** The optimizer (when EngineOptions.optimizer was given): its state, t and checkpoints. */
  readonly optimizer?: Optimizer;
  /**
   * net.gradBuf ← gradient of the mean loss over examples batch[0..n) of the training split (reading the
   * weights in net.paramBuf); net.stateBuf ← updated batch-norm running statistics. With lr (and an
   * optimizer), the update follows: net.paramBuf ← one optimizer step.
   */
  compute(step: number, batch: Int32Array, n: number, lr?: number): Promise<BatchResult>;
  /**
   * Eval-mode metrics of the net on examples `indices` of the training or test split, in forward passes of
   * `chunk` examples (default EVAL_CHUNK, as evaluate()), when the engine can spread them over lanes.
   */
  evaluate?(split: 'train' | 'test', indices: ArrayLike<number>, chunk?: number): Promise<Metrics>;
  close(): Promise<void>;
}

/** What the engine builds its optimizer from (the train spec's optimizer, frozen layers and decay). */
export interface EngineOptimizer {
  spec: OptimizerSpec;
  frozen?: string[];
  weightDecay?: WeightDecay;
}

export interface EngineOptions {
  net: Net;
  split: SplitView;
  shape: Shape3;
  seed: number;
  batch: number;
  micro: number;
  augment?: AugmentSpec;
  optimizer?: EngineOptimizer;
  /** The test split, so a pool can measure it on every lane. */
  test?: SplitView;
}

export function createLocalEngine(o: EngineOptions): GradientEngine {
  const { net } = o;
  const ctx = createMicroContext(net, o.split, o.shape, o.seed, o.micro, o.augment);
  const P = net.paramBuf.length;
  const S = net.stateBuf.length;
  const maxM = microCount(o.batch, o.micro);
  const alloc = (len: number): Buf => (net.dtype === 'float64' ? new Float64Array(len) : new Float32Array(len));
  const gradSlots = alloc(maxM * P);
  const stateSlots = alloc(maxM * S);
  const stateStart = alloc(S);
  const optimizer =
    o.optimizer &&
    createOptimizer(o.optimizer.spec, net.params, net.paramBuf, net.gradBuf, {
      frozen: o.optimizer.frozen,
      weightDecay: o.optimizer.weightDecay,
    });
  return {
    workers: 1,
    optimizer,
    async compute(step, batch, n, lr) {
      const M = microCount(n, o.micro);
      stateStart.set(net.stateBuf);
      let loss = 0;
      let correct = 0;
      for (let m = 0; m < M; m++) {
        const r = runMicroBatch(
          ctx,
          step,
          m,
          batch,
          n,
          gradSlots.subarray(m * P, (m + 1) * P),
          stateStart,
          stateSlots.subarray(m * S, (m + 1) * S),
        );
        loss += r.loss;
        correct += r.correct;
      }
      reduceSlots(net.gradBuf, gradSlots, M, P);
      if (S > 0) reduceState(net.stateBuf, stateSlots, M, S);
      if (lr !== undefined) optimizer?.step(lr);
      return { loss, correct };
    },
    async close() {},
  };
}
