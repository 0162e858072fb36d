// Lowering: one AST statement → one plain-data Statement of dsl/program.ts, defaults filled from the
// built-ins table. Binding problems are reported through the Binder; names that must exist in the
// session (models, datasets, layers) are left to the checker, which sees the lowered result.
import type { Ident, Stmt } from './ast.js';
import { describe, type Binder, type BoundValue } from './bind.js';
import { lookup, namesOf, type Builtin } from './builtins.js';
import { optional, valueOr } from './defaults.js';
import { lowerModel, type LoweredModel } from './lower-model.js';
import { imageRef, lowerShow, type StatementBody } from './lower-show.js';
import { lowerTrain, type SettingRanges } from './lower-train.js';
import { lowerExplain } from './lower-explain.js';
import { filterOf, numbersOf } from './lower-filter.js';
import type { SessionEnv } from './program.js';
import { closest, didYouMean } from './suggest.js';
import type { DataSpec, Pair } from '../runtime/spec.js';

export interface Lowered {
  statement: StatementBody;
  /** Models: where each layer was written. */
  model?: LoweredModel;
  /** Train: where each setting was written. */
  settings?: SettingRanges;
}

const stmtRow = (name: string) => lookup('statement', name) as Builtin;

function lowerData(s: Extract<Stmt, { kind: 'data' }>, b: Binder): DataSpec | undefined {
  const src = s.source;
  // A bare source name (`data d = mnist`) takes every default, like `optimizer adam`.
  const bare = src.t === 'path' && src.parts.length === 1 && src.index === undefined && lookup('data', src.parts[0].name) !== undefined;
  if (src.t === 'path' && src.parts.length === 1 && src.index === undefined && !bare) {
    const row = lookup('subset', 'where') as Builtin;
    const bound = s.where ? b.line(row, s.where.terms, s.where.keyword.range, 'where') : {};
    return {
      kind: 'subset',
      from: src.parts[0].name,
      ...optional<number[]>(row, bound, 'classes'),
      ...optional<number>(row, bound, 'train'),
      ...optional<number>(row, bound, 'test'),
    };
  }
  const call = bare && src.t === 'path' ? { t: 'call' as const, name: src.parts[0], args: [], range: src.range } : src;
  if (call.t !== 'call')
    return b.error(
      src.range,
      `expected a data source like mnist(train: 8000, test: 2000) or a dataset name, found ${describe(src)}`,
      'type',
    );
  const sources = namesOf('data');
  const row = lookup('data', call.name.name);
  if (row === undefined)
    return b.error(
      call.name.range,
      `unknown data source '${call.name.name}'${didYouMean(call.name.name, sources)}; sources are ${sources.join(', ')}`,
      'unknown-name',
    );
  if (s.where)
    b.error(
      s.where.keyword.range,
      `'where' subsets a dataset by name: define data ${s.name.name}_all = ${call.name.name}(…) first, then data ${s.name.name} = ${s.name.name}_all where …`,
      'syntax',
    );
  const bound = b.call(row, call.args, call.range);
  const v = <T>(n: string) => valueOr<T>(row, bound, n);
  const o = <T>(n: string, key = n) => optional<T>(row, bound, n, key);
  switch (row.name) {
    case 'mnist':
      return { kind: 'mnist', train: v('train'), test: v('test'), seed: v('seed') };
    case 'fashion_mnist':
      return { kind: 'fashion_mnist', train: v('train'), test: v('test'), seed: v('seed'), ...o<string>('dir') };
    case 'idx':
      return {
        kind: 'idx',
        images: v('images'),
        labels: v('labels'),
        ...o<string>('test_images', 'testImages'),
        ...o<string>('test_labels', 'testLabels'),
        ...o<number>('test'),
        seed: v('seed'),
        ...classNames(bound.names, b),
      };
    case 'csv':
      return {
        kind: 'csv',
        path: v('path'),
        ...o<string>('test_path', 'testPath'),
        header: v<boolean | undefined>('header') ?? 'auto',
        ...o<number>('width'),
        ...o<number>('height'),
        ...o<number>('test'),
        seed: v('seed'),
      };
    case 'folder':
      return { kind: 'folder', path: v('path'), ...o<number>('test'), seed: v('seed') };
    default:
      return { kind: 'npy', images: v('images'), labels: v('labels'), ...o<number>('test'), seed: v('seed') };
  }
}

/** `names: "a, b, c"` → classNames ["a", "b", "c"], trimmed; an empty name is an error at the string. */
function classNames(v: BoundValue | undefined, b: Binder): { classNames?: string[] } {
  if (typeof v?.value !== 'string') return {};
  const names = v.value.split(',').map((n) => n.trim());
  if (names.some((n) => n === ''))
    b.error(v.range, 'names has an empty entry: write the class names separated by single commas, e.g. "cat, dog"', 'type');
  return { classNames: names };
}

/** `loaded`: models loaded by earlier statements of this cell (they exist, their specs come later). */
/** A bare word on its own line that names nothing: the cell's value would be a model or dataset. */
function undefinedName(name: Ident, b: Binder, env: SessionEnv, loaded: ReadonlySet<string>): undefined {
  const models = [...Object.keys(env.models), ...loaded];
  const data = Object.keys(env.data);
  const known = [...models, ...data];
  const meant = closest(name.name, known);
  const hint = meant !== undefined ? ` (did you mean '${meant}'?)` : '';
  const names =
    known.length === 0
      ? '; nothing is defined yet: define it first, e.g. ' + `model ${name.name} { dense 10 softmax } or data ${name.name} = mnist()`
      : `; ${[models.length ? `models: ${models.join(', ')}` : '', data.length ? `datasets: ${data.join(', ')}` : ''].filter(Boolean).join('; ')}`;
  return b.error(name.range, `no model or dataset is named '${name.name}'${hint}${meant !== undefined ? '' : names}`, 'unknown-name');
}

export function lowerStatement(s: Stmt, b: Binder, env: SessionEnv, loaded: ReadonlySet<string> = new Set()): Lowered | undefined {
  const at = s.keyword.range;
  switch (s.kind) {
    case 'data': {
      const spec = lowerData(s, b);
      return spec && { statement: { kind: 'data', name: s.name.name, spec } };
    }
    case 'model': {
      const model = lowerModel(s, b, env.models);
      return model && { statement: { kind: 'model', name: s.name.name, spec: model.spec }, model };
    }
    case 'train': {
      const { spec, settings } = lowerTrain(s.model.name, s.data.name, s.lines, b);
      return { statement: { kind: 'train', spec }, settings };
    }
    case 'evaluate': {
      const t = s.target;
      if (t.t !== 'path' || t.index !== undefined || t.parts.length > 2)
        return b.error(t.range, `evaluate takes a dataset or a split like digits.test, found ${describe(t)}`, 'type');
      const split = t.parts[1]?.name ?? 'test';
      if (split !== 'test' && split !== 'train')
        return b.error(
          t.parts[1].range,
          `a dataset has splits train and test, not '${split}'${didYouMean(split, ['train', 'test'])}`,
          'unknown-name',
        );
      return { statement: { kind: 'evaluate', model: s.model.name, data: t.parts[0].name, split } };
    }
    case 'show': {
      const body = lowerShow(s.terms, b, at, env);
      return body && { statement: body };
    }
    case 'compare': {
      const metrics = namesOf('metric');
      if (!metrics.includes(s.metric.name))
        return b.error(
          s.metric.range,
          `unknown metric '${s.metric.name}'${didYouMean(s.metric.name, metrics)}; metrics are ${metrics.join(', ')}`,
          'unknown-name',
        );
      return { statement: { kind: 'compare', models: s.models.map((m) => m.name), metric: s.metric.name as 'loss' } };
    }
    case 'convolve': {
      const row = stmtRow('convolve');
      if (s.input.t === 'list') {
        const series = numbersOf(s.input, b, 'the series');
        const kernel = numbersOf(s.filter, b, 'a 1-D kernel');
        if (s.terms.length) b.error(s.terms[0].range, 'a 1-D convolution takes no options', 'syntax');
        if (series && kernel && kernel.length > series.length)
          return b.error(
            s.filter.range,
            `the kernel (${kernel.length} values) is longer than the series (${series.length} values)`,
            'shape',
          );
        return series && kernel && { statement: { kind: 'convolve1d', series, kernel } };
      }
      const image = imageRef(s.input, b, at);
      const filter = filterOf(s.filter, b);
      const bound = b.line(row, s.terms, at, 'convolve');
      return (
        image &&
        filter && {
          statement: {
            kind: 'convolve',
            image,
            filter,
            stride: valueOr<Pair>(row, bound, 'stride'),
            padding: valueOr(row, bound, 'padding'),
          },
        }
      );
    }
    case 'pool': {
      const row = stmtRow(s.op === 'max' ? 'maxpool' : 'avgpool');
      const image = imageRef(s.input, b, at);
      const bound = b.line(row, s.terms, at);
      const size = valueOr<Pair>(row, bound, 'size');
      return (
        image && {
          statement: { kind: 'pool', image, op: s.op, size, stride: valueOr<Pair | undefined>(row, bound, 'stride') ?? [...size] },
        }
      );
    }
    case 'predict': {
      const image = imageRef(s.input, b, at);
      return image && { statement: { kind: 'predict', model: s.model.name, image } };
    }
    case 'save':
      return { statement: { kind: 'save', model: s.model.name, path: s.path.value } };
    case 'load':
      return { statement: { kind: 'load', name: s.name.name, path: s.path.value } };
    case 'export': {
      const format = exportFormat(s.path.value);
      return format && { statement: { kind: 'export', model: s.model.name, path: s.path.value, format } };
    }
    case 'import':
      return { statement: { kind: 'import', name: s.name.name, path: s.path.value } };
    case 'explain': {
      const spec = lowerExplain(s.terms, b, at, env);
      return spec && { statement: { kind: 'explain', spec } };
    }
    case 'print': {
      const v = s.value;
      const text = v.t === 'str' ? v.value : v.t === 'num' ? String(v.value) : describe(v).replace(/^'|'$/g, '');
      return { statement: { kind: 'print', text } };
    }
    case 'unknown': {
      const heads = namesOf('statement');
      const word = s.head.name;
      if (s.terms.length === 0) {
        if (word === 'clear') return { statement: { kind: 'clear', wait: false } };
        // A bare name is the cell's value, as at a REPL: a dataset's description or a model's summary.
        if (env.models[word] !== undefined || env.data[word] !== undefined || loaded.has(word))
          return { statement: { kind: 'value', name: word } };
      }
      const inBlock = lookup('layer', word) || lookup('setting', word);
      const extra = inBlock ? ` ('${word}' belongs inside a model or train block)` : '';
      const statement = closest(word, heads);
      if (s.terms.length === 0 && !inBlock && statement === undefined) return undefinedName(s.head, b, env, loaded);
      return b.error(
        s.head.range,
        `unknown statement '${word}'${didYouMean(word, heads)}${extra}; statements start with ${heads.join(', ')}`,
        'unknown-name',
      );
    }
  }
}

/** What an export path's extension asks for; undefined (the checker says why) for any other. */
export function exportFormat(path: string): 'onnx' | 'pytorch' | undefined {
  const p = path.toLowerCase();
  return p.endsWith('.onnx') ? 'onnx' : p.endsWith('.py') ? 'pytorch' : undefined;
}
