// Turns an EvalReport into the evaluation display: accuracy, per-class table, confusion matrix and
// up to 24 misclassified examples with their true and predicted labels.
import { evaluationBundle } from '../../render/tables.js';
import type { Dataset, Split } from '../../runtime/data/dataset.js';
import type { MimeBundle } from '../../render/mime.js';
import type { EvalReport } from '../../runtime/train/report.js';
import { unitPixels } from '../../runtime/train/split-view.js';

const MAX_MISTAKES_SHOWN = 24;

export function evaluationDisplay(model: string, data: string, splitName: 'train' | 'test', r: EvalReport, d: Dataset): MimeBundle {
  const split: Split = d[splitName];
  const k = r.classes;
  const confusion = Array.from({ length: k }, (_, t) => Array.from(r.confusion.subarray(t * k, (t + 1) * k)));
  const size = d.shape.c * d.shape.h * d.shape.w;
  const misclassified = r.mistakes.slice(0, MAX_MISTAKES_SHOWN).map((m) => {
    const px = new Float32Array(size);
    unitPixels(split.images, m.index * size, size, px, 0);
    return { data: px, actual: m.truth, predicted: m.predicted, index: m.index };
  });
  const classNames = Array.from({ length: k }, (_, i) => d.classNames?.[i] ?? String(i));
  return evaluationBundle({
    model,
    data,
    split: splitName,
    accuracy: r.accuracy,
    loss: r.loss,
    classNames,
    confusion,
    misclassified,
    misclassifiedTotal: r.mistakes.length,
    shape: d.shape,
  });
}
