// CST → AST: builds structure only (no defaults, no name resolution, no diagnostics).
// Called only on cells that parsed without errors, so every mandatory child is present.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Arg, Ident, Line, Stmt, Term, Value } from './ast.js';
import { span } from './ast.js';
import { tokenRange } from './lexer.js';
import type { SourceRange } from './program.js';

const isToken = (e: CstElement): e is IToken => (e as IToken).image !== undefined;
const none: never[] = [];
// Chevrotain keys children by token type name (tokens only) or rule name (nodes only), so no filtering.
const toks = (n: CstNode, key: string): IToken[] => (n.children[key] as IToken[] | undefined) ?? none;
const nodes = (n: CstNode, key: string): CstNode[] => (n.children[key] as CstNode[] | undefined) ?? none;
/** The range from the first to the last of some tokens (which need not be in order). */
function tokensRange(ts: IToken[]): SourceRange {
  let first = ts[0];
  let last = ts[0];
  for (const t of ts) {
    if (t.startOffset < first.startOffset) first = t;
    if (t.startOffset > last.startOffset) last = t;
  }
  return span(tokenRange(first), tokenRange(last));
}
const tok = (n: CstNode, key: string, i = 0): IToken => toks(n, key)[i];
const node = (n: CstNode, key: string, i = 0): CstNode => nodes(n, key)[i];
const ident = (t: IToken): Ident => ({ name: t.image, range: tokenRange(t) });

/** First and last token under a CST node (Chevrotain's location tracking would double the parse time). */
function bounds(n: CstNode, acc: { first?: IToken; last?: IToken }): void {
  for (const key in n.children) {
    for (const e of n.children[key]) {
      if (!isToken(e)) bounds(e, acc);
      else if (!Number.isNaN(e.startOffset)) {
        if (acc.first === undefined || e.startOffset < acc.first.startOffset) acc.first = e;
        if (acc.last === undefined || e.startOffset > acc.last.startOffset) acc.last = e;
      }
    }
  }
}

function nodeRange(n: CstNode): SourceRange {
  const acc: { first?: IToken; last?: IToken } = {};
  bounds(n, acc);
  if (acc.first === undefined || acc.last === undefined)
    return { startOffset: 0, endOffset: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return span(tokenRange(acc.first), tokenRange(acc.last));
}

function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function numberValue(n: CstNode): Value {
  const nums = toks(n, 'NumberLit');
  const range = tokensRange(nums);
  if (toks(n, 'Slash').length > 0) {
    const value = Number(nums[0].image) / Number(nums[1].image);
    return { t: 'num', value, text: `${nums[0].image}/${nums[1].image}`, range };
  }
  if (toks(n, 'DotDot').length > 0) return { t: 'range', from: Number(nums[0].image), to: Number(nums[1].image), range };
  return { t: 'num', value: Number(nums[0].image), text: nums[0].image, range };
}

function pathValue(n: CstNode): Value {
  const words = toks(n, 'Word');
  const range = tokensRange([...words, ...toks(n, 'RBracket'), ...toks(n, 'RParen')]);
  if (toks(n, 'DotDot').length > 0) {
    const end = words[words.length - 1];
    return {
      t: 'range',
      from: words
        .slice(0, -1)
        .map((w) => w.image)
        .join('.'),
      to: end.image,
      range,
    };
  }
  const parts = words.map(ident);
  if (toks(n, 'LParen').length > 0) {
    const name =
      parts.length === 1
        ? parts[0]
        : { name: parts.map((p) => p.name).join('.'), range: span(parts[0].range, parts[parts.length - 1].range) };
    return { t: 'call', name, args: argsOf(node(n, 'args')), range };
  }
  const idx = toks(n, 'NumberLit')[0];
  const index = idx === undefined ? undefined : { value: Number(idx.image), range: tokenRange(idx) };
  return { t: 'path', parts, ...(index ? { index } : {}), range };
}

function valueOf(n: CstNode): Value {
  const c = n.children;
  if (c.number) return numberValue(node(n, 'number'));
  if (c.path) return pathValue(node(n, 'path'));
  if (c.list) {
    const l = node(n, 'list');
    return { t: 'list', items: nodes(l, 'value').map(valueOf), range: tokensRange([...toks(l, 'LBracket'), ...toks(l, 'RBracket')]) };
  }
  if (c.Dims) {
    const t = tok(n, 'Dims');
    return { t: 'dims', values: t.image.split('x').map(Number), text: t.image, range: tokenRange(t) };
  }
  const s = tok(n, 'StringLit');
  return { t: 'str', value: unquote(s.image), range: tokenRange(s) };
}

function argsOf(n: CstNode | undefined): Arg[] {
  if (n === undefined) return [];
  return nodes(n, 'arg').map((a) => {
    const w = tok(a, 'Word');
    const value = valueOf(node(a, 'value'));
    return { ...(w ? { name: ident(w) } : {}), value, range: w ? span(tokenRange(w), value.range) : value.range };
  });
}

function termsOf(n: CstNode): Term[] {
  return nodes(n, 'lineTerm').map((lt) => {
    const comma = tok(lt, 'Comma');
    return comma ? { t: 'comma', range: tokenRange(comma) } : valueOf(node(lt, 'value'));
  });
}

function linesOf(block: CstNode | undefined): Line[] {
  if (block === undefined) return [];
  return nodes(block, 'line').map((l) => {
    const head = ident(tok(l, 'Word'));
    const terms = termsOf(l);
    return { head, terms, range: terms.length ? span(head.range, terms[terms.length - 1].range) : head.range };
  });
}

/** One `statement` CST node → its AST. */
export function statementOf(s: CstNode): Stmt {
  const [kind] = Object.keys(s.children).filter((k) => k !== 'Newline');
  const n = node(s, kind);
  const range = nodeRange(n);
  const keywordTok = (Object.values(n.children).flat().filter(isToken) as IToken[]).sort((a, b) => a.startOffset - b.startOffset)[0];
  const keyword = ident(keywordTok);
  const ids = toks(n, 'Identifier').map(ident);
  const values = nodes(n, 'value').map(valueOf);
  const base = { keyword, range };
  switch (kind) {
    case 'dataStmt': {
      const where = tok(n, 'Where');
      return {
        kind: 'data',
        name: ids[0],
        source: values[0],
        ...(where ? { where: { keyword: ident(where), terms: termsOf(n) } } : {}),
        ...base,
      };
    }
    case 'modelStmt': {
      const block = node(n, 'block');
      return {
        kind: 'model',
        name: ids[0],
        args: argsOf(node(n, 'args')),
        ...(ids[1] ? { from: ids[1] } : {}),
        ...(values[0] ? { freeze: values[0] } : {}),
        lines: linesOf(block),
        ...(block ? { block: tokensRange([...toks(block, 'LCurly'), ...toks(block, 'RCurly')]) } : {}),
        ...base,
      };
    }
    case 'trainStmt':
      return { kind: 'train', model: ids[0], data: ids[1], lines: linesOf(node(n, 'block')), ...base };
    case 'evaluateStmt':
      return { kind: 'evaluate', model: ids[0], target: values[0], ...base };
    case 'showStmt':
      return { kind: 'show', terms: termsOf(n), ...base };
    case 'compareStmt':
      return { kind: 'compare', models: ids.slice(0, -1), metric: ids[ids.length - 1], ...base };
    case 'convolveStmt':
      return { kind: 'convolve', input: values[0], filter: values[1], terms: termsOf(n), ...base };
    case 'poolStmt':
      return { kind: 'pool', op: tok(n, 'Maxpool') ? 'max' : 'avg', input: values[0], terms: termsOf(n), ...base };
    case 'predictStmt':
      return { kind: 'predict', model: ids[0], input: values[0], ...base };
    case 'saveStmt': {
      const s = tok(n, 'StringLit');
      return { kind: 'save', model: ids[0], path: { value: unquote(s.image), range: tokenRange(s) }, ...base };
    }
    case 'loadStmt': {
      const s = tok(n, 'StringLit');
      return { kind: 'load', name: ids[0], path: { value: unquote(s.image), range: tokenRange(s) }, ...base };
    }
    case 'exportStmt': {
      const s = tok(n, 'StringLit');
      return { kind: 'export', model: ids[0], path: { value: unquote(s.image), range: tokenRange(s) }, ...base };
    }
    case 'importStmt': {
      const s = tok(n, 'StringLit');
      return { kind: 'import', name: ids[0], path: { value: unquote(s.image), range: tokenRange(s) }, ...base };
    }
    case 'explainStmt':
      return { kind: 'explain', terms: termsOf(n), ...base };
    case 'printStmt':
      return { kind: 'print', value: values[0], ...base };
    default:
      return { kind: 'unknown', head: ids[0], terms: termsOf(n), ...base };
  }
}

/** The statements of a parsed cell, in source order. */
export function toAst(program: CstNode): Stmt[] {
  return nodes(program, 'statement').map(statementOf);
}
