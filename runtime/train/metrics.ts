// Loss and accuracy of a net in eval mode over a list of examples, in chunks. The losses are the ones the
// net trains with (runtime/loss.ts): cross-entropy from logits (or from probabilities when the model ends
// in softmax) and MSE against one-hot targets.
import { endsInSoftmax } from '../layers/table.js';
import { crossEntropyLoss, mseLoss } from '../loss.js';
import type { ModelSpec, Shape3 } from '../spec.js';
import type { Buf, Net } from '../types.js';
import type { Metrics } from './events.js';
import { gatherExamples, type SplitView } from './split-view.js';

/** The layer table's rule (runtime/layers/table.ts), re-exported where the losses read it. */
export { endsInSoftmax };

export function outputSize(net: Net): number {
  const o = net.info[net.info.length - 1].out;
  return o.c * o.h * o.w;
}

/** index of the largest of out[o..o+k) */
export function argmax(out: Buf, o: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (out[o + j] > out[o + best]) best = j;
  return best;
}

/** Σ per-example loss of outputs y (n, k) against labels, as the net's training loss defines it. */
export function lossSum(
  spec: ModelSpec,
  y: Buf,
  labels: ArrayLike<number>,
  n: number,
  k: number,
  onehot: Buf,
  probabilities: boolean,
): number {
  if (spec.loss === 'mse') {
    fillOneHot(onehot, labels, n, k);
    return mseLoss(null, y, onehot, n, k, 1);
  }
  if (!probabilities) return crossEntropyLoss(null, y, labels, n, k, 1);
  let total = 0;
  for (let i = 0; i < n; i++) total -= Math.log(Math.max(y[i * k + labels[i]], 1e-30));
  return total;
}

/** t (n, k) ← one-hot rows of labels. */
export function fillOneHot(t: Buf, labels: ArrayLike<number>, n: number, k: number): void {
  t.fill(0, 0, n * k);
  for (let i = 0; i < n; i++) t[i * k + labels[i]] = 1;
}

/** Examples per forward pass when measuring; part of the arithmetic (the loss is summed chunk by chunk). */
export const EVAL_CHUNK = 250;

/** Scratch for evalChunk, sized for one chunk. */
export interface EvalBuffers {
  x: Buf;
  onehot: Buf;
  labels: Int32Array;
}

export function evalBuffers(net: Net, shape: Shape3, chunk = EVAL_CHUNK): EvalBuffers {
  const size = shape.c * shape.h * shape.w;
  const k = outputSize(net);
  const alloc = (len: number): Buf => (net.dtype === 'float64' ? new Float64Array(len) : new Float32Array(len));
  return { x: alloc(chunk * size), onehot: alloc(chunk * k), labels: new Int32Array(chunk) };
}

/** Σ loss and number correct over examples indices[start .. start+m) of `split`, in eval mode; `keep` sees the outputs. */
export function evalChunk(
  net: Net,
  split: SplitView,
  shape: Shape3,
  indices: ArrayLike<number>,
  start: number,
  m: number,
  b: EvalBuffers,
  keep?: (y: Buf) => void,
): { loss: number; correct: number } {
  const size = shape.c * shape.h * shape.w;
  const k = outputSize(net);
  const idx = Array.prototype.slice.call(indices, start, start + m) as number[];
  gatherExamples(split, idx, size, b.x);
  for (let i = 0; i < m; i++) b.labels[i] = split.labels[idx[i]];
  const y = net.forward(b.x, m, 'eval');
  keep?.(y);
  const loss = lossSum(net.spec, y, b.labels, m, k, b.onehot, endsInSoftmax(net.spec));
  let correct = 0;
  for (let i = 0; i < m; i++) if (argmax(y, i * k, k) === b.labels[i]) correct++;
  return { loss, correct };
}

/** Eval-mode loss (mean per example) and accuracy of `net` on examples `indices` of `split`. */
export function evaluate(net: Net, split: SplitView, shape: Shape3, indices: ArrayLike<number>, chunk = EVAL_CHUNK): Metrics {
  const n = indices.length;
  if (n === 0) return { loss: NaN, acc: NaN };
  const b = evalBuffers(net, shape, chunk);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const r = evalChunk(net, split, shape, indices, start, Math.min(chunk, n - start), b);
    loss += r.loss;
    correct += r.correct;
  }
  return { loss: loss / n, acc: correct / n };
}
