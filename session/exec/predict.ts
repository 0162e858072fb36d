// `predict MODEL DATA.split[i]`: the image, the predicted class and the class probabilities as a table.
import type { Statement } from '../../dsl/program.js';
import { predictionBundle } from '../../render/predict.js';
import { argmax, outputSize } from '../../runtime/train/metrics.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getData, getImage, getModel, labelText } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execPredict(s: Of<'predict'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const d = getData(ctx.state, s.image.data, s.range);
  const img = getImage(ctx.state, s.image, s.range);
  const { c, h, w } = m.spec.input;
  if (img.shape.c !== c || img.shape.h !== h || img.shape.w !== w) {
    throw new StatementError(`${s.model} takes ${h}×${w}×${c} images but ${s.image.data} has ${img.shape.h}×${img.shape.w}×${img.shape.c}`, s.range, 'ShapeError');
  }
  const y = m.net.forward(img.data, 1, 'eval');
  const k = outputSize(m.net);
  const p = argmax(y, 0, k);
  const classNames = Array.from({ length: k }, (_, i) => d.classNames?.[i] ?? String(i));
  const title = `${s.model} predicts ${labelText(d, p)} for ${s.image.data}.${s.image.split}[${s.image.index}]`;
  ctx.io.display(predictionBundle({ data: img.data, shape: img.shape, probs: y.subarray(0, k), classNames, actual: img.label, title }));
}
