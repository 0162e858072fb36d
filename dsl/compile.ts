// compile(): cell text → a checked Program of plain-data statements, or every diagnostic of the cell.
// Never throws: syntax errors come first (one pass with recovery reports them all); otherwise each
// statement is bound, lowered and checked in order against a local copy of the session env.
import { totalmem } from 'node:os';
import { Binder } from './bind.js';
import { checkStatement, define, type CheckContext } from './check.js';
import { lex, rangeAt, tokenRange } from './lexer.js';
import { lowerStatement } from './lower.js';
import { parser } from './parser.js';
import { emptyEnv, type CompileResult, type Diagnostic, type SessionEnv, type Statement } from './program.js';
import { toAst } from './visitor.js';
import type { Stmt } from './ast.js';
import type { IToken } from 'chevrotain';

export interface CompileOptions {
  /** Bytes of memory a training run may use; injected so tests need not depend on the machine. */
  totalMemory?: number;
}

const byPosition = (a: Diagnostic, b: Diagnostic) => a.range.startOffset - b.range.startOffset || a.range.endOffset - b.range.endOffset;

/** Copy so that checking a cell never changes the caller's env. */
function copyEnv(env: SessionEnv): SessionEnv {
  return { models: { ...env.models }, data: { ...env.data } };
}

function tokenOrEnd(source: string, t: IToken): ReturnType<typeof tokenRange> {
  return Number.isNaN(t.startOffset) || t.startOffset === undefined ? rangeAt(source, source.length, source.length) : tokenRange(t);
}

/** Syntax: lexer and parser errors, or the AST. */
export function parse(source: string): { stmts: Stmt[]; diagnostics: Diagnostic[] } {
  const lexed = lex(source);
  parser.input = lexed.tokens;
  const cst = parser.program();
  const diagnostics = [...lexed.diagnostics];
  const seen = new Set<number>();
  for (const e of parser.errors) {
    const range = tokenOrEnd(source, e.token);
    // Recovery can report the same spot twice; one message per position is enough.
    if (seen.has(range.startOffset)) continue;
    seen.add(range.startOffset);
    diagnostics.push({ severity: 'error', code: 'syntax', message: e.message, range });
  }
  if (diagnostics.length > 0) return { stmts: [], diagnostics: diagnostics.sort(byPosition) };
  return { stmts: toAst(cst), diagnostics };
}

function compileChecked(source: string, env: SessionEnv, opts: CompileOptions): CompileResult {
  const parsed = parse(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  const ctx: CheckContext = { env: copyEnv(env), loaded: new Set(), defined: new Map(), totalMemory: opts.totalMemory ?? totalmem() };
  const all: Diagnostic[] = [];
  const statements: Statement[] = [];
  for (const s of parsed.stmts) {
    const b = new Binder();
    const low = lowerStatement(s, b, ctx.env);
    const ds = [...b.diagnostics];
    // With binding errors a model's layer list is partial: check names, but not shapes.
    if (low !== undefined) ds.push(...checkStatement(s, low, ctx, b.errorCount > 0));
    all.push(...ds);
    const failed = low === undefined || ds.some((d) => d.severity === 'error');
    if (!failed) {
      define(low, ctx, s);
      statements.push({ ...low.statement, range: s.range } as Statement);
    } else if (s.kind === 'model' || s.kind === 'load') {
      // Later statements may use the name: treat it as existing so one typo does not cascade.
      ctx.loaded.add((s.kind === 'model' ? s.name : s.name).name);
    } else if (s.kind === 'data') {
      ctx.env.data[s.name.name] = {};
    }
  }
  all.sort(byPosition);
  if (all.some((d) => d.severity === 'error')) return { ok: false, diagnostics: all };
  return { ok: true, program: { statements }, warnings: all };
}

/** Compile one cell. Never throws: an internal failure becomes an 'internal' diagnostic. */
export function compile(source: string, env: SessionEnv = emptyEnv(), opts: CompileOptions = {}): CompileResult {
  try {
    return compileChecked(source, env, opts);
  } catch (e) {
    const message = `internal error in the convbook compiler: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, diagnostics: [{ severity: 'error', code: 'internal', message, range: rangeAt(source, 0, Math.min(1, source.length)) }] };
  }
}
