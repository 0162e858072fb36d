// The checker: diagnostics only. Names that must exist (models, datasets, layers, images), shapes
// through every layer, a training-memory estimate against the machine, and consistency between a
// model and the data it trains on. It reads the lowered statement and the AST (for token ranges).
import type { Ident, Stmt, Term } from './ast.js';
import { wordOf } from './ast.js';
import type { Lowered } from './lower.js';
import type { Diagnostic, ExplainSpec, ImageRef, SessionEnv, SourceRange } from './program.js';
import { optimizerSlots, trainingMemory } from '../runtime/memory-estimate.js';
import { checkShapes, formatBytes, parameterCount } from './shape-check.js';
import { didYouMean } from './suggest.js';
import { endsInSoftmax } from '../runtime/layers/table.js';
import { windowOut } from '../runtime/shapes.js';
import type { DataSpec, ModelSpec, Pair, ScheduleSpec } from '../runtime/spec.js';

export interface CheckContext {
  /** The session as this statement sees it: earlier cells plus earlier statements of this cell. */
  env: SessionEnv;
  /** Models loaded in this cell: they exist, but their specs are only known once the file is read. */
  loaded: Set<string>;
  /** Names defined earlier in this cell, for duplicate warnings. */
  defined: Map<string, SourceRange>;
  /** Memory available to a training run (bytes). */
  totalMemory: number;
  /** Cores of this machine: more workers than cores only wait for each other. */
  cores: number;
}

type DataInfo = SessionEnv['data'][string];

/** What the checker can know of a dataset before loading it. */
export function dataInfo(spec: DataSpec, env: SessionEnv): DataInfo {
  switch (spec.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return { shape: { c: 1, h: 28, w: 28 }, classes: 10, train: spec.train, test: spec.test };
    case 'csv':
      return spec.width !== undefined && spec.height !== undefined ? { shape: { c: 1, h: spec.height, w: spec.width } } : {};
    case 'subset': {
      const from = env.data[spec.from] ?? {};
      const info: DataInfo = { ...(from.shape ? { shape: from.shape } : {}) };
      const classes = spec.classes?.length ?? from.classes;
      if (classes !== undefined) info.classes = classes;
      // Keeping classes shrinks the splits by an unknown amount; only the caps are certain.
      if (spec.classes === undefined && from.train !== undefined) info.train = Math.min(from.train, spec.train ?? Infinity);
      if (spec.classes === undefined && from.test !== undefined) info.test = Math.min(from.test, spec.test ?? Infinity);
      return info;
    }
    default:
      return {};
  }
}

class Checks {
  readonly out: Diagnostic[] = [];
  constructor(readonly ctx: CheckContext) {}

  error(range: SourceRange, message: string, code: string): void {
    this.out.push({ severity: 'error', code, message, range });
  }
  warn(range: SourceRange, message: string, code: string): void {
    this.out.push({ severity: 'warning', code, message, range });
  }

  model(name: string, range: SourceRange): ModelSpec | 'opaque' | undefined {
    const { env, loaded } = this.ctx;
    if (env.models[name] !== undefined) return env.models[name];
    if (loaded.has(name)) return 'opaque';
    const known = [...Object.keys(env.models), ...loaded];
    const isData = env.data[name] !== undefined ? ` (${name} is a dataset)` : '';
    const none = known.length === 0 ? '; no model is defined yet — define one with model NAME { … }' : `; models: ${known.join(', ')}`;
    this.error(range, `unknown model '${name}'${isData}${didYouMean(name, known)}${isData ? '' : none}`, 'unknown-name');
    return undefined;
  }

  data(name: string, range: SourceRange): DataInfo | undefined {
    const { env } = this.ctx;
    if (env.data[name] !== undefined) return env.data[name];
    const known = Object.keys(env.data);
    const isModel = env.models[name] !== undefined ? ` (${name} is a model)` : '';
    const none =
      known.length === 0
        ? '; no dataset is defined yet — e.g. data digits = mnist(train: 8000, test: 2000)'
        : `; datasets: ${known.join(', ')}`;
    this.error(range, `unknown dataset '${name}'${isModel}${didYouMean(name, known)}${isModel ? '' : none}`, 'unknown-name');
    return undefined;
  }

  image(ref: ImageRef, term: Term | undefined, fallback: SourceRange): void {
    const range = term?.range ?? fallback;
    const dataRange = term?.t === 'path' ? term.parts[0].range : range;
    const info = this.data(ref.data, dataRange);
    const n = info?.[ref.split];
    if (n !== undefined && ref.index >= n) {
      const at = term?.t === 'path' && term.index ? term.index.range : range;
      this.error(at, `${ref.data}.${ref.split} has ${n} images (0 to ${n - 1}); there is no image ${ref.index}`, 'range');
    }
  }

  layer(spec: ModelSpec | 'opaque' | undefined, layer: string, range: SourceRange, kinds?: string[]): void {
    if (spec === undefined || spec === 'opaque') return;
    const l = spec.layers.find((x) => x.name === layer);
    const names = spec.layers.map((x) => x.name);
    if (l === undefined) {
      this.error(
        range,
        `${spec.name} has no layer '${layer}'${didYouMean(layer, names)}; its layers are ${names.join(', ')}`,
        'unknown-name',
      );
    } else if (kinds !== undefined && !kinds.includes(l.kind)) {
      const convs = spec.layers.filter((x) => kinds.includes(x.kind)).map((x) => x.name);
      this.error(
        range,
        `${layer} is a ${l.kind} layer and has no filters to show${convs.length ? `; conv layers: ${convs.join(', ')}` : ''}`,
        'type',
      );
    }
  }

  define(name: Ident, what: 'model' | 'data'): void {
    const { env, defined } = this.ctx;
    const other = what === 'model' ? env.data[name.name] : env.models[name.name];
    if (other !== undefined)
      this.error(name.range, `${name.name} is already a ${what === 'model' ? 'dataset' : 'model'}; pick another name`, 'duplicate');
    else if (defined.has(name.name))
      this.warn(name.range, `${name.name} is defined twice in this cell; the second definition wins`, 'duplicate');
  }
}

function checkModelSpec(c: Checks, s: Extract<Stmt, { kind: 'model' }>, low: Lowered): void {
  const m = low.model;
  if (m === undefined) return;
  const seen = new Map<string, number>();
  m.spec.layers.forEach((l, i) => {
    const prev = seen.get(l.name);
    const o = m.origins[i];
    if (prev !== undefined)
      c.error(o?.bound.as?.range ?? o?.head ?? s.name.range, `two layers are named ${l.name}; layer names must be unique`, 'duplicate');
    seen.set(l.name, i);
  });
  const shapes = checkShapes(m.spec, m.origins, s.from?.range ?? s.name.range);
  c.out.push(...shapes.diagnostics);
  if (shapes.layers !== undefined) {
    const params = parameterCount(shapes.layers);
    const bytes = 16 * params;
    if (bytes > c.ctx.totalMemory)
      c.error(
        s.name.range,
        `${s.name.name} has ${params.toLocaleString('en')} parameters; training it needs at least ${formatBytes(bytes)}, more than the ${formatBytes(c.ctx.totalMemory)} of memory available`,
        'memory',
      );
    // The runtime's rule for "the outputs are probabilities", so the warning and the loss agree.
    if (m.spec.loss === 'cross_entropy' && m.spec.layers.length > 0 && !endsInSoftmax(m.spec)) {
      const o = m.origins[m.origins.length - 1];
      c.warn(
        o?.head ?? s.name.range,
        `the last layer of ${s.name.name} is not softmax; cross-entropy expects class probabilities, e.g. end with dense 10 softmax`,
        'loss',
      );
    }
  }
}

function checkSchedule(c: Checks, schedule: ScheduleSpec, range: SourceRange): void {
  if (schedule.kind !== 'piecewise') return;
  const { boundaries, values } = schedule;
  if (values.length !== boundaries.length + 1)
    c.error(
      range,
      `piecewise needs one more value than boundaries: ${boundaries.length} boundaries (at) need ${boundaries.length + 1} values, found ${values.length}`,
      'arity',
    );
  if (boundaries.some((x, i) => i > 0 && x <= boundaries[i - 1]))
    c.error(range, 'the epoch boundaries of piecewise (at) must increase', 'range');
}

function checkTrain(c: Checks, s: Extract<Stmt, { kind: 'train' }>, low: Lowered): void {
  if (low.statement.kind !== 'train') return;
  const spec = low.statement.spec;
  const model = c.model(s.model.name, s.model.range);
  const data = c.data(s.data.name, s.data.range);
  const settings = low.settings ?? {};
  const at = (name: string) => settings[name]?.bound.value?.range ?? settings[name]?.head ?? s.keyword.range;
  checkSchedule(c, spec.schedule, at('schedule'));
  if (spec.schedule.kind === 'plateau' && spec.validation === 0)
    c.warn(
      at('schedule'),
      'plateau watches the validation error, but validation is 0; add e.g. validation 0.1 (until then it watches the test split)',
      'config',
    );
  if (spec.earlyStop && spec.validation === 0)
    c.warn(
      settings.early_stop.head,
      'early_stop watches the validation split, but validation is 0; add e.g. validation 0.1 (until then it watches the test split)',
      'config',
    );
  if (spec.workers > spec.batch)
    c.error(at('workers'), `${spec.workers} workers cannot share a batch of ${spec.batch}; use at most ${spec.batch} workers`, 'range');
  else if (spec.workers > c.ctx.cores) {
    c.warn(
      at('workers'),
      `workers ${spec.workers} is more than this machine's ${c.ctx.cores} cores, so the workers take turns and training is much slower; the numbers do not depend on it, so use workers 0 (one per core)`,
      'config',
    );
  }
  if (data?.train !== undefined && spec.batch > Math.floor(data.train * (1 - spec.validation))) {
    c.warn(
      at('batch'),
      `batch ${spec.batch} is larger than the ${Math.floor(data.train * (1 - spec.validation))} training examples of ${s.data.name}`,
      'range',
    );
  }
  if (model === undefined || model === 'opaque') return;
  if (data?.shape !== undefined) {
    const a = model.input;
    const d = data.shape;
    if (a.c !== d.c || a.h !== d.h || a.w !== d.w)
      c.error(s.data.range, `${model.name} expects ${a.h}x${a.w}x${a.c} images but ${s.data.name} has ${d.h}x${d.w}x${d.c}`, 'shape');
  }
  const shapes = checkShapes(
    model,
    model.layers.map(() => undefined),
    s.model.range,
  );
  if (shapes.layers === undefined) return;
  const outputs = shapes.layers[shapes.layers.length - 1]?.out;
  const units = outputs ? outputs.c * outputs.h * outputs.w : 0;
  if (data?.classes !== undefined && units !== data.classes && model.loss === 'cross_entropy') {
    c.error(
      s.data.range,
      `${s.data.name} has ${data.classes} classes but ${model.name} has ${units} outputs; end the model with dense ${data.classes} softmax`,
      'shape',
    );
  }
  const slots = optimizerSlots(spec.optimizer);
  // The lanes the runtime will use (resolveWorkers): workers, or one per core up to the micro-batches of 16.
  const lanes = spec.workers >= 1 ? spec.workers : Math.max(1, Math.min(c.ctx.cores, Math.ceil(spec.batch / 16)));
  const train = data?.train ?? 0;
  const evalExamples = Math.max(
    Math.min(Math.floor(train * (1 - spec.validation)), 2000),
    Math.ceil(train * spec.validation),
    data?.test ?? 0,
  );
  const { bytes } = trainingMemory({ spec: model, batch: spec.batch, lanes, optimizerSlots: slots, evalExamples });
  if (bytes > c.ctx.totalMemory) {
    c.error(
      at('batch'),
      `training ${model.name} with batch ${spec.batch} needs about ${formatBytes(bytes)}, more than the ${formatBytes(c.ctx.totalMemory)} of memory available; use a smaller batch or model`,
      'memory',
    );
  }
}

function checkSubset(c: Checks, s: Extract<Stmt, { kind: 'data' }>, spec: DataSpec): void {
  if (spec.kind === 'mnist' && spec.train + spec.test > 10000) {
    c.error(
      s.source.range,
      `the embedded MNIST sample has 10000 images; train ${spec.train} + test ${spec.test} = ${spec.train + spec.test} is too many`,
      'range',
    );
  }
  if (spec.kind !== 'subset') return;
  const from = s.source.t === 'path' ? s.source.parts[0].range : s.source.range;
  const parent = c.data(spec.from, from);
  if (parent?.classes !== undefined && spec.classes !== undefined) {
    const bad = spec.classes.find((k) => k >= (parent.classes as number));
    if (bad !== undefined)
      c.error(s.where?.terms[0]?.range ?? from, `${spec.from} has classes 0 to ${parent.classes - 1}; there is no class ${bad}`, 'range');
    if (new Set(spec.classes).size !== spec.classes.length)
      c.error(s.where?.terms[0]?.range ?? from, 'a class is listed twice', 'duplicate');
  }
}

/**
 * A by-hand convolution or pooling of one image: an empty result is an error. A stride that does not
 * divide is allowed here (overlapping 3x3/2 pooling is a classic demo); layers are stricter, see
 * shape-check.ts. `pad` undefined means 'same' padding, which never empties the output.
 */
function checkWindow(
  c: Checks,
  shape: { h: number; w: number } | undefined,
  k: Pair,
  s: Pair,
  pad: number | undefined,
  range: SourceRange,
): void {
  if (shape === undefined || pad === undefined) return;
  const ho = windowOut(shape.h, 2 * pad, k[0], s[0]);
  const wo = windowOut(shape.w, 2 * pad, k[1], s[1]);
  if (ho < 1 || wo < 1)
    c.error(range, `the ${k[0]}x${k[1]} window does not fit in the ${shape.h}x${shape.w} image, so the result would be empty`, 'shape');
}

/** Diagnostics of one statement, given what it lowered to. */
export function checkStatement(s: Stmt, low: Lowered, ctx: CheckContext, partial = false): Diagnostic[] {
  const c = new Checks(ctx);
  const st = low.statement;
  switch (s.kind) {
    case 'data':
      c.define(s.name, 'data');
      if (st.kind === 'data') checkSubset(c, s, st.spec);
      break;
    case 'model':
      c.define(s.name, 'model');
      if (s.from !== undefined) c.model(s.from.name, s.from.range);
      if (!partial) checkModelSpec(c, s, low);
      break;
    case 'train':
      checkTrain(c, s, low);
      break;
    case 'evaluate':
      c.model(s.model.name, s.model.range);
      if (s.target.t === 'path') c.data(s.target.parts[0].name, s.target.parts[0].range);
      break;
    case 'predict': {
      c.model(s.model.name, s.model.range);
      if (st.kind === 'predict') c.image(st.image, s.input, s.keyword.range);
      break;
    }
    case 'compare':
      for (const m of s.models) c.model(m.name, m.range);
      break;
    case 'convolve':
      if (st.kind === 'convolve') {
        c.image(st.image, s.input, s.keyword.range);
        const k: Pair =
          st.filter.kind === 'literal' ? [st.filter.rows.length, st.filter.rows[0]?.length ?? 0] : [st.filter.size, st.filter.size];
        const pad = st.padding === 'valid' ? 0 : undefined;
        checkWindow(c, ctx.env.data[st.image.data]?.shape, k, st.stride, pad, s.filter.range);
      }
      break;
    case 'pool':
      if (st.kind === 'pool') {
        c.image(st.image, s.input, s.keyword.range);
        checkWindow(c, ctx.env.data[st.image.data]?.shape, st.size, st.stride, 0, s.terms[0]?.range ?? s.keyword.range);
      }
      break;
    case 'save':
      c.model(s.model.name, s.model.range);
      break;
    case 'load':
    case 'import':
      c.define(s.name, 'model');
      break;
    case 'export':
      c.model(s.model.name, s.model.range);
      break;
    case 'show':
      checkShow(c, s.terms, low, s.keyword.range);
      break;
    case 'explain':
      if (st.kind === 'explain') checkExplain(c, s.terms, st.spec, s.keyword.range);
      break;
    default:
      break;
  }
  return c.out;
}

function checkShow(c: Checks, terms: Term[], low: Lowered, at: SourceRange): void {
  const st = low.statement;
  const first = terms[0];
  const nameRange = first?.t === 'path' ? first.parts[0].range : (first?.range ?? at);
  switch (st.kind) {
    case 'show_summary':
    case 'show_history':
      c.model(st.model, nameRange);
      break;
    case 'show_filters':
      c.layer(c.model(st.model, nameRange), st.layer, terms[1]?.range ?? at, ['conv2d']);
      break;
    case 'show_feature_maps': {
      c.layer(c.model(st.model, nameRange), st.layer, terms[1]?.range ?? at);
      const imageTerm = wordOf(terms[2]) === 'of' ? terms[3] : terms[2];
      c.image(st.image, imageTerm, at);
      break;
    }
    case 'show_image':
      c.image(st.image, first, at);
      break;
    case 'show_samples':
      c.data(st.data, nameRange);
      break;
    case 'show_augment':
      c.image(st.image, terms[1], at);
      if (Object.keys(st.augment).length === 0)
        c.error(
          first?.range ?? at,
          'show augment needs at least one augmentation, e.g. show augment digits.train[3] shift 2, rotate 15',
          'missing',
        );
      break;
    case 'show_schedule':
      checkSchedule(c, st.schedule, terms[1]?.range ?? at);
      break;
    default:
      break;
  }
}

/** explain: the models it reads exist and its image is in range (layers were resolved when lowering). */
function checkExplain(c: Checks, terms: Term[], spec: ExplainSpec, at: SourceRange): void {
  if ('model' in spec) c.model(spec.model, terms.find((t) => t.t === 'path')?.range ?? at);
  if ('image' in spec) {
    const i = terms.findIndex((t) => wordOf(t) === 'of');
    const term = i >= 0 ? terms[i + 1] : terms.find((t) => t.t === 'path' && t.index !== undefined);
    c.image(spec.image, term, at);
  }
}

/** A statement that could not be lowered because a name it builds on is missing. */
export function checkUnlowered(s: Stmt, ctx: CheckContext): Diagnostic[] {
  const c = new Checks(ctx);
  if (s.kind === 'export') {
    c.model(s.model.name, s.model.range);
    c.error(
      s.path.range,
      `export writes an ONNX file (.onnx) or PyTorch source with its weights (.py); "${s.path.value}" has neither extension`,
      'value',
    );
  }
  if (s.kind === 'model' && s.from !== undefined) {
    if (ctx.loaded.has(s.from.name) && ctx.env.models[s.from.name] === undefined) {
      c.error(
        s.from.range,
        `${s.from.name} is loaded in this cell, so its layers are known only once it has run; build on it in the next cell`,
        'unknown-name',
      );
    } else c.model(s.from.name, s.from.range);
  }
  return c.out;
}

/** After a statement checks clean: what later statements of the cell can see. */
export function define(low: Lowered, ctx: CheckContext, s: Stmt): void {
  const st = low.statement;
  if (st.kind === 'data') {
    ctx.env.data[st.name] = dataInfo(st.spec, ctx.env);
    ctx.defined.set(st.name, s.range);
  } else if (st.kind === 'model') {
    ctx.env.models[st.name] = st.spec;
    ctx.defined.set(st.name, s.range);
  } else if (st.kind === 'load' || st.kind === 'import') {
    ctx.loaded.add(st.name);
    delete ctx.env.models[st.name];
    ctx.defined.set(st.name, s.range);
  }
}
