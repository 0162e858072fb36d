// Image grids: tiling rasters with padding, and the bundles built on it — a layer's filters and feature maps
// (numbered tiles and a colour bar, drawn into the PNG by labelled-grid.ts), one input image and a labelled
// samples grid (captions as HTML text). Big layers are capped (tiles, pixels) and the caption says so.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import type { ColorMapName, Rgb } from './colormaps.js';
import { encoded, escapeHtml, figure, imgTag } from './html.js';
import { labelledGrid, type ColorBar, type LabelledGrid } from './labelled-grid.js';
import {
  createRaster,
  downsample,
  extent,
  mapToRaster,
  rgbToRaster,
  upscale,
  upscaleFactor,
  valueRange,
  type Raster,
  type Scale,
} from './png.js';

export interface GridOptions {
  /** Columns; default ⌈√n⌉. */
  cols?: number;
  /** Pixels between tiles and around the edge. */
  pad?: number;
  background?: Rgb;
}

/** Tiles (any sizes) laid out row-major in cells as large as the largest tile. */
export function tileGrid(tiles: Raster[], opts: GridOptions = {}): Raster {
  const n = Math.max(1, tiles.length);
  const cols = Math.max(1, Math.min(n, opts.cols ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / cols);
  const pad = opts.pad ?? 2;
  const cw = Math.max(1, ...tiles.map((t) => t.width));
  const ch = Math.max(1, ...tiles.map((t) => t.height));
  const out = createRaster(pad + cols * (cw + pad), pad + rows * (ch + pad), opts.background ?? [255, 255, 255]);
  tiles.forEach((t, i) => {
    const x0 = pad + (i % cols) * (cw + pad);
    const y0 = pad + Math.floor(i / cols) * (ch + pad);
    for (let y = 0; y < t.height; y++) {
      out.rgb.set(t.rgb.subarray(y * t.width * 3, (y + 1) * t.width * 3), ((y0 + y) * out.width + x0) * 3);
    }
  });
  return out;
}

/** Pixel intensities of input images: shown on a fixed 0..1 scale when they are in it, else stretched. */
export function imageScale(data: ArrayLike<number>): Scale {
  const { lo, hi } = extent(data);
  return lo >= 0 && hi <= 1 ? 'unit' : 'minmax';
}

/** One input image (c, h, w) as a raster: grey for c = 1, colour for c = 3, channel mean otherwise. */
export function imageRaster(data: ArrayLike<number>, shape: Shape3, minPx = 56, scale: Scale = imageScale(data)): Raster {
  const { c, h, w } = shape;
  const base = c === 3 ? rgbToRaster(data, h, w, scale) : mapToRaster(c === 1 ? data : channelMean(data, c, h * w), h, w, 'gray', scale);
  return upscale(base, upscaleFactor(w, h, minPx));
}

/** A bundle with image/png, an HTML figure with its caption, and text/plain. */
export function figureBundle(r: Raster, caption: string, plain: string = caption): MimeBundle {
  const { base64 } = encoded(r);
  return { 'text/plain': plain, 'image/png': base64, 'text/html': figure(imgTag(base64, r, caption), caption) };
}

/** Like figureBundle, for a grid already encoded (labelled-grid.ts). */
export function gridFigureBundle(g: LabelledGrid, caption: string, plain: string = caption): MimeBundle {
  const img = `<img src="data:image/png;base64,${g.base64}" width="${g.width}" height="${g.height}" alt="${escapeHtml(caption)}">`;
  return { 'text/plain': plain, 'image/png': g.base64, 'text/html': figure(img, caption) };
}

/** Tile side for n tiles: the wanted size, shrunk so about √n columns fit a narrow output area (620 px). */
export function fitTilePx(n: number, want: number, maxWidth = 620): { px: number; cols: number } {
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)));
  return { px: Math.max(24, Math.min(want, Math.floor(maxWidth / cols) - 6)), cols };
}

/** The whole-pixel enlargement that keeps a w × h tile within px (never below 1): unlike upscaleFactor it rounds down, so grids fit. */
export function fitFactor(w: number, h: number, px: number): number {
  return Math.max(1, Math.floor(px / Math.max(1, w, h)));
}

/** `show d.test[3]`: one image with its label. */
export function imageBundle(data: ArrayLike<number>, shape: Shape3, label?: string): MimeBundle {
  const r = imageRaster(data, shape, 112);
  const caption = `${shape.c}×${shape.h}×${shape.w} image${label !== undefined ? `, label ${label}` : ''}`;
  return figureBundle(r, caption);
}

export interface FiltersOptions {
  layer?: string;
  /** Smallest tile side in pixels (filters are tiny; 5×5 becomes 60×60 by default). */
  minPx?: number;
  /** Scale each filter on its own range instead of one range for the layer (hides relative magnitudes). */
  perTile?: boolean;
  /** mean — one tile per filter, channels averaged; rgb — colour tiles (needs C = 3); all — a row per filter, a tile per channel. Default rgb when C = 3, else mean. */
  channels?: 'mean' | 'rgb' | 'all';
  maxTiles?: number;
}

/** Conv weights (F, C, Kh, Kw) as a grid of numbered tiles: diverging blue–white–red, 0 at white, with a colour bar. */
export function filtersImage(weights: ArrayLike<number>, shape: [number, number, number, number], opts: FiltersOptions = {}): MimeBundle {
  const [F, C, kh, kw] = shape;
  const mode = opts.channels ?? (C === 3 ? 'rgb' : 'mean');
  const maxTiles = opts.maxTiles ?? 256;
  const plane = kh * kw;
  const shared = valueRange(weights, 'symmetric');
  const scale = (d: ArrayLike<number>): Scale => (opts.perTile ? valueRange(d, 'symmetric') : shared);
  const perFilter = mode === 'all' ? C : 1;
  const shownF = Math.min(F, Math.max(1, Math.floor(maxTiles / perFilter)));
  const nTiles = shownF * perFilter;
  // 120 px tiles by default (a 5×5 filter becomes 24 px blocks), smaller when many must fit across.
  const fit =
    mode === 'all'
      ? { px: Math.max(24, Math.min(opts.minPx ?? 120, Math.floor(560 / C) - 6)), cols: C }
      : fitTilePx(nTiles, opts.minPx ?? 120);
  const factor = fitFactor(kw, kh, fit.px);
  const tiles: Raster[] = [];
  const labels: string[] = [];
  for (let f = 0; f < shownF; f++) {
    const w = sliceOf(weights, f * C * plane, C * plane);
    if (mode === 'rgb' && C === 3) tiles.push(upscale(rgbToRaster(w, kh, kw, scale(w)), factor));
    else if (mode === 'all')
      for (let c = 0; c < C; c++) tiles.push(upscale(mapToRaster(w.subarray(c * plane, (c + 1) * plane), kh, kw, 'bwr', scale(w)), factor));
    else {
      const m = channelMean(w, C, plane);
      tiles.push(
        upscale(mapToRaster(m, kh, kw, 'bwr', opts.perTile ? valueRange(m, 'symmetric') : meanRange(weights, F, C, plane)), factor),
      );
    }
    if (mode === 'all') for (let c = 0; c < C; c++) labels.push(f === 0 ? `ch ${c}` : '');
    else labels.push(String(f));
  }
  const rgb = mode === 'rgb' && C === 3;
  const barRange = mode === 'mean' && !opts.perTile ? (meanRange(weights, F, C, plane) as { lo: number; hi: number }) : shared;
  const bar: ColorBar | undefined = rgb
    ? undefined
    : opts.perTile
      ? { cmap: 'bwr', lo: '−max', mid: '0', hi: '+max', title: 'weight, each filter on its own ±max' }
      : {
          cmap: 'bwr',
          lo: fmt(barRange.lo),
          mid: '0',
          hi: fmt(barRange.hi),
          title: C > 1 && mode === 'mean' ? `weight averaged over ${C} input channels` : 'weight',
        };
  // Grey gaps: white is 0 under bwr, so white padding would melt into near-zero weights.
  const grid = labelledGrid(tiles, {
    cols: fit.cols,
    labels,
    rowLabels: mode === 'all' ? Array.from({ length: shownF }, (_, f) => `filter ${f}`) : undefined,
    bar,
    gap: '#a0a0a0',
  });
  const how =
    mode === 'all'
      ? `one row per filter, one tile per input channel`
      : rgb
        ? 'input channels as RGB'
        : C > 1
          ? `averaged over ${C} input channels`
          : 'one tile per filter';
  const range = opts.perTile ? 'each filter scaled to its own ±max' : `scale ±${fmt(barRange.hi)}`;
  const capped = shownF < F ? `; showing the first ${shownF} of ${F} filters` : '';
  const caption = `${opts.layer ?? 'filters'}: ${F} filters of ${C}×${kh}×${kw}, ${how}${mode === 'all' ? '' : ', numbered from 0'}; ${rgb ? 'mid-grey = 0' : 'blue < 0 < red, white = 0'}, ${range}${capped}`;
  return gridFigureBundle(grid, caption, `${caption}\n${filterText(weights, F, C, plane)}`);
}

export interface FeatureMapsOptions {
  layer?: string;
  cmap?: ColorMapName;
  maxTiles?: number;
  minPx?: number;
  /** Maps larger than this (either side) are average-pooled down to fit. */
  maxTilePx?: number;
}

/** Activations (c, h, w) as one tile per map, each map scaled to its own min..max. */
export function featureMapsImage(act: ArrayLike<number>, shape: Shape3, opts: FeatureMapsOptions = {}): MimeBundle {
  const { c, h, w } = shape;
  if (h === 1 && w === 1) return unitsImage(act, c, opts);
  const maxTiles = opts.maxTiles ?? 64;
  const maxTilePx = opts.maxTilePx ?? 96;
  const shown = Math.min(c, maxTiles);
  const shrink = Math.max(1, Math.ceil(Math.max(h, w) / maxTilePx));
  const fit = fitTilePx(shown, opts.minPx ?? 112);
  const tiles: Raster[] = [];
  let dead = 0;
  for (let i = 0; i < shown; i++) {
    let m: { data: ArrayLike<number>; h: number; w: number } = { data: sliceOf(act, i * h * w, h * w), h, w };
    if (isConstant(m.data)) dead++;
    if (shrink > 1) m = downsample(m.data, h, w, shrink);
    tiles.push(upscale(mapToRaster(m.data, m.h, m.w, opts.cmap ?? 'viridis', 'minmax'), fitFactor(m.w, m.h, fit.px)));
  }
  const notes: string[] = [];
  if (shown < c) notes.push(`showing ${shown} of ${c} maps`);
  if (shrink > 1) notes.push(`down-sampled ${shrink}× (average) from ${h}×${w}`);
  if (dead > 0) notes.push(`${dead} constant map${dead > 1 ? 's' : ''} (e.g. dead ReLU)`);
  const { lo, hi } = extent(sliceOf(act, 0, shown * h * w));
  const cmap = opts.cmap ?? 'viridis';
  const caption = `${opts.layer ?? 'feature maps'}: ${c} maps of ${h}×${w}, numbered from 0, each scaled to its own min..max (${cmap}; all maps span ${fmt(lo)}..${fmt(hi)})${notes.length ? '; ' + notes.join('; ') : ''}`;
  const grid = labelledGrid(tiles, {
    cols: fit.cols,
    labels: tiles.map((_, i) => String(i)),
    bar: { cmap, lo: 'min', hi: 'max', title: `each map on its own range (all maps: ${fmt(lo)}..${fmt(hi)})` },
    gap: '#ffffff',
  });
  return gridFigureBundle(grid, caption, `${caption}\n${mapsText(act, shown, h * w)}`);
}

/** Per-map ranges for the text twin (the first 8), so "map 3" can be read without the picture. */
function mapsText(act: ArrayLike<number>, n: number, plane: number): string {
  const lines: string[] = [];
  for (let i = 0; i < Math.min(n, 8); i++) {
    const { lo, hi } = extent(sliceOf(act, i * plane, plane));
    lines.push(`  map ${i}: min ${fmt(lo)}  max ${fmt(hi)}`);
  }
  if (n > 8) lines.push(`  … ${n - 8} more`);
  return lines.join('\n');
}

/**
 * A dense layer's outputs (c, 1, 1): per-map scaling would paint every 1×1 map the same flat colour, so the
 * units are shown together, row-major in a near-square block, on one shared scale.
 */
function unitsImage(act: ArrayLike<number>, c: number, opts: FeatureMapsOptions): MimeBundle {
  const cols = Math.ceil(Math.sqrt(c));
  const rows = Math.ceil(c / cols);
  const { lo, hi } = extent(sliceOf(act, 0, c));
  const block = new Float64Array(rows * cols).fill(NaN);
  for (let i = 0; i < c; i++) block[i] = act[i];
  const cmap = opts.cmap ?? 'viridis';
  const base = mapToRaster(block, rows, cols, cmap, 'minmax');
  // Cells past the last unit are padding, not values: paint them white instead of the NaN flag colour.
  for (let i = c; i < rows * cols; i++) base.rgb.set([255, 255, 255], i * 3);
  const r = upscale(base, Math.max(2, Math.floor(240 / Math.max(rows, cols))));
  let top = 0;
  for (let i = 1; i < c; i++) if (act[i] > act[top]) top = i;
  const caption = `${opts.layer ?? 'units'}: ${c} units, row-major in ${rows}×${cols}, one shared scale ${fmt(lo)}..${fmt(hi)} (${cmap}); largest: unit ${top} (${fmt(act[top])})`;
  const grid = labelledGrid([r], {
    cols: 1,
    labels: [`units 0..${c - 1}, row-major, ${cols} per row`],
    bar: { cmap, lo: fmt(lo), hi: fmt(hi), title: 'activation (one shared scale)' },
    gap: '#ffffff',
  });
  return gridFigureBundle(grid, caption);
}

export interface Sample {
  data: ArrayLike<number>;
  /** Shown under the image, e.g. "7" or "true 3 / pred 5". */
  caption: string;
  /** Tints the caption, e.g. red for a misclassification. */
  color?: string;
}

/** Widest a samples grid may be: a notebook's output area in a 760 px window is about 620 px. */
export const SAMPLES_MAX_WIDTH = 600;

/** Columns for n items at most max across, with rows as even as possible (9 → 5 + 4, not 8 + 1). */
export function balancedColumns(n: number, max: number): number {
  const m = Math.max(1, max);
  const rows = Math.max(1, Math.ceil(n / m));
  return Math.max(1, Math.ceil(n / rows));
}

/** More would make a notebook output of megabytes; the title then says how many were left out. */
export const MAX_SAMPLES = 200;

/** A grid of small captioned images as an HTML table (labels stay real text), plus text/plain. */
export function samplesBundle(
  all: Sample[],
  shape: Shape3,
  heading: string,
  opts: { cols?: number; minPx?: number; scale?: Scale } = {},
): MimeBundle {
  const samples = all.slice(0, MAX_SAMPLES);
  const title = samples.length < all.length ? `${heading} (showing the first ${samples.length} of ${all.length})` : heading;
  const rasters = samples.map((s) => imageRaster(s.data, shape, opts.minPx ?? 56, opts.scale ?? imageScale(s.data)));
  // Cell width: the image or the monospace caption (≈ 7.2 px a character), whichever is wider, plus padding.
  const cellW = Math.max(...rasters.map((r) => r.width), ...samples.map((s) => s.caption.length * 7.2 + 8)) + 8;
  const cols = opts.cols ?? balancedColumns(samples.length, Math.min(10, Math.floor(SAMPLES_MAX_WIDTH / cellW)));
  const cells = samples.map((s, i) => {
    const { raster, base64 } = encoded(rasters[i]);
    const style = `font:12px monospace;text-align:center;padding:2px 4px${s.color ? `;color:${s.color}` : ''}`;
    return `<td style="padding:2px;text-align:center;vertical-align:top">${imgTag(base64, raster, s.caption)}<div style="${style}">${escapeHtml(s.caption)}</div></td>`;
  });
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += cols) rows.push(`<tr>${cells.slice(i, i + cols).join('')}</tr>`);
  const html = `<div><div style="font:12px sans-serif;margin:2px 0">${escapeHtml(title)}</div><table style="border-collapse:collapse">${rows.join('')}</table></div>`;
  const plain = `${title}\n${samples.map((s, i) => `[${i}] ${s.caption}`).join('\n')}`;
  return { 'text/plain': plain, 'text/html': html };
}

function sliceOf(a: ArrayLike<number>, start: number, len: number): Float64Array {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = a[start + i];
  return out;
}

function isConstant(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return false;
  return true;
}

function channelMean(a: ArrayLike<number>, c: number, plane: number): Float64Array {
  const out = new Float64Array(plane);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < plane; i++) out[i] += a[ch * plane + i] / c;
  return out;
}

/** One symmetric range over every filter's channel mean, so tiles compare with each other. */
function meanRange(weights: ArrayLike<number>, F: number, C: number, plane: number): Scale {
  const all = new Float64Array(F * plane);
  for (let f = 0; f < F; f++) all.set(channelMean(sliceOf(weights, f * C * plane, C * plane), C, plane), f * plane);
  return valueRange(all, 'symmetric');
}

function filterText(weights: ArrayLike<number>, F: number, C: number, plane: number): string {
  const lines: string[] = [];
  for (let f = 0; f < Math.min(F, 8); f++) {
    const w = sliceOf(weights, f * C * plane, C * plane);
    const { lo, hi } = valueRange(w, 'minmax');
    let norm = 0;
    for (const v of w) norm += v * v;
    lines.push(`  filter ${f}: min ${fmt(lo)}  max ${fmt(hi)}  L2 ${fmt(Math.sqrt(norm))}`);
  }
  if (F > 8) lines.push(`  … ${F - 8} more`);
  return lines.join('\n');
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}
