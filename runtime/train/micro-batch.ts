// One micro-batch's gradient: the unit of work of data-parallel training, run identically by the master
// (workers = 1) and by pool workers. A batch of n examples is cut into micro-batches of a fixed size; each
// starts from the same batch-norm state, writes its gradient of (1/n)·Σ loss and its post-forward state
// into its own slot, and the master reduces the slots in order 0..M−1. Batch norm therefore normalises
// with per-micro-batch statistics, and the running statistics move by the mean of the micro-batch updates.
import { augmentActive, augmentBatch } from '../augment.js';
import type { AugmentSpec, Shape3 } from '../spec.js';
import type { Buf, Net } from '../types.js';
import { argmax, endsInSoftmax, fillOneHot, outputSize } from './metrics.js';
import { gatherExamples, type SplitView } from './split-view.js';
import { trainStreams, type TrainStreams } from './streams.js';

export const DEFAULT_MICRO_BATCH = 16;

export interface MicroContext {
  net: Net;
  split: SplitView;
  shape: Shape3;
  augment?: AugmentSpec;
  streams: TrainStreams;
  micro: number;
  k: number;
  x: Buf;
  xa: Buf;
  labels: Int32Array;
  onehot: Buf;
  probabilities: boolean;
}

export function createMicroContext(
  net: Net,
  split: SplitView,
  shape: Shape3,
  seed: number,
  micro: number,
  augment?: AugmentSpec,
): MicroContext {
  const size = shape.c * shape.h * shape.w;
  const k = outputSize(net);
  const alloc = (len: number): Buf => (net.dtype === 'float64' ? new Float64Array(len) : new Float32Array(len));
  return {
    net,
    split,
    shape,
    augment: augmentActive(augment) ? augment : undefined,
    streams: trainStreams(seed),
    micro,
    k,
    x: alloc(micro * size),
    xa: alloc(micro * size),
    labels: new Int32Array(micro),
    onehot: alloc(micro * k),
    probabilities: endsInSoftmax(net.spec),
  };
}

/** Number of micro-batches in a batch of n. */
export const microCount = (n: number, micro: number) => Math.ceil(n / micro);

/**
 * Micro-batch m of the batch `batch[0..n)` at step `step`: gradient slot (P) ← (1/n)·∂Σloss/∂θ over its
 * examples, state slot ← batch-norm state after its forward (starting from stateStart). Returns its Σ loss
 * and number of correct predictions (training mode).
 */
export function runMicroBatch(
  ctx: MicroContext,
  step: number,
  m: number,
  batch: ArrayLike<number>,
  n: number,
  gradSlot: Buf,
  stateStart: Buf,
  stateSlot: Buf,
): { loss: number; correct: number } {
  const { net, shape, k } = ctx;
  const start = m * ctx.micro;
  const count = Math.min(ctx.micro, n - start);
  const size = shape.c * shape.h * shape.w;
  if (net.stateBuf.length > 0) net.stateBuf.set(stateStart);
  net.zeroGrad();
  const idx: number[] = [];
  for (let i = 0; i < count; i++) idx.push(batch[start + i]);
  gatherExamples(ctx.split, idx, size, ctx.x);
  let input = ctx.x;
  if (ctx.augment) {
    augmentBatch(ctx.x, ctx.xa, count, shape, ctx.augment, ctx.streams.augment(step), start);
    input = ctx.xa;
  }
  for (let i = 0; i < count; i++) ctx.labels[i] = ctx.split.labels[idx[i]];
  const y = net.forward(input, count, 'train', ctx.streams.dropout(step, m));
  let correct = 0;
  for (let i = 0; i < count; i++) if (argmax(y, i * k, k) === ctx.labels[i]) correct++;
  let targets: Int32Array | Buf = ctx.labels.subarray(0, count);
  if (net.spec.loss === 'mse') {
    fillOneHot(ctx.onehot, ctx.labels, count, k);
    targets = ctx.onehot.subarray(0, count * k);
  }
  const loss = net.backward(targets, 1 / n);
  gradSlot.set(net.gradBuf);
  if (net.stateBuf.length > 0) stateSlot.set(net.stateBuf);
  return { loss, correct };
}

/**
 * dst[i] ← Σ_{m=0}^{count−1} slots[m·len + i] in that order, for i in [from, to) (default all of len), so
 * every worker count — and every split of [0, len) between lanes — adds in the same sequence.
 */
export function reduceSlots(dst: Buf, slots: Buf, count: number, len: number, from = 0, to = len): void {
  // One pass per element (the sum lives in a register), rounding after every addition exactly as storing
  // into dst would: starting from 0 and adding slot by slot, in the same order as a pass per slot.
  if (dst instanceof Float32Array) {
    for (let i = from; i < to; i++) {
      let s = 0;
      for (let o = i, m = 0; m < count; m++, o += len) s = Math.fround(s + slots[o]);
      dst[i] = s;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    let s = 0;
    for (let o = i, m = 0; m < count; m++, o += len) s += slots[o];
    dst[i] = s;
  }
}

/** dst (len) ← mean of state slots 0..count−1 (the running statistics' update, averaged over micro-batches). */
export function reduceState(dst: Buf, slots: Buf, count: number, len: number): void {
  if (len === 0) return;
  reduceSlots(dst, slots, count, len);
  for (let i = 0; i < len; i++) dst[i] = dst[i] / count;
}
