// Tables: the model summary (layers, shapes, parameters, receptive fields, multiply-adds, memory) and the
// evaluation report (accuracy, per-class table, confusion matrix as an HTML heat map and a PNG, and the
// misclassified examples). Each bundle has an HTML table and a column-aligned text/plain twin.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import type { LayerInfo } from '../runtime/types.js';
import { colorAt, cssColorAt } from './colormaps.js';
import { samplesBundle } from './grid.js';
import { encoded, escapeHtml, htmlTable, imgTag, textTable, CELL_STYLE, HEAD_STYLE, TABLE_STYLE } from './html.js';
import { createRaster, upscale, type Raster } from './png.js';

export interface SummaryInput {
  name: string;
  input: Shape3;
  info: LayerInfo[];
  /** Batch size for the training-memory estimate (default 32). */
  batch?: number;
  /** Extra float32 copies of the parameters the optimizer keeps: 0 for SGD, 1 momentum, 2 Adam (default 2). */
  optimizerSlots?: number;
}

export interface SummaryTotals {
  params: number;
  macs: number;
  /** Floats of all layer outputs for one example (the input included). */
  activations: number;
  paramBytes: number;
  /** float32 · (params · (2 + slots) + batch · 2 · activations): weights, gradients, optimizer state, forward and backward activations. */
  trainBytes: number;
}

export function summaryTotals(m: SummaryInput): SummaryTotals {
  const params = m.info.reduce((a, l) => a + l.params, 0);
  const macs = m.info.reduce((a, l) => a + l.macs, 0);
  const activations = size(m.input) + m.info.reduce((a, l) => a + size(l.out), 0);
  const slots = m.optimizerSlots ?? 2;
  const batch = m.batch ?? 32;
  return { params, macs, activations, paramBytes: 4 * params, trainBytes: 4 * (params * (2 + slots) + batch * 2 * activations) };
}

export function summaryBundle(m: SummaryInput): MimeBundle {
  const t = summaryTotals(m);
  const header = ['layer', 'kind', 'output', 'params', 'receptive field', 'mult-adds'];
  const rows = [
    ['input', '', shapeText(m.input), '0', '1×1', '0'],
    ...m.info.map((l) => [l.name, l.kind, shapeText(l.out), count(l.params), `${l.receptive[0]}×${l.receptive[1]}`, count(l.macs)]),
    ['total', '', '', count(t.params), '', count(t.macs)],
  ];
  const memo =
    `parameters ${bytes(t.paramBytes)} (float32); training memory ≈ ${bytes(t.trainBytes)} at batch ${m.batch ?? 32} ` +
    `(weights, gradients, ${m.optimizerSlots ?? 2} optimizer slot${(m.optimizerSlots ?? 2) === 1 ? '' : 's'}, activations forward and backward)`;
  const title = `model ${m.name}: ${m.info.length} layer${m.info.length === 1 ? '' : 's'}, ${count(t.params)} parameters, ${count(t.macs)} mult-adds per example`;
  return {
    'text/plain': `${title}\n${textTable(header, rows)}\n${memo}`,
    'text/html': `<div style="font:12px sans-serif"><div style="font-weight:bold">${escapeHtml(title)}</div>${htmlTable(header, rows)}<div>${escapeHtml(memo)}</div></div>`,
  };
}

export interface Misclassified {
  data: ArrayLike<number>;
  actual: number;
  predicted: number;
  /** Index in its split, so the reader can `show d.test[i]`. */
  index?: number;
}

export interface EvaluationInput {
  model: string;
  data: string;
  split: 'train' | 'test' | 'val';
  accuracy: number;
  loss: number;
  classNames: string[];
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  misclassified?: Misclassified[];
  /** How many were misclassified in all, when `misclassified` holds only the first few. */
  misclassifiedTotal?: number;
  shape?: Shape3;
}

/** Above this many classes the HTML heat map would be huge; the PNG heat map stands in for it. */
export const MAX_HTML_CONFUSION_CLASSES = 30;

export function evaluationBundle(e: EvaluationInput): MimeBundle {
  const k = e.classNames.length;
  const rowsTotal = e.confusion.map((r) => r.reduce((a, b) => a + b, 0));
  const n = rowsTotal.reduce((a, b) => a + b, 0);
  const title = `${e.model} on ${e.data}.${e.split}: accuracy ${pct(e.accuracy)}, loss ${e.loss.toFixed(4)}, ${n} examples`;
  const perHeader = ['class', 'examples', 'correct', 'accuracy', 'most often mistaken for'];
  const perRows = e.classNames.map((name, i) => {
    const row = e.confusion[i] ?? [];
    let worst = -1;
    for (let j = 0; j < k; j++) if (j !== i && (row[j] ?? 0) > 0 && (worst < 0 || row[j] > row[worst])) worst = j;
    return [name, String(rowsTotal[i]), String(row[i] ?? 0), rowsTotal[i] ? pct((row[i] ?? 0) / rowsTotal[i]) : '–', worst >= 0 ? `${e.classNames[worst]} (${row[worst]})` : ''];
  });
  const heat = encoded(confusionRaster(e.confusion));
  const parts = [`<div style="font-weight:bold">${escapeHtml(title)}</div>`, htmlTable(perHeader, perRows, 'per class')];
  if (k <= MAX_HTML_CONFUSION_CLASSES) parts.push(confusionHtml(e.confusion, e.classNames));
  else parts.push(`<div>confusion matrix (${k} classes; rows actual, columns predicted):</div>${imgTag(heat.base64, heat.raster, 'confusion matrix')}`);
  const plain = [title, '', textTable(perHeader, perRows), '', 'confusion (rows actual, columns predicted):', confusionText(e.confusion, e.classNames)];
  if (e.misclassified?.length && e.shape) {
    const mis = misclassifiedBundle(e.misclassified, e.shape, e.classNames, 32, e.misclassifiedTotal);
    parts.push(mis['text/html'] as string);
    plain.push('', mis['text/plain'] as string);
  }
  return { 'text/plain': plain.join('\n'), 'text/html': `<div style="font:12px sans-serif">${parts.join('')}</div>`, 'image/png': heat.base64 };
}

/** Confusion matrix as an HTML table; a cell's shade is its share of the actual class's examples. */
export function confusionHtml(confusion: number[][], names: string[]): string {
  const head = `<tr><th style="${HEAD_STYLE}">actual \\ predicted</th>${names.map((c) => `<th style="${HEAD_STYLE}">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = confusion
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row.map((v, j) => {
        const t = v / total;
        // Zeros fade so the few real confusions stand out.
        const fg = t > 0.5 ? '#fff' : v === 0 ? '#bbb' : '#000';
        const edge = i === j ? ';outline:1px solid #555' : '';
        return `<td style="${CELL_STYLE};background:${cssColorAt('blues', t)};color:${fg}${edge}" title="${v}">${v}</td>`;
      });
      return `<tr><th style="${HEAD_STYLE}">${escapeHtml(names[i] ?? String(i))}</th>${cells.join('')}</tr>`;
    })
    .join('');
  return `<div style="font:12px sans-serif;margin-top:6px">confusion matrix (rows actual, columns predicted; shade = share of the row)</div><table style="${TABLE_STYLE}">${head}${body}</table>`;
}

/** Confusion matrix as a PNG heat map: one block per cell, row-normalised, white → dark blue. */
export function confusionRaster(confusion: number[][]): Raster {
  const k = confusion.length;
  const base = createRaster(k, k);
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, j) => base.rgb.set(colorAt('blues', v / total), (i * k + j) * 3));
  });
  return upscale(base, Math.max(1, Math.min(24, Math.floor(480 / Math.max(1, k)))));
}

export function confusionPngBundle(confusion: number[][], names: string[]): MimeBundle {
  const { raster, base64 } = encoded(confusionRaster(confusion));
  return { 'text/plain': confusionText(confusion, names), 'image/png': base64, 'text/html': imgTag(base64, raster, 'confusion matrix') };
}

/** Misclassified examples with actual and predicted labels under each image. */
export function misclassifiedBundle(examples: Misclassified[], shape: Shape3, names: string[], max = 32, total = examples.length): MimeBundle {
  const shown = examples.slice(0, max);
  const label = (c: number) => names[c] ?? String(c);
  const all = Math.max(total, examples.length);
  const title = `misclassified: ${all}${all > shown.length ? ` (showing ${shown.length})` : ''}`;
  return samplesBundle(
    shown.map((x) => ({ data: x.data, caption: `${x.index !== undefined ? `#${x.index} ` : ''}${label(x.actual)}→${label(x.predicted)}`, color: '#c0392b' })),
    shape,
    `${title}; captions read actual→predicted`,
  );
}

function confusionText(confusion: number[][], names: string[]): string {
  const header = ['', ...names];
  return textTable(header, confusion.map((row, i) => [names[i] ?? String(i), ...row.map(String)]));
}

function size(s: Shape3): number {
  return s.c * s.h * s.w;
}

function shapeText(s: Shape3): string {
  return s.h === 1 && s.w === 1 ? `${s.c}` : `${s.c}×${s.h}×${s.w}`;
}

/** 44426 → "44,426": exact counts read better than 44.4k in a summary. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}
