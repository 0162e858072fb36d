// Where the cursor is, for completion and inspect: the word under it, the enclosing call, block and
// line, the tokens of the current statement, and the session env including this cell's earlier lines.
import { tokenMatcher, type IToken } from 'chevrotain';
import { compile } from './compile.js';
import { envAfter } from './env.js';
import { lex } from './lexer.js';
import { lineStartOf } from './lines.js';
import { copyEnv, type SessionEnv } from './program.js';
import { Comma, Dot, LBracket, LCurly, LParen, Newline, RBracket, RCurly, RParen } from './tokens.js';

export interface CursorContext {
  word: string;
  start: number;
  end: number;
  /** Tokens of the current statement before the word (the statement keyword first). */
  stmt: IToken[];
  /** Innermost open call: its name and whether the cursor is where an argument name goes. */
  call?: { name: string; argName: boolean };
  /** Innermost open { } block: the statement keyword that owns it, and this line's tokens before the word. */
  block?: { owner: string; line: IToken[] };
  /** The word before a '.', when the cursor follows one: `lenet.` → ['lenet']. */
  dotted?: string[];
  /** Inside a string or a comment: nothing to complete or inspect. */
  inert: boolean;
  env: SessionEnv;
}

/** Whether a position is inside a "string" or after a # on its line. */
function inStringOrComment(source: string, at: number): boolean {
  const lineStart = lineStartOf(source, at);
  let quoted = false;
  for (let i = lineStart; i < at; i++) {
    const c = source[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return true;
  }
  return quoted;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

export function cursorContext(source: string, cursor: number, env: SessionEnv): CursorContext {
  const at = Math.max(0, Math.min(cursor, source.length));
  let start = at;
  while (start > 0 && isWordChar(source[start - 1])) start--;
  let end = at;
  while (end < source.length && isWordChar(source[end])) end++;
  const word = source.slice(start, end);
  const { tokens: all } = lex(source.slice(0, start));
  // Drop the synthetic end-of-cell newline: the cursor is not at a line start unless the text says so.
  const tokens = all[all.length - 1]?.image === '' ? all.slice(0, -1) : all;

  // Walk once, tracking open brackets and where the current statement and line begin.
  const stack: { tok: IToken; index: number }[] = [];
  let stmtStart = 0;
  let lineStart = 0;
  tokens.forEach((t, i) => {
    if (t.tokenType === LParen || tokenMatcher(t, LBracket) || t.tokenType === LCurly) stack.push({ tok: t, index: i });
    else if (t.tokenType === RParen || t.tokenType === RBracket || t.tokenType === RCurly) stack.pop();
    if (t.tokenType === Newline || t.tokenType === LCurly) {
      lineStart = i + 1;
      if (stack.length === 0) stmtStart = i + 1;
    }
  });
  const ctx: CursorContext = {
    word,
    start,
    end,
    inert: inStringOrComment(source, start),
    stmt: tokens.slice(stmtStart),
    env: cellEnv(source, stmtStart === 0 ? 0 : (tokens[stmtStart - 1]?.startOffset ?? 0), env),
  };
  const top = stack[stack.length - 1];
  if (top?.tok.tokenType === LParen) {
    const name = tokens[top.index - 1]?.image ?? '';
    const prev = tokens[tokens.length - 1];
    ctx.call = { name, argName: prev === top.tok || prev?.tokenType === Comma };
  }
  const curly = [...stack].reverse().find((s) => s.tok.tokenType === LCurly);
  if (curly !== undefined && top?.tok.tokenType === LCurly) {
    const owner = ctx.stmt[0]?.image ?? '';
    ctx.block = { owner, line: tokens.slice(Math.max(lineStart, curly.index + 1)) };
  }
  const last = tokens[tokens.length - 1];
  if (last?.tokenType === Dot) {
    const parts: string[] = [];
    let i = tokens.length - 1;
    while (tokens[i]?.tokenType === Dot && tokens[i - 1] !== undefined) {
      parts.push(tokens[i - 1].image);
      i -= 2;
    }
    ctx.dotted = parts.reverse();
  }
  return ctx;
}

/** Characters of the cell before the cursor's statement that completion compiles for their specs. */
const maxCompiledPrefix = 20_000;

/** The session env plus models and data defined by complete statements of this cell before `offset`. */
function cellEnv(source: string, offset: number, env: SessionEnv): SessionEnv {
  if (offset <= 0) return copyEnv(env);
  // Compiling a very long prefix on every Tab would stall the editor: past that, names only.
  const r = offset <= maxCompiledPrefix ? compile(source.slice(0, offset), env) : undefined;
  if (r?.ok) return envAfter(env, r.program);
  // With errors, still offer the names the cell defines (without their specs).
  const next = copyEnv(env);
  for (const m of source.slice(0, offset).matchAll(/^\s*(data|model|load|import)\s+([A-Za-z_]\w*)/gm)) {
    if (m[1] === 'data') next.data[m[2]] ??= {};
    else if (next.models[m[2]] === undefined)
      next.models[m[2]] = { name: m[2], input: { c: 1, h: 28, w: 28 }, layers: [], loss: 'cross_entropy', frozen: [] };
  }
  return next;
}
