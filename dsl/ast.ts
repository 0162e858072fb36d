// AST of a convbook cell: statements with their source ranges; layer lines and settings keep their
// terms generic (a head word plus values) because their meaning comes from the built-ins table.
import type { SourceRange } from './program.js';

export interface Ident {
  name: string;
  range: SourceRange;
}

export type Value =
  | { t: 'num'; value: number; text: string; range: SourceRange }
  /** `0..4` (numbers) or `conv1..conv3` (names). */
  | { t: 'range'; from: number | string; to: number | string; range: SourceRange }
  | { t: 'dims'; values: number[]; text: string; range: SourceRange }
  | { t: 'str'; value: string; range: SourceRange }
  /** A bare word is a path of one part; `digits.test[7]` has parts digits, test and index 7. */
  | { t: 'path'; parts: Ident[]; index?: { value: number; range: SourceRange }; range: SourceRange }
  | { t: 'call'; name: Ident; args: Arg[]; range: SourceRange }
  | { t: 'list'; items: Value[]; range: SourceRange };

export type Term = Value | { t: 'comma'; range: SourceRange };

export interface Arg {
  name?: Ident;
  value: Value;
  range: SourceRange;
}

/** A line in a block: `conv 6 kernel 5x5 relu` or `epochs 10 batch 64`. */
export interface Line {
  head: Ident;
  terms: Term[];
  range: SourceRange;
}

export type Stmt = (
  | { kind: 'data'; name: Ident; source: Value; where?: { keyword: Ident; terms: Term[] } }
  | { kind: 'model'; name: Ident; args: Arg[]; from?: Ident; freeze?: Value; lines: Line[]; block?: SourceRange }
  | { kind: 'train'; model: Ident; data: Ident; lines: Line[] }
  | { kind: 'evaluate'; model: Ident; target: Value }
  | { kind: 'show'; terms: Term[] }
  | { kind: 'compare'; models: Ident[]; metric: Ident }
  | { kind: 'convolve'; input: Value; filter: Value; terms: Term[] }
  | { kind: 'pool'; op: 'max' | 'avg'; input: Value; terms: Term[] }
  | { kind: 'predict'; model: Ident; input: Value }
  | { kind: 'save'; model: Ident; path: { value: string; range: SourceRange } }
  | { kind: 'load'; name: Ident; path: { value: string; range: SourceRange } }
  | { kind: 'export'; model: Ident; path: { value: string; range: SourceRange } }
  | { kind: 'import'; name: Ident; path: { value: string; range: SourceRange } }
  | { kind: 'print'; value: Value }
  | { kind: 'explain'; terms: Term[] }
  | { kind: 'unknown'; head: Ident; terms: Term[] }
) & { keyword: Ident; range: SourceRange };

/** The source range covering a list of ranges (first start to last end). */
export function span(first: SourceRange, last: SourceRange): SourceRange {
  return {
    startOffset: first.startOffset,
    endOffset: last.endOffset,
    line: first.line,
    column: first.column,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

/** The word a term spells when it is a bare one-part path, else undefined. */
export function wordOf(t: Term | undefined): string | undefined {
  return t !== undefined && t.t === 'path' && t.parts.length === 1 && t.index === undefined ? t.parts[0].name : undefined;
}
