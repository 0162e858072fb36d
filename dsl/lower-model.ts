// Lowering of model definitions: layer lines → LayerSpecs through each built-ins row's kind and its
// lowering (dsl/lower-layers.ts), generated names (conv1, pool1, dense1 … per kind); `model B from A …`
// → a copy of A with initFrom and frozen. Keeps each layer's bound options so the checker can point at the exact token.
import type { Line, Stmt, Value } from './ast.js';
import { wordOf } from './ast.js';
import type { Binder, Bound, PaddingValue } from './bind.js';
import { lookup, namesOf, type Builtin } from './builtins.js';
import { valueOr } from './defaults.js';
import type { SourceRange } from './program.js';
import { didYouMean } from './suggest.js';
import { layerLowerings, padSpec } from './lower-layers.js';
import { layerOut } from '../runtime/shapes.js';
import type { Activation, LayerSpec, ModelSpec, Shape3 } from '../runtime/spec.js';

/** Where each layer came from, for diagnostics: its line and its bound options. */
export interface LayerOrigin {
  range: SourceRange;
  head: SourceRange;
  bound: Bound;
}

export interface LoweredModel {
  spec: ModelSpec;
  /** Parallel to spec.layers; undefined for layers copied from another model. */
  origins: (LayerOrigin | undefined)[];
}

type ModelAst = Extract<Stmt, { kind: 'model' }>;

/** Output shape after one layer, or undefined when it would be empty (the checker reports that). */
function after(shape: Shape3 | undefined, layer: LayerSpec): Shape3 | undefined {
  return shape === undefined ? undefined : layerOut(layer, shape);
}

/** One layer line → a LayerSpec (name filled later), or undefined after reporting. */
function layerOf(line: Line, b: Binder, shape: Shape3 | undefined): { layer: LayerSpec; bound: Bound; row: Builtin } | undefined {
  const head = line.head.name;
  const activation = lookup('activation', head);
  if (activation !== undefined) {
    const bound = b.line(activation, line.terms, line.head.range, `the ${head} layer`);
    const fn = head as Activation;
    const slope = fn === 'leaky_relu' ? { slope: valueOr<number>(activation, bound, 'slope') } : {};
    return { layer: { kind: 'activation', name: '', fn, ...slope }, bound, row: activation };
  }
  const row = lookup('layer', head);
  if (row === undefined) {
    const kinds = [...namesOf('layer'), ...namesOf('activation')];
    b.error(
      line.head.range,
      `unknown layer '${head}'${didYouMean(head, kinds)}; layers are ${namesOf('layer').join(', ')}`,
      'unknown-name',
    );
    return undefined;
  }
  const bound = b.line(row, line.terms, line.head.range);
  if (row.kind === undefined) return undefined;
  const layer = layerLowerings[row.kind]((name) => valueOr(row, bound, name), shape);
  return { layer, bound, row };
}

/** Generated name: the row's prefix and a counter per prefix, skipping names already taken. */
function nameLayers(layers: LayerSpec[], explicit: (string | undefined)[], prefixes: string[], taken = new Set<string>()): void {
  const counters: Record<string, number> = {};
  const used = new Set([...taken, ...explicit.filter((n): n is string => n !== undefined)]);
  layers.forEach((l, i) => {
    const given = explicit[i];
    if (given !== undefined) {
      l.name = given;
      return;
    }
    const prefix = prefixes[i];
    let name: string;
    do name = `${prefix}${(counters[prefix] = (counters[prefix] ?? 0) + 1)}`;
    while (used.has(name));
    used.add(name);
    l.name = name;
  });
}

function prefixOf(row: Builtin): string {
  return row.prefix ?? 'act';
}

/** Lines → layers, threading the shape so 'same' padding becomes pixels. */
function lowerLines(lines: Line[], b: Binder, input: Shape3, startShape: Shape3 | undefined = input) {
  const layers: LayerSpec[] = [];
  const origins: LayerOrigin[] = [];
  const explicit: (string | undefined)[] = [];
  const prefixes: string[] = [];
  let shape: Shape3 | undefined = startShape;
  for (const line of lines) {
    const r = layerOf(line, b, shape);
    if (r === undefined) continue;
    layers.push(r.layer);
    origins.push({ range: line.range, head: line.head.range, bound: r.bound });
    explicit.push(r.bound.as?.value as string | undefined);
    prefixes.push(prefixOf(r.row));
    shape = after(shape, r.layer);
  }
  return { layers, origins, explicit, prefixes };
}

export function lowerModel(s: ModelAst, b: Binder, models: Record<string, ModelSpec>): LoweredModel | undefined {
  const row = lookup('statement', 'model') as Builtin;
  const bound = b.call(row, s.args, s.keyword.range);
  const loss = valueOr<ModelSpec['loss']>(row, bound, 'loss');
  if (s.from !== undefined) return lowerTransfer(s, b, models, bound, loss);
  const [h, w, c] = valueOr<number[]>(row, bound, 'input');
  const input = { c, h, w };
  if (s.block === undefined) {
    b.error(
      s.name.range,
      `model ${s.name.name} needs its layers in { }, one per line, e.g. model ${s.name.name}(input: 28x28x1) { dense 10 softmax }`,
      'syntax',
    );
    return undefined;
  }
  if (s.lines.length === 0) {
    b.error(s.block, `model ${s.name.name} has no layers`, 'empty');
    return undefined;
  }
  for (const line of s.lines) {
    if (line.head.name === 'replace' || line.head.name === 'append' || line.head.name === 'drop')
      b.error(line.head.range, `${line.head.name} only makes sense in a model defined 'from' another model`, 'syntax');
  }
  const { layers, origins, explicit, prefixes } = lowerLines(
    s.lines.filter((l) => !['replace', 'append', 'drop'].includes(l.head.name)),
    b,
    input,
  );
  nameLayers(layers, explicit, prefixes);
  return { spec: { name: s.name.name, input, layers, loss, frozen: [] }, origins };
}

/** Layer names a freeze value selects: a name, names a..b, indices 1..3 (1-based), or a list. */
function frozenNames(v: Value, layers: LayerSpec[], b: Binder, source: string, what: 'freeze' | 'drop' = 'freeze'): string[] {
  const names = layers.map((l) => l.name);
  const indexOf = (x: number | string, range: SourceRange): number | undefined => {
    const i = typeof x === 'number' ? x - 1 : names.indexOf(x);
    if (i < 0 || i >= names.length || !Number.isInteger(i)) {
      const hint = typeof x === 'string' ? didYouMean(x, names) : '';
      return b.error(
        range,
        `${source} has no layer ${typeof x === 'number' ? `number ${x} (it has ${names.length})` : `'${x}'`}${hint}; its layers are ${names.join(', ')}`,
        'unknown-name',
      );
    }
    return i;
  };
  if (v.t === 'range') {
    const a = indexOf(v.from, v.range);
    const z = indexOf(v.to, v.range);
    if (a === undefined || z === undefined) return [];
    if (z < a) {
      b.error(v.range, `the range ${v.from}..${v.to} runs backwards`, 'range');
      return [];
    }
    return names.slice(a, z + 1);
  }
  const items: Value[] = v.t === 'list' ? v.items : [v];
  const out: string[] = [];
  for (const it of items) {
    const word = wordOf(it);
    const key = word ?? (it.t === 'num' ? it.value : undefined);
    if (key === undefined) {
      b.error(it.range, `${what} takes layer names (conv1), a range (conv1..conv2 or 1..3) or a list [conv1, dense1]`, 'type');
      continue;
    }
    const i = indexOf(key, it.range);
    if (i !== undefined) out.push(names[i]);
  }
  return out;
}

/** `replace dense 10 softmax` → the line `dense 10 softmax`, or undefined after reporting. */
function editedLine(line: Line, b: Binder): Line | undefined {
  const [first, ...rest] = line.terms;
  if (first === undefined || first.t !== 'path' || wordOf(first) === undefined) {
    b.error(line.head.range, `${line.head.name} needs a layer after it, e.g. ${line.head.name} dense 10 softmax`, 'missing');
    return undefined;
  }
  return { head: first.parts[0], terms: rest, range: line.range };
}

function lowerTransfer(
  s: ModelAst,
  b: Binder,
  models: Record<string, ModelSpec>,
  bound: Bound,
  loss: ModelSpec['loss'],
): LoweredModel | undefined {
  const from = s.from as NonNullable<ModelAst['from']>;
  const source = models[from.name];
  // The checker reports an unknown source model; without its spec there is nothing to copy.
  if (source === undefined) return undefined;
  if (bound.input !== undefined)
    b.error(
      bound.input.range,
      `a model made from ${from.name} takes its input size (${source.input.h}x${source.input.w}x${source.input.c}) from it`,
      'type',
    );
  const layers: LayerSpec[] = source.layers.map((l) => ({ ...l }));
  const origins: (LayerOrigin | undefined)[] = layers.map(() => undefined);
  const frozen = s.freeze ? frozenNames(s.freeze, layers, b, from.name) : [];
  const copied = new Set(layers.map((l) => l.name));
  const dropped: string[] = [];
  const lowerOne = (line: Line): { layer: LayerSpec; explicit?: string; prefix: string; origin: LayerOrigin | undefined } | undefined => {
    const r = lowerLines([line], b, source.input, undefined);
    return r.layers.length === 0 ? undefined : { layer: r.layers[0], explicit: r.explicit[0], prefix: r.prefixes[0], origin: r.origins[0] };
  };
  for (let i = 0; i < s.lines.length;) {
    const line = s.lines[i];
    if (line.head.name === 'drop') {
      const what = line.terms[0];
      if (what === undefined || what.t === 'comma' || line.terms.length > 1) {
        b.error(
          line.terms[1]?.range ?? line.head.range,
          `drop takes the layers to remove: a name (dense2), a range (dense2..dense3 or 4..5) or a list [dense2, dense3]`,
          'syntax',
        );
      } else {
        for (const name of frozenNames(what, layers, b, from.name, 'drop')) {
          const k = layers.findIndex((l) => l.name === name);
          layers.splice(k, 1);
          origins.splice(k, 1);
          copied.delete(name);
          dropped.push(name);
        }
      }
      i++;
      continue;
    }
    if (line.head.name === 'replace') {
      // A run of replace lines swaps as many layers at the end, in order: three lines, a new three-layer head.
      let j = i;
      while (j < s.lines.length && s.lines[j].head.name === 'replace') j++;
      const run = s.lines.slice(i, j);
      i = j;
      if (run.length > layers.length) {
        b.error(
          run[layers.length].head.range,
          `${run.length} replace lines but ${from.name} has ${layers.length} layers${dropped.length ? ' left after drop' : ''}; each replace line swaps one layer from the end`,
          'range',
        );
        continue;
      }
      const olds = layers.splice(layers.length - run.length);
      origins.splice(origins.length - run.length);
      run.forEach((ln, k) => {
        copied.delete(olds[k].name);
        const inner = editedLine(ln, b);
        const one = inner && lowerOne(inner);
        if (one === undefined) return;
        // The new layer keeps the old name unless renamed, so `show m.filters dense2` still reads naturally.
        one.layer.name = one.explicit ?? olds[k].name;
        layers.push(one.layer);
        origins.push(one.origin);
      });
      continue;
    }
    i++;
    const inner = line.head.name === 'append' ? editedLine(line, b) : line;
    const one = inner && lowerOne(inner);
    if (one === undefined) continue;
    // Counters continue from the names already there (dense3 after dense1, dense2).
    nameLayers([one.layer], [one.explicit], [one.prefix], new Set(layers.map((l) => l.name)));
    layers.push(one.layer);
    origins.push(one.origin);
  }
  // 'same' padding of new conv layers depends on where they sit: resolve it now the layer list is final.
  let shape: Shape3 | undefined = source.input;
  layers.forEach((l, i) => {
    const o = origins[i];
    if (l.kind === 'conv2d' && o !== undefined) {
      const p = o.bound.padding?.value as PaddingValue | undefined;
      if (p?.kind === 'same') l.padding = padSpec(p, shape, l.kernel, l.stride);
    }
    shape = after(shape, l);
  });
  const kept = layers.filter((l) => copied.has(l.name)).map((l) => l.name);
  const droppedFrozen = frozen.filter((n) => dropped.includes(n));
  const replaced = frozen.filter((n) => !copied.has(n) && !dropped.includes(n));
  if (droppedFrozen.length > 0 && s.freeze !== undefined) {
    b.error(
      s.freeze.range,
      `freeze includes ${droppedFrozen.join(', ')}, which this model drops; freeze only the layers you keep`,
      'conflict',
    );
  }
  if (replaced.length > 0 && s.freeze !== undefined) {
    b.error(
      s.freeze.range,
      `freeze includes ${replaced.join(', ')}, which this model replaces: its new weights would never train; freeze only the layers you keep`,
      'conflict',
    );
  }
  return {
    spec: {
      name: s.name.name,
      input: { ...source.input },
      layers,
      loss: s.args.length ? loss : source.loss,
      frozen,
      initFrom: { model: from.name, layers: kept },
    },
    origins,
  };
}
