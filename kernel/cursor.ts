// Jupyter counts cursor positions in Unicode code points (protocol ≥ 5.2); JavaScript strings index
// UTF-16 units. These two convert, so an emoji before the cursor does not shift completions.

export function codePointsToUtf16(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= cursor) break;
    units += ch.length;
    points++;
  }
  return units;
}

export function utf16ToCodePoints(text: string, index: number): number {
  return [...text.slice(0, index)].length;
}
