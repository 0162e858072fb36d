// By-hand image operations shown side by side: a convolution (original, filter, result) and pooling
// (before, after at the same display size), plus the 1-D moving-average plot. The session computes the
// results; this file only lays them out. Signed results use bwr (0 at white); non-negative ones stay grey.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import { fmt, imageRaster } from './grid.js';
import { encoded, escapeHtml, imgTag } from './html.js';
import { extent, mapToRaster, upscale, upscaleFactor, type Raster } from './png.js';
import { seriesPlot } from './plot.js';

export interface Image3 {
  data: ArrayLike<number>;
  shape: Shape3;
}

/** Tiles with captions in one row of an HTML table; the text/plain twin is passed in. */
function sideBySide(tiles: { raster: Raster; caption: string }[], title: string, plain: string): MimeBundle {
  const cells = tiles.map((t) => {
    const { raster, base64 } = encoded(t.raster);
    // A thin frame, because a filter's zero weights are white and would vanish into the page.
    const img = imgTag(base64, raster, t.caption).replace('style="', 'style="border:1px solid #999;');
    return `<td style="padding:4px;text-align:center;vertical-align:bottom">${img}<div style="font:12px sans-serif">${escapeHtml(t.caption)}</div></td>`;
  });
  return {
    'text/plain': plain,
    'text/html': `<div><div style="font:12px sans-serif;margin:2px 0">${escapeHtml(title)}</div><table style="border-collapse:collapse"><tr>${cells.join('')}</tr></table></div>`,
  };
}

/** A plane (h, w) shown grey when non-negative, bwr around 0 when signed; and which it chose. */
function signedRaster(data: ArrayLike<number>, h: number, w: number, px: number): { raster: Raster; signed: boolean } {
  const { lo } = extent(data);
  const signed = lo < 0;
  const r = signed ? mapToRaster(data, h, w, 'bwr', 'symmetric') : mapToRaster(data, h, w, 'gray', 'minmax');
  return { raster: upscale(r, upscaleFactor(w, h, px)), signed };
}

/** Mean over channels of (c, h, w), so a colour image's result shows as one plane. */
function plane(img: Image3): ArrayLike<number> {
  const { c, h, w } = img.shape;
  if (c === 1) return img.data;
  const out = new Float64Array(h * w);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[i] += img.data[ch * h * w + i] / c;
  return out;
}

export interface ConvolveShow {
  input: Image3;
  /** Filter rows (Kh × Kw). */
  filter: number[][];
  filterName?: string;
  result: Image3;
  stride: [number, number];
  padding: string;
}

export function convolveBundle(x: ConvolveShow): MimeBundle {
  const px = 140;
  const kh = x.filter.length;
  const kw = x.filter[0]?.length ?? 0;
  const flat = x.filter.flat();
  const filterTile = upscale(mapToRaster(flat, kh, kw, 'bwr', 'symmetric'), upscaleFactor(kw, kh, Math.min(px, 20 * Math.max(kh, kw))));
  const out = signedRaster(plane(x.result), x.result.shape.h, x.result.shape.w, px);
  const { lo, hi } = extent(x.result.data);
  const name = x.filterName ?? 'filter';
  const { c, h, w } = x.input.shape;
  const rs = x.result.shape;
  const title = `convolve: ${c}×${h}×${w} image with ${kh}×${kw} ${name} (stride ${x.stride.join('×')}, padding ${x.padding}) → ${rs.h}×${rs.w}`;
  const outCaption = `result ${rs.h}×${rs.w}, ${fmt(lo)}..${fmt(hi)}${out.signed ? ' (blue < 0 < red)' : ''}${rs.c > 1 ? `, mean of ${rs.c} channels` : ''}`;
  const plain = [title, `${name}:`, ...x.filter.map((r) => '  ' + r.map((v) => fmt(v).padStart(7)).join(' ')), outCaption].join('\n');
  return sideBySide(
    [
      { raster: imageRaster(x.input.data, x.input.shape, px), caption: `original ${h}×${w}` },
      { raster: filterTile, caption: `${name} ${kh}×${kw}` },
      { raster: out.raster, caption: outCaption },
    ],
    title,
    plain,
  );
}

export interface PoolShow {
  input: Image3;
  output: Image3;
  op: 'max' | 'avg';
  size: [number, number];
  stride: [number, number];
}

/** Before and after pooling, drawn at the same display width so the coarser grid is visible. */
export function poolBundle(x: PoolShow): MimeBundle {
  const px = 140;
  const before = imageRaster(x.input.data, x.input.shape, px);
  const o = x.output.shape;
  const after = upscale(imageRaster(x.output.data, o, 1), Math.max(1, Math.round(before.width / o.w)));
  const title = `${x.op} pool ${x.size.join('×')} stride ${x.stride.join('×')}: ${x.input.shape.h}×${x.input.shape.w} → ${o.h}×${o.w}`;
  return sideBySide(
    [
      { raster: before, caption: `before ${x.input.shape.h}×${x.input.shape.w}` },
      { raster: after, caption: `after ${o.h}×${o.w}` },
    ],
    title,
    title,
  );
}

/** `convolve1d`: the series and its filtered version; text/plain lists the numbers when they are few. */
export async function movingAverageBundle(series: number[], kernel: number[], result: number[]): Promise<MimeBundle> {
  const name =
    kernel.every((k) => Math.abs(k - kernel[0]) < 1e-12) && Math.abs(kernel[0] * kernel.length - 1) < 1e-9
      ? `moving average (${kernel.length})`
      : `filtered [${kernel.map(fmt).join(', ')}]`;
  const b = await seriesPlot(series, result, { title: `convolve1d: ${name}`, smoothedName: name });
  if (result.length <= 40) b['text/plain'] = `${b['text/plain']}\n  result: [${result.map(fmt).join(', ')}]`;
  return b;
}
