// `predict MODEL DATA.split[i]`: the image, the predicted class and the class probabilities as a table
// (through the session's pool: one image is one chunk, so lane 0 computes it).
import type { Statement } from '../../dsl/program.js';
import { predictionBundle } from '../../render/predict.js';
import { argmax, outputSize } from '../../runtime/train/metrics.js';
import { measureOnLanes } from '../lanes.js';
import type { ExecContext } from './context.js';
import { checkTakes, getData, getImage, getModel, labelText } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execPredict(s: Of<'predict'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const d = getData(ctx.state, s.image.data, s.range);
  const img = getImage(ctx.state, s.image, s.range);
  checkTakes(s.model, m.spec.input, s.image.data, img.shape, s.range);
  const k = outputSize(m.net);
  const y =
    m.net.dtype === 'float32'
      ? (await measureOnLanes(ctx.state, m.net, d[s.image.split], d.shape, [s.image.index])).outputs
      : m.net.forward(img.data, 1, 'eval');
  const p = argmax(y, 0, k);
  const classNames = Array.from({ length: k }, (_, i) => d.classNames?.[i] ?? String(i));
  const title = `${s.model} predicts ${labelText(d, p)} for ${s.image.data}.${s.image.split}[${s.image.index}]`;
  ctx.io.display(predictionBundle({ data: img.data, shape: img.shape, probs: y.subarray(0, k), classNames, actual: img.label, title }));
}
