// The `show` statements that look inside a model or a run: filters, feature maps, training history,
// a learning-rate schedule before training, an augmentation preview, and runs compared.
import type { ImageRef, Statement } from '../../dsl/program.js';
import { augmentPreviewBundle } from '../../render/augment.js';
import { featureMapsImage, filtersImage } from '../../render/grid.js';
import type { RunHistory } from '../../runtime/train/events.js';
import { compareRunsPlot, schedulePlot, trainingCurvesPlot } from '../../render/plot.js';
import { augmentBatch } from '../../runtime/augment.js';
import { createRng } from '../../runtime/rng.js';
import { scheduleCurve } from '../../runtime/schedules.js';
import { StatementError } from '../errors.js';
import { exampleImage } from '../../runtime/data/dataset.js';
import type { Net } from '../../runtime/types.js';
import { layerShape } from '../../runtime/pool/outputs.js';
import { measureOnLanes } from '../lanes.js';
import type { ExecContext } from './context.js';
import { checkTakes, getData, getImage, getModel } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execShowFilters(s: Of<'show_filters'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const w = m.net.params.find((p) => p.name === `${s.layer}.weight`);
  const layer = m.spec.layers.find((l) => l.name === s.layer);
  if (!layer || layer.kind !== 'conv2d' || !w)
    throw new StatementError(`${s.model}.${s.layer} is not a convolution layer, so it has no filters to show`, s.range);
  ctx.io.display(filtersImage(w.value, w.shape as [number, number, number, number], { layer: `${s.model}.${s.layer}` }));
}

export async function execShowFeatureMaps(s: Of<'show_feature_maps'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const img = getImage(ctx.state, s.image, s.range);
  checkTakes(s.model, m.spec.input, s.image.data, img.shape, s.range);
  const act = await featureMaps(ctx, m.net, s.layer, s.image);
  const [, ac, ah, aw] = act.shape;
  ctx.io.display(
    featureMapsImage(
      act.data.subarray(0, ac * ah * aw),
      { c: ac, h: ah, w: aw },
      { layer: `${s.model}.${s.layer} of ${s.image.data}.${s.image.split}[${s.image.index}]` },
    ),
  );
}

/** One example's activation of `layer`, through the session's pool (one image: lane 0); float64 nets here. */
async function featureMaps(ctx: ExecContext, net: Net, layer: string, ref: ImageRef): Promise<ReturnType<Net['activation']>> {
  const d = ctx.state.data.get(ref.data)!;
  if (net.dtype !== 'float32') {
    const img = exampleImage(d, ref.split, ref.index);
    net.forward(Float64Array.from(img.data), 1, 'eval');
    return net.activation(layer);
  }
  const r = await measureOnLanes(ctx.state, net, d[ref.split], d.shape, [ref.index], { layer });
  const { c, h, w } = layerShape(net, layer);
  return { data: r.outputs, shape: [1, c, h, w] };
}

/** The most recent run of a model, as the renderers read it. */
function lastRun(ctx: ExecContext, model: string, range: Of<'show_history'>['range']): { label: string; history: RunHistory } {
  const m = getModel(ctx.state, model, range);
  const run = m.runs[m.runs.length - 1];
  if (!run) throw new StatementError(`${model} has not been trained yet in this session`, range);
  return { label: run.label, history: run.history };
}

export async function execShowHistory(s: Of<'show_history'>, ctx: ExecContext): Promise<void> {
  const run = lastRun(ctx, s.model, s.range);
  ctx.io.display(await trainingCurvesPlot(run.history, { title: `${s.model} · ${run.label}` }));
}

/** Piecewise schedules are given in epochs; a schedule drawn before training assumes this many steps per epoch. */
export const SCHEDULE_STEPS_PER_EPOCH = 250;

export async function execShowSchedule(s: Of<'show_schedule'>, ctx: ExecContext): Promise<void> {
  const lr0 = s.lr;
  const curve = scheduleCurve(s.schedule, lr0, s.steps, SCHEDULE_STEPS_PER_EPOCH);
  const every = Math.max(1, Math.floor(s.steps / 400));
  const points: [number, number][] = [];
  for (let i = 0; i < curve.length; i += every) points.push([i, curve[i]]);
  const sch = s.schedule;
  const note =
    sch.kind === 'piecewise'
      ? ` (epochs of ${SCHEDULE_STEPS_PER_EPOCH} steps)`
      : sch.kind === 'plateau'
        ? ' (drawn with no evaluations: it only drops when the validation error stalls)'
        : '';
  ctx.io.display(await schedulePlot(points, { title: `${sch.kind} schedule from η₀ = ${lr0}${note}`, lr0 }));
}

export async function execShowAugment(s: Of<'show_augment'>, ctx: ExecContext): Promise<void> {
  const d = getData(ctx.state, s.data, s.range);
  const img = getImage(ctx.state, s.image, s.range);
  const size = img.data.length;
  const src = new Float32Array(size * s.count);
  for (let i = 0; i < s.count; i++) src.set(img.data, i * size);
  const dst = new Float32Array(size * s.count);
  augmentBatch(src, dst, s.count, d.shape, s.augment, createRng(s.seed));
  const variants = Array.from({ length: s.count }, (_, i) => dst.subarray(i * size, (i + 1) * size));
  const what = Object.entries(s.augment)
    .map(([k, v]) => (v === true ? k : `${k} ${Array.isArray(v) ? v.join('x') : v}`))
    .join(', ');
  ctx.io.display(
    augmentPreviewBundle(img.data, variants, d.shape, `${s.image.data}.${s.image.split}[${s.image.index}]: ${what} (seed ${s.seed})`),
  );
}

export async function execCompare(s: Of<'compare'>, ctx: ExecContext): Promise<void> {
  const runs = s.models.map((name) => {
    const r = lastRun(ctx, name, s.range);
    return { label: r.label === name ? name : `${name} (${r.label})`, history: r.history };
  });
  ctx.io.display(await compareRunsPlot(runs, s.metric));
}
