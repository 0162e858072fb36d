// Line breaks of a cell: \n, \r\n and a lone \r each end one line, everywhere in the language (lexer,
// diagnostics, carets, completion cursors). One index of line starts makes every lookup O(log n).

/** Matches one line break; \r\n is a single break. */
export const lineBreak = /\r\n?|\n/;

export interface LineIndex {
  source: string;
  /** Offset where each line starts; starts[0] = 0. */
  starts: number[];
}

let cached: LineIndex | undefined;

/** The line starts of a source (the last one is kept, so the many lookups of one cell share it). */
export function lineIndex(source: string): LineIndex {
  if (cached !== undefined && cached.source === source) return cached;
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 13) {
      if (source.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  cached = { source, starts };
  return cached;
}

/** 1-based line and column of an offset (an offset inside a \r\n pair counts as the end of its line). */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  const { starts } = lineIndex(source);
  const off = Math.max(0, Math.min(offset, source.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: off - starts[lo] + 1 };
}

/** The text of a 1-based line, without its line break ('' past the end). */
export function lineText(source: string, line: number): string {
  const { starts } = lineIndex(source);
  if (line < 1 || line > starts.length) return '';
  const start = starts[line - 1];
  let end = line < starts.length ? starts[line] : source.length;
  if (end > start && source.charCodeAt(end - 1) === 10) end--;
  if (end > start && source.charCodeAt(end - 1) === 13) end--;
  return source.slice(start, end);
}

/** Offset where the line holding `offset` starts (for cursors: the text before them on their line). */
export function lineStartOf(source: string, offset: number): number {
  const { starts } = lineIndex(source);
  return starts[positionAt(source, offset).line - 1];
}
