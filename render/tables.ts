// Tables: the model summary (layers, shapes, parameters, receptive fields, multiply-adds, memory) and the
// evaluation report (accuracy, per-class table, the confusion matrix as a labelled PNG heat map with counts,
// and the misclassified examples). Each bundle has HTML (tables, <img> data URIs) and a text/plain twin;
// no meaning rides on inline styles alone, since sanitisers (untrusted notebooks) strip them.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import type { LayerInfo } from '../runtime/types.js';
import { cssColorAt } from './colormaps.js';
import { svgToPngBase64 } from './rasterize.js';
import { samplesBundle } from './grid.js';
import { escapeHtml, htmlTable, textTable } from './html.js';
import { pngDataUri } from './png.js';

export interface SummaryInput {
  name: string;
  input: Shape3;
  info: LayerInfo[];
  /** Batch size for the training-memory estimate (default 32). */
  batch?: number;
  /** Extra float32 copies of the parameters the optimizer keeps: 0 for SGD, 1 momentum, 2 Adam (default 2). */
  optimizerSlots?: number;
  /** Where batch and slots come from, e.g. "its last run (adam)"; without it the summary says they are assumed. */
  memoryFrom?: string;
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
  const slots = m.optimizerSlots ?? 2;
  const source = m.memoryFrom
    ? `batch and optimizer of ${m.memoryFrom}`
    : `batch ${m.batch ?? 32} and Adam assumed until the model is trained`;
  const memo =
    `parameters ${bytes(t.paramBytes)} (float32); training memory ≈ ${bytes(t.trainBytes)} at batch ${m.batch ?? 32} ` +
    `(weights, gradients, ${slots} optimizer slot${slots === 1 ? '' : 's'}, activations forward and backward; ${source})`;
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
    return [
      name,
      String(rowsTotal[i]),
      String(row[i] ?? 0),
      rowsTotal[i] ? pct((row[i] ?? 0) / rowsTotal[i]) : '–',
      worst >= 0 ? `${e.classNames[worst]} (${row[worst]})` : '',
    ];
  });
  const heat = confusionPng(e.confusion, e.classNames, `confusion matrix: ${e.model} on ${e.data}.${e.split}`);
  const parts = [
    `<div style="font-weight:bold">${escapeHtml(title)}</div>`,
    htmlTable(perHeader, perRows, 'per class'),
    `<div>${heat.img}</div>`,
  ];
  const plain = [
    title,
    '',
    textTable(perHeader, perRows),
    '',
    'confusion (rows actual, columns predicted):',
    confusionText(e.confusion, e.classNames),
  ];
  if (e.misclassified?.length && e.shape) {
    const mis = misclassifiedBundle(e.misclassified, e.shape, e.classNames, 32, e.misclassifiedTotal);
    parts.push(mis['text/html'] as string);
    plain.push('', mis['text/plain'] as string);
  }
  return {
    'text/plain': plain.join('\n'),
    'text/html': `<div style="font:12px sans-serif">${parts.join('')}</div>`,
    'image/png': heat.base64,
  };
}

/** Side of one confusion cell in the PNG: room for a count up to 4 digits, shrinking for many classes. */
function cellPx(k: number): number {
  return Math.max(12, Math.min(40, Math.floor(560 / Math.max(1, k))));
}

/**
 * The confusion matrix as an SVG heat map that reads on its own: a title, class labels on both axes, axis
 * titles, the count in every cell (when cells are big enough) and a legend for the shading (share of the row).
 */
export function confusionSvg(confusion: number[][], names: string[], title: string): string {
  const k = confusion.length;
  const c = cellPx(k);
  const labelW = Math.min(120, 14 + 7 * Math.max(1, ...names.map((s) => s.length)));
  const left = 22 + labelW;
  const top = 40 + (k > 12 ? labelW : 18);
  const width = Math.max(left + k * c + 16, 360);
  const height = top + k * c + 44;
  const fs = Math.min(12, Math.max(8, Math.floor(c * 0.36)));
  const p: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  ];
  p.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  p.push(`<text x="8" y="16" font-size="13" font-weight="bold">${escapeHtml(title)}</text>`);
  p.push(`<text x="${left + (k * c) / 2}" y="32" text-anchor="middle" fill="#333">predicted</text>`);
  p.push(`<text transform="translate(12 ${top + (k * c) / 2}) rotate(-90)" text-anchor="middle" fill="#333">actual</text>`);
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    p.push(`<text x="${left - 4}" y="${top + i * c + c / 2 + 4}" text-anchor="end">${escapeHtml(names[i] ?? String(i))}</text>`);
    row.forEach((v, j) => {
      const t = v / total;
      const x = left + j * c;
      const y = top + i * c;
      p.push(`<rect x="${x}" y="${y}" width="${c}" height="${c}" fill="${cssColorAt('blues', t)}" stroke="${i === j ? '#555' : '#ddd'}"/>`);
      if (c >= 18)
        p.push(
          `<text x="${x + c / 2}" y="${y + c / 2 + fs / 3}" text-anchor="middle" font-size="${fs}" fill="${t > 0.5 ? '#fff' : v === 0 ? '#aaa' : '#000'}">${v}</text>`,
        );
    });
  });
  names.slice(0, k).forEach((name, j) => {
    const x = left + j * c + c / 2;
    if (k > 12) p.push(`<text transform="translate(${x + 4} ${top - 4}) rotate(-90)" text-anchor="start">${escapeHtml(name)}</text>`);
    else p.push(`<text x="${x}" y="${top - 5}" text-anchor="middle">${escapeHtml(name)}</text>`);
  });
  // Legend: the shade scale from 0 to 100 % of the row.
  const ly = top + k * c + 14;
  for (let s = 0; s < 10; s++)
    p.push(`<rect x="${left + s * 14}" y="${ly}" width="14" height="10" fill="${cssColorAt('blues', (s + 0.5) / 10)}"/>`);
  p.push(
    `<text x="${left}" y="${ly + 22}" fill="#333">0 %</text><text x="${left + 140}" y="${ly + 22}" text-anchor="end" fill="#333">100 %</text>`,
  );
  p.push(
    `<text x="${left + 150}" y="${ly + 9}" fill="#333">shade = share of the actual class (row)${c < 18 ? '; counts in the text' : ''}</text>`,
  );
  p.push('</svg>');
  return p.join('');
}

/** The labelled heat map as a base64 PNG and as an <img> for HTML. */
export function confusionPng(confusion: number[][], names: string[], title: string): { base64: string; img: string } {
  const svg = confusionSvg(confusion, names, title);
  const base64 = svgToPngBase64(svg);
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  return {
    base64,
    img: `<img src="${pngDataUri(base64)}" width="${w}" height="${h}" alt="${escapeHtml(`${title}; rows actual, columns predicted`)}">`,
  };
}

/** Misclassified examples with actual and predicted labels under each image. */
export function misclassifiedBundle(
  examples: Misclassified[],
  shape: Shape3,
  names: string[],
  max = 32,
  total = examples.length,
): MimeBundle {
  const shown = examples.slice(0, max);
  const label = (c: number) => names[c] ?? String(c);
  const all = Math.max(total, examples.length);
  const title = `misclassified: ${all}${all > shown.length ? ` (showing ${shown.length})` : ''}`;
  return samplesBundle(
    shown.map((x) => ({
      data: x.data,
      caption: `${x.index !== undefined ? `#${x.index} ` : ''}${label(x.actual)}→${label(x.predicted)}`,
      color: '#c0392b',
    })),
    shape,
    `${title}; captions read actual→predicted`,
  );
}

function confusionText(confusion: number[][], names: string[]): string {
  const header = ['', ...names];
  return textTable(
    header,
    confusion.map((row, i) => [names[i] ?? String(i), ...row.map(String)]),
  );
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
