// Lowering of `show …`: which form it is follows from the first term (schedule, augment, a model or
// dataset name and its attribute), so the session gets one specific Statement per form.
import type { Term, Value } from './ast.js';
import { wordOf } from './ast.js';
import { describe, type Binder, type FamilyValue } from './bind.js';
import { lookup, type Builtin } from './builtins.js';
import { valueOr } from './defaults.js';
import { augmentSpec, scheduleSpec } from './lower-train.js';
import type { ImageRef, SessionEnv, SourceRange, Statement } from './program.js';
import { didYouMean } from './suggest.js';

/** A Statement without its range (the caller adds it), distributed over the union. */
export type StatementBody = Statement extends infer S ? (S extends unknown ? Omit<S, 'range'> : never) : never;
export type ShowBody = Extract<StatementBody, { kind: `show_${string}` }>;

/** `digits.test[7]` → ImageRef (a missing split means test), or undefined after reporting. */
export function imageRef(v: Term | undefined, b: Binder, at: SourceRange): ImageRef | undefined {
  if (v === undefined) return b.error(at, 'expected an image like digits.test[7] here', 'missing');
  if (v.t !== 'path' || v.index === undefined || v.parts.length > 2)
    return b.error(v.range, `expected an image like digits.test[7], found ${describe(v)}`, 'type');
  const split = v.parts[1]?.name ?? 'test';
  if (split !== 'test' && split !== 'train')
    return b.error(
      v.parts[1].range,
      `a dataset has splits train and test, not '${split}'${didYouMean(split, ['train', 'test'])}`,
      'unknown-name',
    );
  if (!Number.isInteger(v.index.value) || v.index.value < 0)
    return b.error(v.index.range, `an image index is a whole number from 0, found ${v.index.value}`, 'range');
  return { data: v.parts[0].name, split, index: v.index.value };
}

const showRow = (name: string) => lookup('show', name) as Builtin;

/**
 * A layer written by name (`conv2`) or by 1-based position (`2`, as freeze takes them): its name, or
 * undefined (a position needs a model whose layers are known; the checker reports unknown names).
 */
function layerRef(v: Term | undefined, model: string, env: SessionEnv, b: Binder): string | undefined {
  const word = wordOf(v);
  if (word !== undefined || v?.t !== 'num') return word;
  const layers = env.models[model]?.layers;
  if (layers === undefined)
    return b.error(v.range, `a layer by position needs a model whose layers are known; write the layer's name instead`, 'unknown-name');
  const i = v.value;
  if (!Number.isInteger(i) || i < 1 || i > layers.length) {
    return b.error(
      v.range,
      `${model} has no layer number ${i} (it has ${layers.length}: ${layers.map((l, k) => `${k + 1} ${l.name}`).join(', ')})`,
      'range',
    );
  }
  return layers[i - 1].name;
}

const attributes = ['filters', 'feature_maps', 'history', 'samples', 'train', 'test'];

export function lowerShow(terms: Term[], b: Binder, at: SourceRange, env: SessionEnv): ShowBody | undefined {
  const [first, ...rest] = terms;
  const word = wordOf(first);
  if (word === 'schedule') {
    const sched = rest[0];
    if (sched === undefined || sched.t === 'comma')
      return b.error(
        first.range,
        'show schedule needs a schedule, e.g. show schedule exponential(d: 10, r: 5) lr 0.1 steps 1000',
        'missing',
      );
    const fam = b.family('schedule', sched as Value);
    const row = showRow('schedule');
    const bound = b.line(row, rest.slice(1), first.range, 'show schedule');
    if (fam === undefined) return undefined;
    return {
      kind: 'show_schedule',
      schedule: scheduleSpec(fam as FamilyValue),
      lr: valueOr<number>(row, bound, 'lr'),
      steps: valueOr<number>(row, bound, 'steps'),
    };
  }
  if (word === 'augment') {
    const image = imageRef(rest[0], b, first.range);
    const after = rest.slice(1);
    const row = showRow('augment');
    const startsOwn = wordOf(after[0]) === 'count' || wordOf(after[0]) === 'seed';
    const aug = startsOwn ? { value: {}, consumed: 0 } : b.augments(after);
    const bound = b.line(row, after.slice(aug.consumed), first.range, 'show augment');
    if (image === undefined) return undefined;
    return {
      kind: 'show_augment',
      data: image.data,
      image,
      augment: augmentSpec(aug.value),
      seed: valueOr(row, bound, 'seed'),
      count: valueOr(row, bound, 'count'),
    };
  }
  if (first === undefined || first.t !== 'path') {
    return b.error(
      first?.range ?? at,
      'show what? Write show MODEL, show MODEL.filters conv1, show DATA.test[7], show DATA.samples 16, show schedule … or show augment …',
      'syntax',
    );
  }
  const [name, ...attrs] = first.parts;
  const attr = attrs.map((a) => a.name).join('.');
  if (first.index !== undefined) {
    const image = imageRef(first, b, first.range);
    return (
      image &&
      (rest.length ? b.error(rest[0].range, `unexpected ${describe(rest[0])} after the image`, 'syntax') : { kind: 'show_image', image })
    );
  }
  const extra = (from: number) => {
    if (rest.length > from)
      b.error(rest[from].range, `unexpected ${describe(rest[from])} in show ${name.name}${attr ? '.' + attr : ''}`, 'syntax');
  };
  switch (attr) {
    case '': {
      extra(0);
      // A dataset on its own shows a grid of samples; anything else is taken as a model (the checker resolves it).
      if (env.data[name.name] !== undefined && env.models[name.name] === undefined)
        return { kind: 'show_samples', data: name.name, split: 'train', count: 16 };
      return { kind: 'show_summary', model: name.name };
    }
    case 'history':
      extra(0);
      return { kind: 'show_history', model: name.name };
    case 'filters': {
      const layer = layerRef(rest[0], name.name, env, b);
      extra(1);
      if (layer === undefined)
        return rest[0]?.t === 'num'
          ? undefined
          : b.error(
              rest[0]?.range ?? first.range,
              `show ${name.name}.filters needs a conv layer name or position, e.g. show ${name.name}.filters conv1`,
              'missing',
            );
      return { kind: 'show_filters', model: name.name, layer };
    }
    case 'feature_maps': {
      const layer = layerRef(rest[0], name.name, env, b);
      if (layer === undefined) {
        if (rest[0]?.t === 'num') return undefined;
        return b.error(
          rest[0]?.range ?? first.range,
          `show ${name.name}.feature_maps needs a layer (name or position) and an image, e.g. show ${name.name}.feature_maps conv1 of digits.test[7]`,
          'missing',
        );
      }
      const ofAt = wordOf(rest[1]) === 'of' ? 2 : 1;
      const image = imageRef(rest[ofAt], b, rest[0].range);
      extra(ofAt + 1);
      return image && { kind: 'show_feature_maps', model: name.name, layer, image };
    }
    case 'samples':
    case 'train.samples':
    case 'test.samples': {
      const row = showRow('samples');
      const bound = b.line(row, rest, first.range, 'show samples');
      return {
        kind: 'show_samples',
        data: name.name,
        split: attr.startsWith('test') ? 'test' : 'train',
        count: valueOr(row, bound, 'count'),
      };
    }
    default:
      return b.error(
        attrs[0].range,
        `unknown thing to show '${attr}'${didYouMean(attr, attributes)}; try filters, feature_maps, history, samples or an image like ${name.name}.test[7]`,
        'unknown-name',
      );
  }
}
