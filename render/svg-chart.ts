// A small dependable SVG line chart for the live dashboard: linear axes with round ticks and titles, several
// series, a legend under the x-axis title, vertical marks (overfitting, early-stop restore) and an optional
// note (e.g. "first steps clipped"). String building only, ~1 ms per chart; the dashboard rasterises it to
// PNG. Static plots use vega (plot.ts). Series are thinned to a point budget so long runs stay small.
import { escapeHtml } from './html.js';
import { thin } from './run-history.js';

export interface ChartSeries {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
  /** Draw a dot per point (for sparse evaluation series; skipped beyond 60 points). */
  dots?: boolean;
}

export interface ChartMark {
  x: number;
  label: string;
  color: string;
  /** When set, a circle marks (x, y) on the curve. */
  y?: number;
}

export interface ChartOptions {
  title: string;
  series: ChartSeries[];
  marks?: ChartMark[];
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** A short remark drawn at the top right of the plot area, e.g. how the axis was clipped. */
  note?: string;
  /** Fixed y range (e.g. [0, 1] for accuracy); otherwise fitted to the data. */
  yDomain?: [number, number];
  /** Fixed x range (the dashboard uses 0..total steps, so its charts line up and fill as training runs). */
  xDomain?: [number, number];
  yFormat?: (v: number) => string;
  maxPoints?: number;
}

// Bottom: tick labels, then the x-axis title, then the legend row, so the legend never sits between them.
const M = { left: 56, right: 12, top: 30, bottom: 50 };

export function lineChartSvg(o: ChartOptions): string {
  const width = o.width ?? 300;
  const height = o.height ?? 180;
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const series = o.series.map((s) => ({
    ...s,
    points: thin(
      s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
      o.maxPoints ?? 300,
    ),
  }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).concat((o.marks ?? []).map((m) => m.x));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = o.xDomain ?? padDomain(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  // Fitted ranges get 6 % headroom so a curve never runs along the frame.
  const [y0, y1] = o.yDomain ?? headroom(padDomain(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1));
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => M.top + ph - ((Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0)) * ph;
  const fy = o.yFormat ?? shortNumber;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${M.left}" y="14" font-size="11" font-weight="bold">${escapeHtml(o.title)}</text>`);
  for (const t of niceTicks(y0, y1, 4)) {
    const y = r1(sy(t));
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${M.left - 4}" y="${r1(y + 3)}" text-anchor="end" fill="#555">${escapeHtml(fy(t))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 5)) {
    const x = r1(sx(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${M.top + ph}" y2="${M.top + ph + 3}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${M.top + ph + 13}" text-anchor="middle" fill="#555">${escapeHtml(shortNumber(t))}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  if (o.xLabel)
    parts.push(`<text x="${M.left + pw / 2}" y="${M.top + ph + 26}" text-anchor="middle" fill="#333">${escapeHtml(o.xLabel)}</text>`);
  if (o.yLabel)
    parts.push(
      `<text transform="translate(12 ${r1(M.top + ph / 2)}) rotate(-90)" text-anchor="middle" fill="#333">${escapeHtml(o.yLabel)}</text>`,
    );
  // The note gets its own line between the title and the plot, so a long one never runs into the title.
  if (o.note)
    parts.push(
      `<text x="${M.left + pw}" y="${M.top - 5}" text-anchor="end" fill="#555" font-size="9" font-style="italic">${escapeHtml(o.note)}</text>`,
    );
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${r1(sx(x))},${r1(sy(y))}`).join('');
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : '';
    parts.push(
      `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${dash}/>`,
    );
    // Dots help read a few evaluations; past a few dozen they only add bytes.
    if (s.dots && s.points.length <= 60)
      for (const [x, y] of s.points) parts.push(`<circle cx="${r1(sx(x))}" cy="${r1(sy(y))}" r="2" fill="${s.color}"/>`);
  }
  (o.marks ?? []).forEach((m, i) => {
    const x = r1(sx(m.x));
    parts.push(`<g class="mark" data-mark="${escapeHtml(m.label)}">`);
    parts.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${M.top + ph}" stroke="${m.color}" stroke-dasharray="3 2"/>`);
    if (m.y !== undefined && Number.isFinite(m.y))
      parts.push(`<circle cx="${x}" cy="${r1(sy(m.y))}" r="4" fill="none" stroke="${m.color}" stroke-width="2"/>`);
    const anchor = x > M.left + pw * 0.6 ? 'end' : 'start';
    parts.push(
      `<text x="${anchor === 'end' ? x - 3 : x + 3}" y="${M.top + 10 + 11 * i}" text-anchor="${anchor}" fill="${m.color}">${escapeHtml(m.label)}</text>`,
    );
    parts.push(`</g>`);
  });
  let lx = M.left;
  for (const s of series) {
    const y = height - 8;
    parts.push(
      `<line x1="${lx}" x2="${lx + 12}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
    );
    parts.push(`<text class="legend" x="${lx + 15}" y="${y + 3}">${escapeHtml(s.name)}</text>`);
    lx += 22 + s.name.length * 6;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Round tick values covering [lo, hi] with about n intervals (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, n: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The round step closest to the ideal one (in ratio), so the count stays near n either way.
  const step = [1, 2, 5, 10].map((f) => f * mag).reduce((a, b) => (Math.abs(Math.log(b / raw)) < Math.abs(Math.log(a / raw)) ? b : a));
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Compact tick label: 0.006 stays, 0.00095 → 9.5e-4, 12000 → 12k. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

function padDomain(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
  return [lo - d, hi + d];
}

function headroom([lo, hi]: [number, number]): [number, number] {
  const d = (hi - lo) * 0.06;
  // A non-negative quantity (a loss) keeps its floor at 0 rather than showing a negative band.
  return [lo >= 0 ? Math.max(0, lo - d) : lo - d, hi + d];
}

function r1(v: number): number {
  return Math.round(v * 10) / 10;
}
