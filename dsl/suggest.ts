// "Did you mean …?": the closest known name by edit distance, when it is close enough to be a typo.

/**
 * Edit distance where swapping two adjacent letters counts as one edit (shwo → show), or `limit + 1`
 * as soon as it must exceed `limit`. Three rolling rows: no allocation per cell of the table.
 */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length + 1;
  if (rows.length < 3 * n) rows = new Int32Array(3 * n);
  // Rows i-2, i-1 and i of the table, rotating through one buffer.
  let before = 0;
  let prev = n;
  let cur = 2 * n;
  for (let j = 0; j < n; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    for (let j = 1; j < n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[before + j - 2] + 1);
      rows[cur + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return rows[prev + n - 1];
}
let rows = new Int32Array(3 * 66);

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
