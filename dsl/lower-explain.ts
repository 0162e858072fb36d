// Lowering of `explain …`: the first word picks the form from the 'explain' rows of the built-ins table
// (a layer there means the unit form), then the target (MODEL.LAYER[.weight|.input], a model, or a
// by-hand convolution), `of IMAGE` and `at map 2, row 3, col 4`. Names are resolved against the session.
import type { Term } from './ast.js';
import { wordOf } from './ast.js';
import { describe, type Binder } from './bind.js';
import { lookup, namesOf, type Builtin } from './builtins.js';
import { valueOr } from './defaults.js';
import { filterOf, numbersOf } from './lower-filter.js';
import { imageRef } from './lower-show.js';
import type { ExplainSpec, ImageRef, SessionEnv, SourceRange, UnitAt } from './program.js';
import { didYouMean } from './suggest.js';
import type { LayerSpec } from '../runtime/spec.js';

type Form = ExplainSpec['form'];
const row = (name: string) => lookup('explain', name) as Builtin;

/** Which model holds a layer written `MODEL.LAYER[.part]` or just `LAYER[.part]` (when one model has it). */
function layerTarget(
  v: Term | undefined,
  env: SessionEnv,
  b: Binder,
  at: SourceRange,
  example: string,
): { model: string; layer: LayerSpec | undefined; name: string; part?: string } | undefined {
  if (v === undefined || v.t !== 'path' || v.index !== undefined)
    return b.error(
      v?.range ?? at,
      `expected a layer like lenet.conv1 here, e.g. ${example}${v ? `, found ${describe(v)}` : ''}`,
      'missing',
    );
  const [first, ...rest] = v.parts;
  const models = Object.keys(env.models);
  if (env.models[first.name] !== undefined) {
    const spec = env.models[first.name];
    if (rest.length === 0)
      return b.error(
        v.range,
        `explain needs a layer of ${first.name}, e.g. ${first.name}.${spec.layers[0]?.name ?? 'conv1'}; its layers are ${spec.layers.map((l) => l.name).join(', ')}`,
        'missing',
      );
    const name = rest[0].name;
    const layer = spec.layers.find((l) => l.name === name);
    if (layer === undefined)
      return b.error(
        rest[0].range,
        `${first.name} has no layer '${name}'${didYouMean(
          name,
          spec.layers.map((l) => l.name),
        )}; its layers are ${spec.layers.map((l) => l.name).join(', ')}`,
        'unknown-name',
      );
    return { model: first.name, layer, name, ...(rest[1] ? { part: rest[1].name } : {}) };
  }
  const holders = models.filter((m) => env.models[m].layers.some((l) => l.name === first.name));
  if (holders.length === 1) {
    const layer = env.models[holders[0]].layers.find((l) => l.name === first.name);
    return { model: holders[0], layer, name: first.name, ...(rest[0] ? { part: rest[0].name } : {}) };
  }
  if (holders.length > 1) {
    const list = `${holders.slice(0, -1).join(', ')} and ${holders[holders.length - 1]}`;
    return b.error(first.range, `${first.name} is a layer of ${list}; write which, e.g. ${holders[0]}.${first.name}`, 'unknown-name');
  }
  const none = models.length === 0 ? '; no model is defined yet' : `${didYouMean(first.name, models)}; models: ${models.join(', ')}`;
  return b.error(first.range, `unknown model or layer '${first.name}'${none}`, 'unknown-name');
}

/** A bare model name (early_stop, schedule). */
function modelName(v: Term | undefined, b: Binder, at: SourceRange, form: string): string | undefined {
  const word = wordOf(v);
  if (word === undefined)
    return b.error(
      v?.range ?? at,
      `explain ${form} needs a trained model's name, e.g. explain ${form} lenet${form === 'schedule' ? ' at 0, 100, 1000' : ''}`,
      'missing',
    );
  return word;
}

/** Splits the terms after the target into `of IMAGE` and the coordinate words (commas and `at` dropped). */
function clauses(terms: Term[], b: Binder): { image?: Term; coords: Term[]; atNumbers: number[]; atRange?: SourceRange } {
  const coords: Term[] = [];
  const atNumbers: number[] = [];
  let atRange: SourceRange | undefined;
  let image: Term | undefined;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i];
    const w = wordOf(t);
    if (w === 'of') {
      image = terms[++i];
      if (image === undefined) b.error(t.range, "'of' needs an image after it, e.g. of digits.test[7]", 'missing');
    } else if (w === 'at') {
      // `at 0, 10, 100` (numbers) or `at map 2, row 3` (words with numbers).
      while (terms[i + 1]?.t === 'num' || (terms[i + 1]?.t === 'comma' && terms[i + 2]?.t === 'num')) {
        const n = terms[++i];
        if (n.t === 'num') {
          atNumbers.push(n.value);
          atRange ??= n.range;
        }
      }
    } else if (t.t !== 'comma') coords.push(t);
  }
  return { ...(image ? { image } : {}), coords, atNumbers, ...(atRange ? { atRange } : {}) };
}

function unitAt(r: Builtin, coords: Term[], b: Binder, at: SourceRange, owner: string): UnitAt {
  const bound = b.line(r, coords, at, owner);
  const v = (n: string) => (r.params.some((p) => p.name === n) ? valueOr<number>(r, bound, n) : 0);
  return { map: v('map'), channel: v('channel'), row: v('row'), col: v('col') };
}

/** The layer kinds explain treats as pooling: a window (the whole map for globalavgpool) and a max or a mean. */
export const POOLING_KINDS: readonly string[] = ['maxpool', 'avgpool', 'globalavgpool'];
export const isPooling = (kind: string | undefined): boolean => kind !== undefined && POOLING_KINDS.includes(kind);

const CONV_ONLY = (name: string, kind: string, form: string) =>
  `${name} is a ${kind} layer; explain ${form} takes a conv layer${form === 'unit' ? ' or a pooling layer' : ''}`;

export function lowerExplain(terms: Term[], b: Binder, at: SourceRange, env: SessionEnv): ExplainSpec | undefined {
  const forms = namesOf('explain');
  const word = wordOf(terms[0]);
  const named = word !== undefined && forms.includes(word) && env.models[word] === undefined;
  const form = (named ? word : 'unit') as Exclude<Form, 'convolve1d' | 'convolve2d'> | 'convolve';
  const rest = named ? terms.slice(1) : terms;
  const r = row(form);
  if (!named && terms[0]?.t === 'path' && terms[0].parts.length === 1 && env.models[terms[0].parts[0].name] === undefined) {
    const w = terms[0].parts[0].name;
    const isLayer = Object.values(env.models).some((m) => m.layers.some((l) => l.name === w));
    if (!isLayer)
      return b.error(
        terms[0].range,
        `explain what? '${w}' is neither a form${didYouMean(w, forms)} nor a layer of a model; forms: ${forms.join(', ')}`,
        'unknown-name',
      );
  }
  if (form === 'convolve') return lowerConvolve(rest, b, at, r);
  if (form === 'early_stop' || form === 'schedule') {
    const model = modelName(rest[0], b, at, form);
    const c = clauses(rest.slice(1), b);
    if (c.coords.length) b.error(c.coords[0].range, `unexpected ${describe(c.coords[0])} in explain ${form}`, 'syntax');
    if (c.image) b.error(c.image.range, `explain ${form} reads the run's history and takes no image`, 'syntax');
    if (form === 'early_stop' && c.atRange) b.error(c.atRange, 'explain early_stop takes no steps', 'syntax');
    const bad = c.atNumbers.find((n) => !Number.isInteger(n) || n < 0);
    if (bad !== undefined) return b.error(c.atRange ?? at, `steps count updates from 0 in whole numbers, found ${bad}`, 'range');
    if (model === undefined) return undefined;
    return form === 'early_stop' ? { form, model } : { form, model, steps: c.atNumbers };
  }
  const t = layerTarget(rest[0], env, b, at, r.example.split('\n').pop() ?? '');
  if (t === undefined) return undefined;
  const c = clauses(rest.slice(1), b);
  const kind = t.layer?.kind;
  if (c.atRange) b.error(c.atRange, `name each coordinate: at ${r.params.map((p, k) => `${p.name} ${k}`).join(', ') || '…'}`, 'syntax');
  if ((form === 'size' || form === 'dropout') && (c.image || c.coords.length)) {
    const extra = c.image ?? c.coords[0];
    b.error(
      extra.range,
      `explain ${form} reads the layer's shape and takes ${c.image ? 'no image' : `nothing more than the layer`}`,
      'syntax',
    );
  }
  if (form === 'size') {
    if (kind !== undefined && kind !== 'conv2d' && !isPooling(kind))
      return b.error(rest[0].range, `${t.name} is a ${kind} layer; explain size takes a conv or pooling layer`, 'type');
    return { form, model: t.model, layer: t.name };
  }
  if (form === 'dropout') {
    if (kind !== undefined && kind !== 'dropout')
      return b.error(rest[0].range, `${t.name} is a ${kind} layer, not a dropout layer`, 'type');
    return { form, model: t.model, layer: t.name };
  }
  const image =
    c.image === undefined
      ? b.error(
          rest[0].range,
          `explain ${form} runs the model on one example: add of DATA.test[i], e.g. ${r.example.split('\n').pop()}`,
          'missing',
        )
      : (imageRef(c.image, b, rest[0].range) as ImageRef | undefined);
  const coords = unitAt(r, c.coords, b, at, `explain ${form}`);
  if (image === undefined) return undefined;
  if (form === 'gradient') {
    const pool = isPooling(kind);
    if (!pool && kind !== 'conv2d')
      return b.error(
        rest[0].range,
        `${t.name} is a ${kind} layer; explain gradient takes a conv layer's .weight or .input, or a pooling layer`,
        'type',
      );
    if (!pool && t.part !== 'weight' && t.part !== 'input')
      return b.error(
        rest[0].range,
        `write ${t.model}.${t.name}.weight (equation 6a) or ${t.model}.${t.name}.input (equation 6j)`,
        'missing',
      );
    return { form, model: t.model, layer: t.name, of: pool ? 'pool' : (t.part as 'weight' | 'input'), image, at: coords };
  }
  const poolUnit = form === 'unit' && isPooling(kind);
  if (kind !== 'conv2d' && !poolUnit) return b.error(rest[0].range, CONV_ONLY(t.name, kind ?? 'unknown', form), 'type');
  if (t.part !== undefined && t.part !== 'weight')
    return b.error(rest[0].range, `explain ${form} works on a conv layer's weights: write ${t.name} or ${t.name}.weight`, 'syntax');
  return { form: form as 'unit' | 'weight_decay' | 'step', model: t.model, layer: t.name, image, at: coords };
}

function lowerConvolve(rest: Term[], b: Binder, at: SourceRange, r: Builtin): ExplainSpec | undefined {
  const [input, w, filter, ...more] = rest;
  if (input === undefined || wordOf(w) !== 'with' || filter === undefined || filter.t === 'comma') {
    return b.error(
      input?.range ?? at,
      `write explain convolve [1, 2, 3, 4] with [1, 0, -1] at 1, or explain convolve digits.test[7] with sobel_x at row 3, col 4`,
      'syntax',
    );
  }
  const c = clauses(more, b);
  if (input.t === 'list') {
    const series = numbersOf(input, b, 'the series');
    const kernel = numbersOf(filter, b, 'a 1-D kernel');
    if (c.coords.length) b.error(c.coords[0].range, 'a 1-D convolution takes one position: at I', 'syntax');
    const index = c.atNumbers[0] ?? 0;
    if (series === undefined || kernel === undefined) return undefined;
    if (!Number.isInteger(index) || index < 0 || index > series.length - kernel.length) {
      return b.error(
        more[more.length - 1]?.range ?? filter.range,
        `the result has ${Math.max(0, series.length - kernel.length + 1)} positions (0 to ${series.length - kernel.length}); there is no position ${index}`,
        'range',
      );
    }
    return { form: 'convolve1d', series, kernel, index };
  }
  const image = imageRef(input, b, at);
  const f = filterOf(filter as Exclude<Term, { t: 'comma' }>, b);
  const coords = unitAt(r, c.coords, b, at, 'explain convolve');
  return image && f && { form: 'convolve2d', image, filter: f, at: coords };
}
