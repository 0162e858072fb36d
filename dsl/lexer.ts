// The lexer plus one layout pass: newlines end statements and layer lines, except inside ( ) and [ ]
// or after a comma, where a long argument list may continue on the next line.
import { createTokenInstance, Lexer, tokenMatcher, type IToken } from 'chevrotain';
import { allTokens, Comma, LBracket, LCurly, LParen, Newline, RBracket, RCurly, RParen, UnterminatedString } from './tokens.js';
import { positionAt } from './lines.js';
import type { Diagnostic, SourceRange } from './program.js';

export const convbookLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

/**
 * How deeply ( and [ may nest. The parser recurses once per bracket, so without a limit a cell of a
 * few hundred brackets would exhaust the stack; real cells need 3 levels ([[1, 0], [0, 1]] is 2).
 */
export const maxNesting = 32;

export interface LexResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
  /** Brackets nested past maxNesting: the cell must not reach the parser. */
  tooDeep: boolean;
}

export function tokenRange(t: IToken): SourceRange {
  const start = t.startOffset;
  // A line break is pointed at as the empty range where it starts: the end of its line, whatever
  // the break is written as (\n, \r\n or \r).
  if (t.tokenType === Newline && !Number.isNaN(start)) {
    const line = t.startLine ?? 1;
    const column = t.startColumn ?? 1;
    return { startOffset: start, endOffset: start, line, column, endLine: line, endColumn: column };
  }
  const end = (t.endOffset ?? start) + 1;
  return {
    startOffset: start,
    endOffset: Number.isNaN(end) ? start : end,
    line: t.startLine ?? 1,
    column: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endColumn: (t.endColumn ?? t.startColumn ?? 1) + 1,
  };
}

/** 1-based line/column of an offset, for diagnostics that do not come from a token. */
export function rangeAt(source: string, start: number, end: number): SourceRange {
  const a = positionAt(source, start);
  const b = positionAt(source, end);
  return { startOffset: start, endOffset: end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** Lex a cell. Always returns tokens ending with a Newline, so every statement can require one. */
export function lex(source: string): LexResult {
  const r = convbookLexer.tokenize(source);
  const diagnostics: Diagnostic[] = r.errors.map((e) => {
    const ch = source.slice(e.offset, e.offset + e.length);
    return {
      severity: 'error',
      code: 'syntax',
      message: `unexpected character '${ch}': names use letters, digits and _, numbers look like 3, 0.5 or 1e-3`,
      range: rangeAt(source, e.offset, e.offset + Math.max(e.length, 1)),
    };
  });
  const tokens: IToken[] = [];
  let depth = 0;
  let tooDeep = false;
  for (const t of r.tokens) {
    if (t.tokenType === UnterminatedString) {
      diagnostics.push({ severity: 'error', code: 'syntax', message: 'this string has no closing quote "', range: tokenRange(t) });
      continue;
    }
    // Calls and lists never contain blocks: a brace means an unclosed ( or [ was a mistake, so stop
    // swallowing newlines there and let the parser report it on its own line.
    if (t.tokenType === LCurly || t.tokenType === RCurly) depth = 0;
    // `model m(…)` with its `{` on the next line: the block still belongs to the statement.
    if (t.tokenType === LCurly && tokens[tokens.length - 1]?.tokenType === Newline) tokens.pop();
    if (t.tokenType === LParen || tokenMatcher(t, LBracket)) {
      depth++;
      if (depth > maxNesting && !tooDeep) {
        tooDeep = true;
        diagnostics.push({
          severity: 'error',
          code: 'syntax',
          message: `brackets nest more than ${maxNesting} deep here; a value needs only a few levels, like [[1, 0], [0, 1]]: close the ( and [ that are still open`,
          range: tokenRange(t),
        });
      }
    }
    if ((t.tokenType === RParen || t.tokenType === RBracket) && depth > 0) depth--;
    if (t.tokenType === Newline) {
      const prev = tokens[tokens.length - 1];
      if (depth > 0 || prev === undefined || prev.tokenType === Newline || prev.tokenType === Comma) continue;
    }
    tokens.push(t);
  }
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.tokenType !== Newline) {
    const off = source.length;
    const end = rangeAt(source, off, off);
    tokens.push(createTokenInstance(Newline, '', off, off, end.line, end.line, end.column, end.column));
  }
  diagnostics.sort((a, b) => a.range.startOffset - b.range.startOffset);
  return { tokens, diagnostics, tooDeep };
}
