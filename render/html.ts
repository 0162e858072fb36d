// Small HTML building blocks shared by every renderer: escaping, an <img> from a raster, a captioned
// figure and a plain table. Everything is inline-styled with no scripts, so GitHub's viewer shows it as-is.
import { pngBase64, pngDataUri, type Raster } from './png.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An <img> with the raster inline; image-rendering keeps upscaled pixels square in browsers that would blur. */
export function imgTag(base64: string, r: Raster, alt: string): string {
  return `<img src="${pngDataUri(base64)}" width="${r.width}" height="${r.height}" alt="${escapeHtml(alt)}" style="image-rendering:pixelated;image-rendering:crisp-edges">`;
}

/** A raster encoded once: the base64 goes into both image/png and the HTML figure. */
export function encoded(r: Raster): { raster: Raster; base64: string } {
  return { raster: r, base64: pngBase64(r) };
}

export function figure(inner: string, caption: string): string {
  return (
    `<figure style="margin:4px 0;display:inline-block">${inner}` +
    `<figcaption style="font:12px sans-serif;color:#333;max-width:640px">${escapeHtml(caption)}</figcaption></figure>`
  );
}

export const TABLE_STYLE = 'border-collapse:collapse;font:12px monospace;margin:4px 0';
export const CELL_STYLE = 'border:1px solid #ccc;padding:2px 6px;text-align:right';
export const HEAD_STYLE = 'border:1px solid #ccc;padding:2px 6px;background:#f0f0f0;text-align:center';

/** A table of already-formatted strings; the first column is left-aligned (names). */
export function htmlTable(header: string[], rows: string[][], caption?: string): string {
  const head = `<tr>${header.map((h) => `<th style="${HEAD_STYLE}">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((c, i) => `<td style="${CELL_STYLE}${i === 0 ? ';text-align:left' : ''}">${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  const cap = caption ? `<caption style="font:12px sans-serif;text-align:left">${escapeHtml(caption)}</caption>` : '';
  return `<table style="${TABLE_STYLE}">${cap}${head}${body}</table>`;
}

/** The text/plain twin of htmlTable: columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
