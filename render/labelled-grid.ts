// A grid of image tiles with a number over each tile and a colour bar (or range legend) under the grid,
// composed as SVG around the tiles' own PNGs and rasterised to one PNG, so the labels travel with the
// image wherever it is opened. Tiles keep their exact pixels: they are upscaled before, never resampled.
import { cssColorAt, type ColorMapName } from './colormaps.js';
import { escapeHtml } from './html.js';
import { pngBase64, type Raster } from './png.js';
import { svgToPngBase64 } from './rasterize.js';

export interface ColorBar {
  cmap: ColorMapName;
  /** Labels at the left end, the middle (may be empty) and the right end. */
  lo: string;
  mid?: string;
  hi: string;
  /** What the bar measures, e.g. "weight" or "each map's own min..max". */
  title: string;
}

export interface LabelledGridOptions {
  cols: number;
  /** Text above each tile, e.g. "3" (same order as the tiles). */
  labels: string[];
  /** Labels to the left of each row (e.g. "filter 0"), optional. */
  rowLabels?: string[];
  bar?: ColorBar;
  /** Gap colour between tiles (grey for diverging maps, whose 0 is white). */
  gap?: string;
}

export interface LabelledGrid {
  base64: string;
  width: number;
  height: number;
}

/** Pixels between tiles, and the height of the label line above each tile. */
export const GRID_GAP = 6;
export const LABEL_H = 14;

/** Top-left pixel of tile i in a grid of cols columns of tw × th tiles whose first column starts at left. */
export function tileOrigin(i: number, cols: number, tw: number, th: number, left = GRID_GAP): { x: number; y: number } {
  return { x: left + (i % cols) * (tw + GRID_GAP), y: GRID_GAP + Math.floor(i / cols) * (th + LABEL_H + GRID_GAP) + LABEL_H };
}

export function labelledGrid(tiles: Raster[], o: LabelledGridOptions): LabelledGrid {
  const cols = Math.max(1, Math.min(o.cols, tiles.length));
  const rows = Math.ceil(tiles.length / cols);
  const tw = Math.max(1, ...tiles.map((t) => t.width));
  const th = Math.max(1, ...tiles.map((t) => t.height));
  const labelH = LABEL_H;
  const gap = GRID_GAP;
  const left = o.rowLabels ? 8 + 7 * Math.max(...o.rowLabels.map((l) => l.length)) : gap;
  const gridW = left + cols * (tw + gap);
  const barH = o.bar ? 46 : 0;
  const width = Math.max(gridW, o.bar ? 260 : 0);
  const height = gap + rows * (th + labelH + gap) + barH;
  const p: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  ];
  p.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  tiles.forEach((t, i) => {
    const { x, y } = tileOrigin(i, cols, tw, th, left);
    p.push(`<text x="${x + t.width / 2}" y="${y - 3}" text-anchor="middle" fill="#222">${escapeHtml(o.labels[i] ?? String(i))}</text>`);
    p.push(`<rect x="${x - 1}" y="${y - 1}" width="${t.width + 2}" height="${t.height + 2}" fill="${o.gap ?? '#999'}"/>`);
    p.push(
      `<image x="${x}" y="${y}" width="${t.width}" height="${t.height}" image-rendering="optimizeSpeed" href="data:image/png;base64,${pngBase64(t)}"/>`,
    );
  });
  (o.rowLabels ?? []).forEach((l, r) => {
    p.push(`<text x="4" y="${gap + r * (th + labelH + gap) + labelH + th / 2 + 4}" fill="#222">${escapeHtml(l)}</text>`);
  });
  if (o.bar) {
    const by = gap + rows * (th + labelH + gap) + 4;
    const bw = 200;
    const bx = left;
    const steps = 50;
    for (let s = 0; s < steps; s++)
      p.push(
        `<rect x="${bx + (s * bw) / steps}" y="${by}" width="${bw / steps + 0.5}" height="12" fill="${cssColorAt(o.bar.cmap, (s + 0.5) / steps)}"/>`,
      );
    p.push(`<rect x="${bx}" y="${by}" width="${bw}" height="12" fill="none" stroke="#888"/>`);
    p.push(`<text x="${bx}" y="${by + 25}" fill="#222">${escapeHtml(o.bar.lo)}</text>`);
    if (o.bar.mid) p.push(`<text x="${bx + bw / 2}" y="${by + 25}" text-anchor="middle" fill="#222">${escapeHtml(o.bar.mid)}</text>`);
    p.push(`<text x="${bx + bw}" y="${by + 25}" text-anchor="end" fill="#222">${escapeHtml(o.bar.hi)}</text>`);
    p.push(`<text x="${bx}" y="${by + 38}" fill="#555">${escapeHtml(o.bar.title)}</text>`);
  }
  p.push('</svg>');
  return { base64: svgToPngBase64(p.join('')), width, height };
}
