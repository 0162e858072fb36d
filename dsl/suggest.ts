// "Did you mean …?": the closest known name by edit distance, when it is close enough to be a typo.

/**
 * Edit distance where swapping two adjacent letters counts as one edit (shwo → show), or `limit + 1`
 * as soon as it must exceed `limit`. Three rolling rows: no allocation per cell of the table.
 */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

/** The candidate nearest to `word`, if within about a third of its length (at least 1, at most 3 edits). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  // Names are short: a 5,000-letter word is no typo of any of them (and would cost 5,000 × n).
  if (word.length <= 64) {
    const w = word.toLowerCase();
    let best: string | undefined;
    let bestD = limit + 1;
    for (const c of candidates) {
      const d = distance(w, c.toLowerCase(), limit);
      if (d < bestD) {
        best = c;
        bestD = d;
      }
    }
    if (best !== undefined) return best;
  }
  // A known name that starts with what was typed (sobel → sobel_x) is a likely intent too.
  return word.length >= 3 ? candidates.find((c) => c.startsWith(word)) : undefined;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
}
