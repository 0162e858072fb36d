// `predict MODEL DATA.split[i]`: the image, the predicted class and the class probabilities as a table.
import type { Statement } from '../../dsl/program.js';
import { imageRaster } from '../../render/grid.js';
import { encoded, htmlTable, imgTag, textTable } from '../../render/html.js';
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
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => y[b] - y[a]);
  const rows = order.slice(0, Math.min(k, 10)).map((i) => [labelText(d, i), y[i].toFixed(4)]);
  const verdict = `${s.model} predicts ${labelText(d, p)} for ${s.image.data}.${s.image.split}[${s.image.index}] (true label ${labelText(d, img.label)}${p === img.label ? ', correct' : ', wrong'})`;
  const { raster, base64 } = encoded(imageRaster(img.data, img.shape, 112));
  const html =
    `<div style="display:flex;gap:12px;align-items:flex-start">${imgTag(base64, raster, verdict)}` +
    `<div><div style="font:12px sans-serif;margin-bottom:4px">${verdict}</div>${htmlTable(['class', 'probability'], rows)}</div></div>`;
  ctx.io.display({ 'text/plain': `${verdict}\n${textTable(['class', 'probability'], rows)}`, 'text/html': html, 'image/png': base64 });
}
