// The full evaluation of a net on a split in eval mode: accuracy, loss, the confusion matrix and the
// misclassified examples, in chunks of EVAL_CHUNK (on this thread, or from the outputs a pool's lanes
// computed). The losses are metrics.ts's; nothing here renders.
import type { Shape3 } from '../spec.js';
import type { Net } from '../types.js';
import type { Buf } from '../types.js';
import { argmax, evalBuffers, evalChunk, EVAL_CHUNK, outputSize } from './metrics.js';
import type { SplitView } from './split-view.js';

export interface EvalReport {
  count: number;
  accuracy: number;
  loss: number;
  classes: number;
  /** confusion[t * classes + p]: examples of true class t predicted as p. */
  confusion: Int32Array;
  /** Indices (into the split) of misclassified examples with their predictions, in split order. */
  mistakes: { index: number; truth: number; predicted: number; confidence: number }[];
}

/** Evaluates every example of `split` in order; `beforeChunk` runs before each forward pass (interrupt checks). */
export function evaluateReport(
  net: Net,
  split: SplitView,
  shape: Shape3,
  classes: number,
  beforeChunk: () => void = () => {},
  chunk = EVAL_CHUNK,
): EvalReport {
  const k = outputSize(net);
  const b = evalBuffers(net, shape, chunk);
  const outputs = net.dtype === 'float64' ? new Float64Array(split.count * k) : new Float32Array(split.count * k);
  const idx = Array.from({ length: split.count }, (_, i) => i);
  let loss = 0;
  for (let start = 0; start < split.count; start += chunk) {
    beforeChunk();
    const m = Math.min(chunk, split.count - start);
    loss += evalChunk(net, split, shape, idx, start, m, b, (y) => outputs.set(y.subarray(0, m * k), start * k)).loss;
  }
  return reportFromOutputs(split, classes, k, outputs, loss);
}

/**
 * The report from every example's outputs y (count, k) in split order and the Σ of their losses (summed
 * chunk by chunk, as evaluateReport sums them): the same report whichever lanes computed the chunks.
 */
export function reportFromOutputs(split: SplitView, classes: number, k: number, y: Buf, loss: number): EvalReport {
  const confusion = new Int32Array(classes * classes);
  const mistakes: EvalReport['mistakes'] = [];
  let correct = 0;
  for (let i = 0; i < split.count; i++) {
    const p = argmax(y, i * k, k);
    const t = split.labels[i];
    if (p < classes) confusion[t * classes + p]++;
    if (p === t) correct++;
    else mistakes.push({ index: i, truth: t, predicted: p, confidence: y[i * k + p] });
  }
  const n = Math.max(1, split.count);
  return { count: split.count, accuracy: correct / n, loss: loss / n, classes, confusion, mistakes };
}
