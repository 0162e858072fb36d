// Inspect (shift-tab help): the documentation of the word under the cursor, read from the built-ins
// table (parameters, defaults, ranges, formula, example), or for a session model its layer list.
import { builtins, defaultText, lookup, rangeText, type Builtin, type ParamDef } from './builtins.js';
import { callRow } from './complete.js';
import { cursorContext } from './cursor-context.js';
import type { SessionEnv } from './program.js';
import { inferShapes } from '../runtime/shapes.js';
import type { ModelSpec } from '../runtime/spec.js';

export interface Inspection {
  found: boolean;
  markdown: string;
  plain: string;
}

function paramRows(params: ParamDef[]): string[] {
  if (params.length === 0) return [];
  return [
    '| parameter | type | default | range | meaning |',
    '|---|---|---|---|---|',
    ...params.map((p) => `| ${p.name} | ${p.type} | ${defaultText(p)} | ${rangeText(p) || '—'} | ${p.doc} |`),
  ];
}

/** One row of the table as markdown: what inspect shows and what docs/language.md lists. */
export function rowMarkdown(row: Builtin): string {
  const parts = [`**${row.name}** (${row.category}) — ${row.doc}`];
  if (row.syntax) parts.push(`\`${row.syntax}\``);
  const params = paramRows(row.params);
  if (params.length) parts.push(params.join('\n'));
  if (row.formula) parts.push(`Formula: \`${row.formula}\``);
  parts.push('```\n' + row.example + '\n```');
  return parts.join('\n\n');
}

function rowPlain(row: Builtin): string {
  const lines = [`${row.name} (${row.category}): ${row.doc}`];
  if (row.syntax) lines.push(`  ${row.syntax}`);
  for (const p of row.params)
    lines.push(`  ${p.name}: ${p.type}, default ${defaultText(p)}${rangeText(p) ? `, ${rangeText(p)}` : ''} — ${p.doc}`);
  if (row.formula) lines.push(`  formula: ${row.formula}`);
  lines.push(`  example: ${row.example.replace(/\n/g, '\n           ')}`);
  return lines.join('\n');
}

function paramDoc(row: Builtin, p: ParamDef): Inspection {
  const text = `${p.name} of ${row.name}: ${p.type}, default ${defaultText(p)}${rangeText(p) ? `, ${rangeText(p)}` : ''} — ${p.doc}`;
  return {
    found: true,
    markdown: `**${p.name}** (parameter of ${row.name}) — ${p.doc}\n\ntype ${p.type}, default ${defaultText(p)}${rangeText(p) ? `, ${rangeText(p)}` : ''}`,
    plain: text,
  };
}

function modelDoc(spec: ModelSpec): Inspection {
  const shapes = inferShapes(spec);
  const i = spec.input;
  const rows = spec.layers.map((l, k) => {
    const info = shapes.ok ? shapes.layers[k] : undefined;
    const out = info ? `${info.out.h}x${info.out.w}x${info.out.c}` : '?';
    return { name: l.name, kind: l.kind, out, params: info?.params ?? 0, frozen: spec.frozen.includes(l.name) };
  });
  const total = rows.reduce((n, r) => n + r.params, 0);
  const markdown = [
    `**${spec.name}** (model) — input ${i.h}x${i.w}x${i.c}, ${spec.layers.length} layers, ${total.toLocaleString('en')} parameters, loss ${spec.loss}${spec.initFrom ? `, from ${spec.initFrom.model}` : ''}`,
    '| layer | kind | output | params |\n|---|---|---|---|\n' +
      rows.map((r) => `| ${r.name}${r.frozen ? ' (frozen)' : ''} | ${r.kind} | ${r.out} | ${r.params} |`).join('\n'),
  ].join('\n\n');
  const plain = [
    `${spec.name}: input ${i.h}x${i.w}x${i.c}, ${total} parameters`,
    ...rows.map((r) => `  ${r.name.padEnd(10)} ${r.kind.padEnd(10)} ${r.out.padEnd(10)} ${r.params}${r.frozen ? ' frozen' : ''}`),
  ].join('\n');
  return { found: true, markdown, plain };
}

/** One layer of a model: its spec in words, output shape and parameter count. */
function layerDoc(spec: ModelSpec, name: string): Inspection | undefined {
  const i = spec.layers.findIndex((l) => l.name === name);
  if (i < 0) return undefined;
  const l = spec.layers[i];
  const shapes = inferShapes(spec);
  const info = shapes.ok ? shapes.layers[i] : undefined;
  const what =
    l.kind === 'conv2d'
      ? `${l.filters} filters ${l.kernel.join('x')}, stride ${l.stride.join('x')}, padding ${l.padding.top}/${l.padding.bottom}/${l.padding.left}/${l.padding.right} (${l.padding.mode}), ${l.activation}`
      : l.kind === 'maxpool' || l.kind === 'avgpool'
        ? `window ${l.size.join('x')}, stride ${l.stride.join('x')}`
        : l.kind === 'dense'
          ? `${l.units} units, ${l.activation}`
          : l.kind === 'dropout'
            ? `rate ${l.rate}`
            : l.kind === 'activation'
              ? l.fn
              : '';
  const out = info
    ? `output ${info.out.h}x${info.out.w}x${info.out.c}, ${info.params} parameters, receptive field ${info.receptive.join('x')}`
    : '';
  const frozen = spec.frozen.includes(name) ? ' (frozen)' : '';
  const text = [`${name}: layer ${i + 1} of ${spec.name}${frozen}, ${l.kind}${what ? ` — ${what}` : ''}`, out].filter(Boolean).join('; ');
  return {
    found: true,
    markdown: `**${name}** (layer ${i + 1} of ${spec.name}${frozen}) — ${l.kind}${what ? `: ${what}` : ''}${out ? `\n\n${out}` : ''}`,
    plain: text,
  };
}

export function inspect(source: string, cursor: number, env: SessionEnv): Inspection {
  const ctx = cursorContext(source, cursor, env);
  const word = ctx.word;
  const none = { found: false, markdown: '', plain: '' };
  if (word === '' || ctx.inert) return none;
  const model = ctx.env.models[word];
  if (model !== undefined && model.layers.length > 0) return modelDoc(model);
  const data = ctx.env.data[word];
  if (data !== undefined) {
    const s = data.shape ? `${data.shape.h}x${data.shape.w}x${data.shape.c}` : 'shape known after loading';
    const desc = `${s}${data.classes ? `, ${data.classes} classes` : ''}${data.train !== undefined ? `, ${data.train} train / ${data.test ?? '?'} test` : ''}`;
    return { found: true, markdown: `**${word}** (dataset) — ${desc}`, plain: `${word} (dataset): ${desc}` };
  }
  // A layer name: of the model this statement mentions, else of any session model.
  const mentioned = ctx.stmt.map((t) => ctx.env.models[t.image]).find((m) => m !== undefined);
  const layer =
    (mentioned && layerDoc(mentioned, word)) ??
    Object.values(ctx.env.models)
      .map((m) => layerDoc(m, word))
      .find((d) => d !== undefined);
  if (layer !== undefined && lookup('layer', word) === undefined) return layer;
  // A parameter of the enclosing call or layer line takes precedence over a built-in of the same name.
  const owner = ctx.call
    ? ctx.call.name === ctx.stmt[1]?.image
      ? lookup('statement', 'model')
      : callRow(ctx.call.name)
    : ctx.block?.line[0]
      ? (lookup('layer', ctx.block.line[0].image) ?? lookup('setting', ctx.block.line[0].image))
      : undefined;
  const p = owner?.params.find((q) => q.name === word && q.form !== 'positional');
  if (owner && p) return paramDoc(owner, p);
  const rows = builtins.filter((b) => b.name === word);
  if (rows.length > 0) return { found: true, markdown: rows.map(rowMarkdown).join('\n\n---\n\n'), plain: rows.map(rowPlain).join('\n\n') };
  const anyParam = builtins.flatMap((b) => b.params.filter((q) => q.name === word && q.form !== 'positional').map((q) => ({ b, q })));
  if (anyParam.length > 0) return paramDoc(anyParam[0].b, anyParam[0].q);
  return none;
}
