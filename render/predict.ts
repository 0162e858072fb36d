// `predict`: the image beside its class probabilities as horizontal bars (HTML widths, no scripts) with a
// text/plain twin drawn in block characters. The top class is bold; the true class, when known, is marked.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import { imageRaster } from './grid.js';
import { encoded, escapeHtml, imgTag } from './html.js';

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
    p.actual === undefined ? `${p.title}: predicted ${name(best)} (${pct(p.probs[best])})` : `${p.title}: predicted ${name(best)} (${pct(p.probs[best])}), true ${name(p.actual)} — ${best === p.actual ? 'correct' : 'wrong'}`;
  const rows = shown.map((c) => {
    const w = Math.max(0, Math.min(1, p.probs[c])) * 100;
    const color = c === p.actual ? '#22a05a' : c === best ? '#3b82f6' : '#9ca3af';
    const label = `${escapeHtml(name(c))}${c === p.actual ? ' ✓' : ''}`;
    return (
      `<tr><td style="font:12px monospace;padding:1px 6px;text-align:right;${c === best ? 'font-weight:bold' : ''}">${label}</td>` +
      `<td style="padding:1px 0;width:200px"><div style="width:${w.toFixed(1)}%;height:12px;background:${color}"></div></td>` +
      `<td style="font:12px monospace;padding:1px 6px">${pct(p.probs[c])}</td></tr>`
    );
  });
  const { raster, base64 } = encoded(imageRaster(p.data, p.shape, 112));
  const html =
    `<div style="display:flex;gap:12px;align-items:flex-start">${imgTag(base64, raster, verdict)}` +
    `<div><div style="font:12px sans-serif;margin-bottom:4px">${escapeHtml(verdict)}</div><table style="border-collapse:collapse">${rows.join('')}</table></div></div>`;
  const width = Math.max(...shown.map((c) => name(c).length));
  const plain = [verdict, ...shown.map((c) => `${name(c).padStart(width)} ${'█'.repeat(Math.round(Math.max(0, Math.min(1, p.probs[c])) * 20)).padEnd(20)} ${pct(p.probs[c])}${c === p.actual ? '  (true)' : ''}`)];
  return { 'text/plain': plain.join('\n'), 'text/html': html };
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
