// The small statements: print, and showing dataset images.
import type { Statement } from '../../dsl/program.js';
import { imageBundle, samplesBundle } from '../../render/grid.js';
import { exampleImage } from '../../runtime/data/dataset.js';
import type { ExecContext } from './context.js';
import { describeData } from './data.js';
import { getData, getImage, getModel, labelText } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execPrint(s: Of<'print'>, ctx: ExecContext): Promise<void> {
  ctx.io.stream(`${s.text}\n`);
}

/** A bare name is the cell's value: a dataset's one-line description or a model's summary. */
export async function execValue(s: Of<'value'>, ctx: ExecContext): Promise<void> {
  const d = ctx.state.data.get(s.name);
  if (d) {
    ctx.io.result({ 'text/plain': describeData(s.name, d) });
    return;
  }
  const m = getModel(ctx.state, s.name, s.range);
  ctx.io.result(summaryBundle(s.name, m.spec, m.net, m.runs));
}

export async function execClear(s: Of<'clear'>, ctx: ExecContext): Promise<void> {
  ctx.io.clear(s.wait);
}

export async function execShowImage(s: Of<'show_image'>, ctx: ExecContext): Promise<void> {
  const img = getImage(ctx.state, s.image, s.range);
  const d = getData(ctx.state, s.image.data, s.range);
  ctx.io.display(imageBundle(img.data, img.shape, `${labelText(d, img.label)} — ${s.image.data}.${s.image.split}[${s.image.index}]`));
}

export async function execShowSamples(s: Of<'show_samples'>, ctx: ExecContext): Promise<void> {
  const d = getData(ctx.state, s.data, s.range);
  const n = Math.min(s.count, d[s.split].count);
  const samples = Array.from({ length: n }, (_, i) => {
    const img = exampleImage(d, s.split, i);
    return { data: img.data, caption: labelText(d, img.label) };
  });
  ctx.io.display(samplesBundle(samples, d.shape, `${s.data}.${s.split}: the first ${n} of ${d[s.split].count} images`));
}
