// Token types of the convbook language: keywords (statement heads and the few connectors the grammar
// needs), literals and punctuation. Every other word (layer kinds, settings, options) is an Identifier
// that the checker resolves against the built-ins table, so adding a built-in never touches the lexer.
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Any word: an Identifier or a keyword. Layer lines and options accept either. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [Word] });

const keyword = (word: string): TokenType =>
  createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Word],
  });

export const Data = keyword('data');
export const Model = keyword('model');
export const Train = keyword('train');
export const Evaluate = keyword('evaluate');
export const Show = keyword('show');
export const Compare = keyword('compare');
export const Convolve = keyword('convolve');
export const Maxpool = keyword('maxpool');
export const Avgpool = keyword('avgpool');
export const Predict = keyword('predict');
export const Save = keyword('save');
export const Load = keyword('load');
export const Export = keyword('export');
export const Import = keyword('import');
export const Print = keyword('print');
export const Explain = keyword('explain');
export const On = keyword('on');
export const From = keyword('from');
export const Freeze = keyword('freeze');
export const With = keyword('with');
export const Where = keyword('where');
export const To = keyword('to');

/** Statement heads, in the order completion offers them. */
export const statementKeywords = [
  Data,
  Model,
  Train,
  Evaluate,
  Show,
  Compare,
  Convolve,
  Maxpool,
  Avgpool,
  Predict,
  Save,
  Load,
  Export,
  Import,
  Print,
  Explain,
];
export const connectorKeywords = [On, From, Freeze, With, Where, To];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\u00a0]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\r\n?|\n/, line_breaks: true });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\r\n]|\\.)*"/ });
/** A string with no closing quote on its line: lexed so the checker can point at it precisely. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*/ });
/** `5x5` (a pair) or `28x28x1` (an input shape), one token so `x` never reads as a name. */
export const Dims = createToken({ name: 'Dims', pattern: /\d+x\d+(?:x\d+)?(?![A-Za-z0-9_])/ });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/ });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
/** `[` right after a name, `digits.test[7]`: an index, where `classes [3, 8]` (with a space) is a list. */
export const IndexOpen = createToken({
  name: 'IndexOpen',
  pattern: /(?<=[A-Za-z0-9_])\[/,
  start_chars_hint: ['['],
  categories: [LBracket],
});
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });

/** Lexer order matters: keywords before Identifier, Dims before NumberLit, DotDot before Dot. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  StringLit,
  UnterminatedString,
  Dims,
  NumberLit,
  DotDot,
  Dot,
  Comma,
  Colon,
  Equals,
  Slash,
  LParen,
  RParen,
  IndexOpen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  ...statementKeywords,
  ...connectorKeywords,
  Identifier,
  Word,
];

/** How a token type reads in a message to a student. */
export const tokenLabels: Record<string, string> = {
  Identifier: 'a name',
  Word: 'a word',
  Newline: 'end of line',
  StringLit: 'a "string"',
  UnterminatedString: 'an unterminated string',
  Dims: 'a size like 5x5',
  NumberLit: 'a number',
  DotDot: "'..'",
  Dot: "'.'",
  Comma: "','",
  Colon: "':'",
  Equals: "'='",
  Slash: "'/'",
  LParen: "'('",
  RParen: "')'",
  LBracket: "'['",
  IndexOpen: "'['",
  RBracket: "']'",
  LCurly: "'{'",
  RCurly: "'}'",
  EOF: 'end of cell',
};

export function tokenLabel(t: TokenType): string {
  return tokenLabels[t.name] ?? `'${t.name.toLowerCase()}'`;
}
