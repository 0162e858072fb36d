// is_complete for the console: a cell is incomplete while a { block, ( call or [ list is open or a line
// ends with a comma, invalid when it can never parse (a bad character, a stray closer), else complete.
import { tokenMatcher } from 'chevrotain';
import { lex } from './lexer.js';
import { Comma, LBracket, LCurly, LParen, Newline, RBracket, RCurly, RParen } from './tokens.js';

export interface Completeness {
  status: 'complete' | 'incomplete' | 'invalid';
  indent?: string;
}

export function isComplete(source: string): Completeness {
  const { tokens, diagnostics } = lex(source);
  if (diagnostics.length > 0) return { status: 'invalid' };
  const open: string[] = [];
  const pairs = new Map([
    [RParen, LParen],
    [RBracket, LBracket],
    [RCurly, LCurly],
  ]);
  for (const t of tokens) {
    if (t.tokenType === LParen || tokenMatcher(t, LBracket) || t.tokenType === LCurly)
      open.push(tokenMatcher(t, LBracket) ? LBracket.name : t.tokenType.name);
    const opener = pairs.get(t.tokenType);
    if (opener !== undefined && open.pop() !== opener.name) return { status: 'invalid' };
  }
  const curlies = open.filter((o) => o === LCurly.name).length;
  if (open.length > 0) return { status: 'incomplete', indent: '  '.repeat(Math.max(1, curlies)) };
  const real = tokens.filter((t) => t.tokenType !== Newline);
  if (real[real.length - 1]?.tokenType === Comma) return { status: 'incomplete', indent: '  ' };
  return { status: 'complete' };
}
