// `predict`: the image beside its class probabilities as horizontal bars, drawn into a PNG (so they survive
// sanitisers, which strip the inline widths bars in HTML would need), with a text/plain twin in block
// characters. The top class is bold; the true class, when known, is marked.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import { imageRaster } from './grid.js';
import { encoded, escapeHtml, imgTag } from './html.js';
import { svgToPngBase64 } from './rasterize.js';

export interface PredictionShow {
  data: ArrayLike<number>;
  shape: Shape3;
  /** One probability per class (the softmax output). */
  probs: ArrayLike<number>;
  classNames: string[];
  /** The true class when the image comes from a labelled split. */
  actual?: number;
  title: string;
  /** Classes listed, most probable first (default 10). */
  top?: number;
}

export function predictionBundle(p: PredictionShow): MimeBundle {
  const k = p.probs.length;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => p.probs[b] - p.probs[a] || a - b);
  const shown = order.slice(0, Math.min(k, p.top ?? 10));
  const name = (c: number) => p.classNames[c] ?? String(c);
  const best = order[0];
  const verdict =
    p.actual === undefined
      ? `${p.title}: predicted ${name(best)} (${pct(p.probs[best])})`
      : `${p.title}: predicted ${name(best)} (${pct(p.probs[best])}), true ${name(p.actual)} — ${best === p.actual ? 'correct' : 'wrong'}`;
  const bars = probabilityBars(
    shown.map((c) => ({
      label: `${name(c)}${c === p.actual ? ' ✓' : ''}`,
      p: p.probs[c],
      color: c === p.actual ? '#22a05a' : c === best ? '#3b82f6' : '#9ca3af',
      bold: c === best,
    })),
  );
  const { raster, base64 } = encoded(imageRaster(p.data, p.shape, 112));
  const barsAlt = `class probabilities: ${shown.map((c) => `${name(c)} ${pct(p.probs[c])}`).join(', ')}`;
  const html =
    `<div><div style="font:12px sans-serif;margin-bottom:4px">${escapeHtml(verdict)}</div>` +
    `${imgTag(base64, raster, verdict)} <img src="data:image/png;base64,${bars.base64}" width="${bars.width}" height="${bars.height}" alt="${escapeHtml(barsAlt)}" style="vertical-align:top"></div>`;
  const width = Math.max(...shown.map((c) => name(c).length));
  const plain = [
    verdict,
    ...shown.map(
      (c) =>
        `${name(c).padStart(width)} ${'█'.repeat(Math.round(Math.max(0, Math.min(1, p.probs[c])) * 20)).padEnd(20)} ${pct(p.probs[c])}${c === p.actual ? '  (true)' : ''}`,
    ),
  ];
  return { 'text/plain': plain.join('\n'), 'text/html': html, 'image/png': bars.base64 };
}

/** Horizontal probability bars with the class on the left and the percentage on the right, as a PNG. */
function probabilityBars(rows: { label: string; p: number; color: string; bold: boolean }[]): {
  base64: string;
  width: number;
  height: number;
} {
  const labelW = Math.min(160, 16 + 7 * Math.max(1, ...rows.map((r) => r.label.length)));
  const barW = 200;
  const rowH = 18;
  const width = labelW + barW + 60;
  const height = rows.length * rowH + 8;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(0, Math.min(1, r.p)) * barW;
    const weight = r.bold ? ' font-weight="bold"' : '';
    parts.push(`<text x="${labelW - 6}" y="${y + 13}" text-anchor="end"${weight}>${escapeHtml(r.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 2}" width="${barW}" height="${rowH - 5}" fill="#f1f1f1"/>`);
    parts.push(`<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${r.color}"/>`);
    parts.push(`<text x="${labelW + barW + 6}" y="${y + 13}"${weight}>${pct(r.p)}</text>`);
  });
  parts.push('</svg>');
  return { base64: svgToPngBase64(parts.join('')), width, height };
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
