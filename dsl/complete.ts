// Completion at the cursor, from the built-ins table and the session: statement keywords, the next
// keyword the grammar allows (Chevrotain's computeContentAssist), parameter names inside calls, layer
// kinds and options in model blocks, settings in train blocks, and model, data and layer names.
import { activationNames, lookup, namesOf, type Builtin } from './builtins.js';
import { cursorContext, type CursorContext } from './cursor-context.js';
import { parser } from './parser.js';
import type { SessionEnv } from './program.js';
import { tokenMatcher } from 'chevrotain';
import { maxNesting } from './lexer.js';
import { connectorKeywords, Identifier, LBracket, LParen, RBracket, RParen, statementKeywords, Word } from './tokens.js';

export interface Completion {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
}

/** The row a call name refers to, in the families that take `name: value` arguments. */
export function callRow(name: string): Builtin | undefined {
  for (const c of ['optimizer', 'schedule', 'data', 'filter'] as const) {
    const row = lookup(c, name);
    if (row !== undefined) return row;
  }
  return undefined;
}

/** Options of a row written as words on a line: keyword parameter names and flag words. */
export function lineOptions(row: Builtin): string[] {
  return row.params.flatMap((p) =>
    p.form === 'keyword' ? [p.name] : p.form === 'flag' ? (p.type === 'activation' ? [...activationNames] : [p.name]) : [],
  );
}

function modelBlock(ctx: CursorContext): string[] {
  const line = ctx.block?.line ?? [];
  const transfer = ctx.stmt.some((t) => t.image === 'from');
  if (line.length === 0) return [...namesOf('layer'), ...namesOf('activation'), ...(transfer ? ['replace', 'append', 'drop'] : [])];
  let head = line[0].image;
  if ((head === 'replace' || head === 'append') && line.length === 1) return [...namesOf('layer'), ...namesOf('activation')];
  if (head === 'replace' || head === 'append') head = line[1].image;
  const last = line[line.length - 1].image;
  const row = lookup('layer', head) ?? lookup('activation', head);
  if (row === undefined) return [];
  if (last === 'padding') return ['valid', 'same', 'replicate'];
  if (last === 'init') return ['he', 'glorot'];
  return lineOptions(row);
}

function trainBlock(ctx: CursorContext): string[] {
  const line = ctx.block?.line ?? [];
  const settings = namesOf('setting');
  const lastWord = [...line].reverse().find((t) => settings.includes(t.image));
  const prev = line[line.length - 1]?.image;
  if (prev === 'optimizer') return namesOf('optimizer');
  if (prev === 'schedule') return namesOf('schedule');
  if (prev === 'augment' || (lastWord?.image === 'augment' && prev === ',')) return namesOf('augmentation');
  if (prev === 'restore') return ['best', 'last'];
  const own = lastWord ? lineOptions(lookup('setting', lastWord.image) as Builtin) : [];
  return [...own, ...settings];
}

/** Longest statement prefix replayed through the grammar for keyword completion. */
const maxAssistTokens = 1000;

/** Keywords and name kinds the grammar accepts next in this statement. */
function grammarNext(ctx: CursorContext): { keywords: string[]; name: boolean } {
  // Content assist walks the grammar once per open bracket: past the nesting limit the cell cannot
  // compile anyway, and thousands of open brackets would take seconds. It also replays the whole
  // statement, so a statement of thousands of tokens (never a real one) gets no keyword offers.
  if (ctx.stmt.length > maxAssistTokens) return { keywords: [], name: false };
  let depth = 0;
  for (const t of ctx.stmt) {
    if (t.tokenType === LParen || tokenMatcher(t, LBracket)) depth++;
    else if ((t.tokenType === RParen || t.tokenType === RBracket) && depth > 0) depth--;
    if (depth > maxNesting) return { keywords: [], name: false };
  }
  const paths = parser.computeContentAssist('statement', ctx.stmt);
  const keywords = new Set<string>();
  let name = false;
  for (const p of paths) {
    const t = p.nextTokenType;
    if (t === Identifier || t === Word) name = true;
    else if ([...statementKeywords, ...connectorKeywords].includes(t)) keywords.add(t.name.toLowerCase());
  }
  return { keywords: [...keywords], name };
}

/** explain FORM TARGET of IMAGE at …: forms first, then the target, then the clauses and coordinates. */
function explainNext(words: string[], models: string[], data: string[]): string[] {
  const prev = words[words.length - 1];
  if (words.length === 1) return [...namesOf('explain'), ...models];
  if (prev === 'of') return data;
  if (prev === 'with') return namesOf('filter');
  const row = lookup('explain', words[1]);
  if (words.length === 2 && row !== undefined) return row.name === 'convolve' ? data : models;
  return ['of', 'at', 'with', ...(row ?? (lookup('explain', 'unit') as Builtin)).params.map((p) => p.name)];
}

function topLevel(ctx: CursorContext, models: string[], data: string[]): string[] {
  const s = ctx.stmt;
  if (s.length === 0) return namesOf('statement');
  const head = s[0].image;
  const words = s.map((t) => t.image);
  const prev = words[words.length - 1];
  if (ctx.dotted !== undefined) {
    const [base, ...rest] = ctx.dotted;
    if (head === 'explain' && models.includes(base))
      return rest.length === 0 ? (ctx.env.models[base]?.layers.map((l) => l.name) ?? []) : ['weight', 'input'];
    if (models.includes(base) && rest.length === 0) return ['filters', 'feature_maps', 'history'];
    if (data.includes(base)) return rest.length === 0 ? ['train', 'test', 'samples'] : ['samples'];
    return [];
  }
  if (head === 'show') {
    if (s.length === 1) return [...models, ...data, 'schedule', 'augment'];
    const target = words[1];
    if (prev === 'schedule' && s.length === 2) return namesOf('schedule');
    if (target === 'augment') return s.length === 2 ? data : [...namesOf('augmentation'), 'count', 'seed'];
    const attrs: string[] = [];
    let i = 2;
    while (words[i] === '.' && words[i + 1] !== undefined) {
      attrs.push(words[i + 1]);
      i += 2;
    }
    const after = s.length - i;
    if (attrs[0] === 'filters' || attrs[0] === 'feature_maps') {
      const layers =
        ctx.env.models[target]?.layers.filter((l) => attrs[0] === 'feature_maps' || l.kind === 'conv2d').map((l) => l.name) ?? [];
      if (after === 0) return layers;
      if (attrs[0] === 'feature_maps') return after === 1 ? ['of'] : data;
    }
    if (target === 'schedule') return ['lr', 'steps'];
    return [];
  }
  if (head === 'explain') return explainNext(words, models, data);
  if (head === 'compare' && prev === 'on') return namesOf('metric');
  if (head === 'convolve' && prev === 'with') return namesOf('filter');
  if (head === 'convolve' && words.includes('with') && prev !== 'with')
    return prev === 'padding' ? ['valid', 'same', 'replicate'] : ['stride', 'padding'];
  if (head === 'data' && prev === '=') return [...namesOf('data'), ...data];
  if (head === 'data' && words.includes('where')) return lineOptions(lookup('subset', 'where') as Builtin);
  const next = grammarNext(ctx);
  const names: string[] = [];
  if (next.name) {
    if (head === 'model' && prev === 'from') names.push(...models);
    else if ((head === 'train' || head === 'evaluate') && prev === 'on') names.push(...data);
    else if (head === 'predict' && s.length === 2) names.push(...data);
    else if (['train', 'evaluate', 'predict', 'save', 'export', 'compare'].includes(head)) names.push(...models);
    else if (['convolve', 'maxpool', 'avgpool'].includes(head) && s.length === 1) names.push(...data);
  }
  return [...next.keywords, ...names];
}

export function complete(source: string, cursor: number, env: SessionEnv): Completion {
  const ctx = cursorContext(source, cursor, env);
  const models = Object.keys(ctx.env.models);
  const data = Object.keys(ctx.env.data);
  let candidates: string[];
  if (ctx.inert) {
    candidates = [];
  } else if (ctx.call !== undefined) {
    const row =
      ctx.call.name === ctx.stmt[1]?.image && ctx.stmt[0]?.image === 'model' ? lookup('statement', 'model') : callRow(ctx.call.name);
    candidates = ctx.call.argName
      ? (row?.params.map((p) => p.name) ?? [])
      : ['true', 'false'].filter(() => row?.params.some((p) => p.type === 'bool'));
  } else if (ctx.block?.owner === 'model') {
    candidates = modelBlock(ctx);
  } else if (ctx.block?.owner === 'train') {
    candidates = trainBlock(ctx);
  } else {
    candidates = topLevel(ctx, models, data);
  }
  const matches = [...new Set(candidates)]
    .filter((c) => c.startsWith(ctx.word))
    .sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));
  return { matches, cursorStart: ctx.start, cursorEnd: ctx.end };
}
