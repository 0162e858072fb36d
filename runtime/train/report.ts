// The full evaluation of a net on a split in eval mode: accuracy, loss, the confusion matrix and the
// misclassified examples, in chunks of EVAL_CHUNK. The losses are metrics.ts's; nothing here renders.
import type { Shape3 } from '../spec.js';
import type { Net } from '../types.js';
import { argmax, evalBuffers, EVAL_CHUNK, lossSum, endsInSoftmax, outputSize } from './metrics.js';
import { gatherExamples, type SplitView } from './split-view.js';

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
  const size = shape.c * shape.h * shape.w;
  const k = outputSize(net);
  const b = evalBuffers(net, shape, chunk);
  const confusion = new Int32Array(classes * classes);
  const mistakes: EvalReport['mistakes'] = [];
  const probabilities = endsInSoftmax(net.spec);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += chunk) {
    beforeChunk();
    const m = Math.min(chunk, split.count - start);
    const idx = Array.from({ length: m }, (_, i) => start + i);
    gatherExamples(split, idx, size, b.x);
    for (let i = 0; i < m; i++) b.labels[i] = split.labels[start + i];
    const y = net.forward(b.x, m, 'eval');
    loss += lossSum(net.spec, y, b.labels, m, k, b.onehot, probabilities);
    for (let i = 0; i < m; i++) {
      const p = argmax(y, i * k, k);
      const t = b.labels[i];
      if (p < classes) confusion[t * classes + p]++;
      if (p === t) correct++;
      else mistakes.push({ index: start + i, truth: t, predicted: p, confidence: y[i * k + p] });
    }
  }
  const n = Math.max(1, split.count);
  return { count: split.count, accuracy: correct / n, loss: loss / n, classes, confusion, mistakes };
}
