// `evaluate MODEL on DATA.test`: accuracy, loss, per-class accuracy, the confusion matrix and the
// misclassified examples, computed in eval mode in chunks (checking for interrupts between chunks).
import type { Statement } from '../../dsl/program.js';
import type { Dataset, Split } from '../../runtime/data/dataset.js';
import { argmax, endsInSoftmax, fillOneHot, lossSum, outputSize } from '../../runtime/train/metrics.js';
import { gatherExamples } from '../../runtime/train/split-view.js';
import type { Net } from '../../runtime/types.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { evaluationDisplay } from './eval-render.js';
import { getData, getModel } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

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

export function evaluateSplit(net: Net, d: Dataset, split: Split, checkInterrupt: () => void, chunk = 250): EvalReport {
  const size = d.shape.c * d.shape.h * d.shape.w;
  const k = outputSize(net);
  const classes = d.classes;
  const x = new Float32Array(chunk * size);
  const onehot = new Float32Array(chunk * k);
  const labels = new Int32Array(chunk);
  const confusion = new Int32Array(classes * classes);
  const mistakes: EvalReport['mistakes'] = [];
  const probabilities = endsInSoftmax(net.spec);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += chunk) {
    checkInterrupt();
    const m = Math.min(chunk, split.count - start);
    const idx = Array.from({ length: m }, (_, i) => start + i);
    gatherExamples(split, idx, size, x);
    for (let i = 0; i < m; i++) labels[i] = split.labels[start + i];
    const y = net.forward(x, m, 'eval');
    if (net.spec.loss === 'mse') fillOneHot(onehot, labels, m, k);
    loss += lossSum(net.spec, y, labels, m, k, onehot, probabilities);
    for (let i = 0; i < m; i++) {
      const p = argmax(y, i * k, k);
      const t = labels[i];
      if (p < classes) confusion[t * classes + p]++;
      if (p === t) correct++;
      else mistakes.push({ index: start + i, truth: t, predicted: p, confidence: y[i * k + p] });
    }
  }
  return { count: split.count, accuracy: correct / Math.max(1, split.count), loss: loss / Math.max(1, split.count), classes, confusion, mistakes };
}

export async function execEvaluate(s: Of<'evaluate'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const d = getData(ctx.state, s.data, s.range);
  const { input } = m.spec;
  if (input.c !== d.shape.c || input.h !== d.shape.h || input.w !== d.shape.w) {
    throw new StatementError(`${s.model} takes ${input.h}×${input.w}×${input.c} images but ${s.data} has ${d.shape.h}×${d.shape.w}×${d.shape.c}`, s.range, 'ShapeError');
  }
  const split = d[s.split];
  if (split.count === 0) throw new StatementError(`${s.data}.${s.split} is empty`, s.range, 'DataError');
  if (m.made && m.runs.length === 0) ctx.io.stream(`${untrainedNote(s.model, m.made, m.spec.initFrom?.model, d.classes)}\n`, 'stderr');
  const report = evaluateSplit(m.net, d, split, () => ctx.checkInterrupt());
  ctx.io.display(evaluationDisplay(s.model, s.data, s.split, report, d));
  ctx.io.stream(`${s.model} on ${s.data}.${s.split}: accuracy ${(100 * report.accuracy).toFixed(2)}%, loss ${report.loss.toFixed(4)}\n`);
}

/** Said before evaluating a model no run has trained, so a chance-level accuracy is not a surprise. */
export function untrainedNote(model: string, made: 'initialised' | 'transferred', base: string | undefined, classes: number): string {
  return made === 'transferred'
    ? `note: ${model} has not been trained since it was made from ${base}: the layers it did not take from ${base} still have their random initial weights`
    : `note: ${model} has not been trained: these are its random initial weights, so expect about chance accuracy (${(100 / classes).toFixed(0)}% for ${classes} classes)`;
}
