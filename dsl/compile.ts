// compile(): cell text → a checked Program of plain-data statements, or every diagnostic of the cell.
// Never throws. Syntax errors come first (the first error of every statement); a cell that parses is
// bound, lowered and checked statement by statement against a local copy of the session env.
import { availableParallelism } from 'node:os';
import { availableMemory } from '../runtime/memory.js';
import { Binder } from './bind.js';
import { checkStatement, checkUnlowered, define, type CheckContext } from './check.js';
import { capDiagnostics } from './diagnostic.js';
import { lex, rangeAt, tokenRange } from './lexer.js';
import { lineBreak } from './lines.js';
import { lowerStatement } from './lower.js';
import { colonInBlock, parser, statementStartMessage } from './parser.js';
import { copyEnv, emptyEnv, type CompileResult, type Diagnostic, type SessionEnv, type Statement } from './program.js';
import { toAst } from './visitor.js';
import { Colon, LCurly, Model, Newline, RCurly, Train, Word } from './tokens.js';
import type { Stmt } from './ast.js';
import { tokenMatcher, type IToken } from 'chevrotain';

export interface CompileOptions {
  /** Bytes of memory a training run may use (default: available now, under any cgroup limit); injected so tests need not depend on the machine. */
  totalMemory?: number;
  /** Cores of this machine (default os.availableParallelism): the workers warning and the lanes of a training run with workers 0. */
  cores?: number;
}

const byPosition = (a: Diagnostic, b: Diagnostic) => a.range.startOffset - b.range.startOffset || a.range.endOffset - b.range.endOffset;

function tokenOrEnd(source: string, t: IToken): ReturnType<typeof tokenRange> {
  // EOF and the synthetic final newline have no text: point just past the end of the cell.
  const synthetic = Number.isNaN(t.startOffset) || t.startOffset === undefined || t.image === '';
  return synthetic ? rangeAt(source, source.length, source.length) : tokenRange(t);
}

/** Split tokens into statements: at newlines outside { } blocks (the lexer already joined ( ) and [ ]). */
function statementChunks(tokens: IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly) depth++;
    if (t.tokenType === RCurly) depth = Math.max(0, depth - 1);
    if (t.tokenType === Newline && current.length === 0) continue;
    current.push(t);
    if (t.tokenType === Newline && depth === 0) {
      chunks.push(current);
      current = [];
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Each `}` that closes no block. */
function strayCurlies(tokens: IToken[]): Set<IToken> {
  const out = new Set<IToken>();
  let open = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly) open++;
    else if (t.tokenType === RCurly) {
      if (open === 0) out.add(t);
      else open--;
    }
  }
  return out;
}

/**
 * For each statement: the nearest model or train statement above it that has no block, unless a
 * statement starting with a stray '}' came in between (one pass, for cells of thousands of lines).
 */
function openersAbove(chunks: IToken[][]): Map<IToken[], IToken[] | undefined> {
  const out = new Map<IToken[], IToken[] | undefined>();
  let candidate: IToken[] | undefined;
  for (const c of chunks) {
    out.set(c, candidate);
    if (c[0]?.tokenType === RCurly) candidate = undefined;
    else if ((c[0]?.tokenType === Model || c[0]?.tokenType === Train) && !c.some((t) => t.tokenType === LCurly)) candidate = c;
  }
  return out;
}

/** For a `}` that closes nothing: the statement above that should have opened a block with `{`. */
function strayCurlyMessage(source: string, opener: IToken[] | undefined): string {
  if (opener === undefined)
    return "this '}' closes no block: remove it, or open the block with '{' at the end of its first line, e.g. model lenet {";
  const words = opener.filter((t) => t.tokenType !== Newline && t.image !== '');
  const last = words[words.length - 1];
  const head = source.slice(words[0].startOffset, (last.endOffset ?? last.startOffset) + 1);
  // An opener that runs over several lines (an unclosed '(' joins them) is not quoted back whole.
  if (lineBreak.test(head))
    return `this '}' closes no block: is the '{' missing at the end of the ${opener[0].image} statement on line ${opener[0].startLine ?? 1}?`;
  return `this '}' closes no block: the '{' is missing at the end of line ${opener[0].startLine ?? 1}; write ${head} {`;
}

/**
 * The first syntax error of one statement. Chevrotain recomputes its lookahead paths for every error
 * message, so a line repeated thousands of times (a paste) is parsed once: short statements are
 * remembered by their tokens for the rest of the cell.
 */
function firstError(
  chunk: IToken[],
  seen: Map<string, { at: number; message: string } | undefined>,
): { token: IToken; message: string } | undefined {
  const key = chunk.length <= 16 ? chunk.map((t) => `${t.tokenType.name}\u0000${t.image}`).join('\u0001') : undefined;
  if (key !== undefined && seen.has(key)) {
    const hit = seen.get(key);
    return hit === undefined ? undefined : { token: chunk[hit.at], message: hit.message };
  }
  parser.input = chunk;
  parser.statement();
  const e = parser.errors[0];
  const at = e === undefined ? -1 : chunk.indexOf(e.token);
  // An error at a token outside the chunk (the end of input) is not remembered.
  if (key !== undefined && (e === undefined || at >= 0)) seen.set(key, e === undefined ? undefined : { at, message: e.message });
  return e;
}

/**
 * Syntax: lexer and parser errors, or the AST. A clean cell is parsed in one pass; a cell with syntax
 * errors is re-parsed statement by statement so that a mistake cannot derail the statements after it
 * (each reports its first error). The second pass runs only on broken cells: starting the parser
 * costs about a millisecond, too much to pay per statement on a 1,000-line cell.
 */
export function parse(source: string): { stmts: Stmt[]; diagnostics: Diagnostic[] } {
  // Chevrotain reports each syntax error as an exception object; their stack traces (never shown)
  // were most of the cost of a cell with thousands of broken lines.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseCell(source);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function parseCell(source: string): { stmts: Stmt[]; diagnostics: Diagnostic[] } {
  const lexed = lex(source);
  if (lexed.diagnostics.length === 0) {
    parser.input = lexed.tokens;
    const cst = parser.program();
    if (parser.errors.length === 0) return { stmts: toAst(cst), diagnostics: [] };
  }
  const diagnostics = [...lexed.diagnostics];
  if (lexed.tooDeep) return { stmts: [], diagnostics };
  const lexLines = new Set(lexed.diagnostics.map((d) => d.range.line));
  const chunks = statementChunks(lexed.tokens);
  const strays = strayCurlies(lexed.tokens);
  const openers = openersAbove(chunks);
  const seen = new Map<string, { at: number; message: string } | undefined>();
  for (const chunk of chunks) {
    // A line that does not start with a word is wrong at its first token: no need to ask the parser.
    const e = tokenMatcher(chunk[0], Word) ? firstError(chunk, seen) : { token: chunk[0], message: statementStartMessage(chunk[0]) };
    if (e === undefined) continue;
    const range = tokenOrEnd(source, e.token);
    const before = chunk[chunk.indexOf(e.token) - 1];
    const message = strays.has(e.token)
      ? strayCurlyMessage(source, openers.get(chunk))
      : e.token.tokenType === Colon && before !== undefined && before.tokenType !== Newline && chunk.some((t) => t.tokenType === LCurly)
        ? colonInBlock(` after '${before.image}'`)
        : e.message;
    // A bad character or string already explains this line; the parser's view of it adds only noise.
    if (!lexLines.has(range.line)) diagnostics.push({ severity: 'error', code: 'syntax', message, range });
  }
  if (diagnostics.length === 0) {
    // Whole-cell parsing failed where statement-wise parsing did not: report the whole-cell error.
    const e = parser.errors[0];
    parser.input = lexed.tokens;
    parser.program();
    const first = parser.errors[0] ?? e;
    if (first !== undefined)
      diagnostics.push({ severity: 'error', code: 'syntax', message: first.message, range: tokenOrEnd(source, first.token) });
  }
  return { stmts: [], diagnostics: diagnostics.sort(byPosition) };
}

function compileChecked(source: string, env: SessionEnv, opts: CompileOptions): CompileResult {
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  // A copy, so that checking a cell never changes the caller's env.
  const ctx: CheckContext = {
    env: copyEnv(env),
    loaded: new Set(),
    defined: new Map(),
    totalMemory: opts.totalMemory ?? availableMemory(),
    cores: opts.cores ?? availableParallelism(),
  };
  const all: Diagnostic[] = [];
  const statements: Statement[] = [];
  for (const s of parsed.stmts) {
    const b = new Binder();
    const low = lowerStatement(s, b, ctx.env, ctx.loaded);
    const ds = [...b.diagnostics];
    // With binding errors a model's layer list is partial: check names, but not shapes.
    if (low !== undefined) ds.push(...checkStatement(s, low, ctx, b.errorCount > 0));
    else ds.push(...checkUnlowered(s, ctx));
    all.push(...ds);
    const failed = low === undefined || ds.some((d) => d.severity === 'error');
    if (!failed) {
      define(low, ctx, s);
      statements.push({ ...low.statement, range: s.range } as Statement);
    } else if (s.kind === 'model' || s.kind === 'load' || s.kind === 'import') {
      // Later statements may use the name: treat it as existing so one typo does not cascade.
      ctx.loaded.add(s.name.name);
    } else if (s.kind === 'data') {
      ctx.env.data[s.name.name] = {};
    }
  }
  all.sort(byPosition);
  if (all.some((d) => d.severity === 'error')) return { ok: false, diagnostics: all };
  return { ok: true, program: { statements }, warnings: all };
}

/**
 * Compile one cell. Never throws: an internal failure becomes an 'internal' diagnostic. At most
 * maxDiagnostics are returned, then one 'more' entry counting the rest (see capDiagnostics).
 */
export function compile(source: string, env: SessionEnv = emptyEnv(), opts: CompileOptions = {}): CompileResult {
  try {
    const r = compileChecked(source, env, opts);
    return r.ok ? { ...r, warnings: capDiagnostics(r.warnings) } : { ok: false, diagnostics: capDiagnostics(r.diagnostics) };
  } catch (e) {
    const message = `internal error in the convbook compiler: ${e instanceof Error ? e.message : String(e)}`;
    return {
      ok: false,
      diagnostics: [{ severity: 'error', code: 'internal', message, range: rangeAt(source, 0, Math.min(1, source.length)) }],
    };
  }
}
