// RGB rasters, value → colour mapping (with min/max or symmetric scaling), nearest-neighbour upscaling
// and PNG encoding (pngjs) to base64 / data: URIs. Pure functions; no layout here (see grid.ts).
import { PNG } from 'pngjs';
import { colorLut, LUT_LEVELS, NON_FINITE_COLOR, type ColorMapName, type Rgb } from './colormaps.js';

/** An 8-bit RGB image, row-major, 3 bytes per pixel. */
export interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/**
 * How values become [0, 1] before the colour map:
 * minmax — per image lo..hi; symmetric — −m..m with m = max |v| (0 lands mid-map, white under bwr);
 * unit — fixed 0..1 (pixel intensities); or an explicit range shared across tiles.
 */
export type Scale = 'minmax' | 'symmetric' | 'unit' | { lo: number; hi: number };

export function createRaster(width: number, height: number, fill: Rgb = [255, 255, 255]): Raster {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set(fill, i * 3);
  return { width, height, rgb };
}

/** The concrete lo..hi a scale means for these values (finite values only; a flat image gets a unit-wide range). */
export function valueRange(data: ArrayLike<number>, scale: Scale): { lo: number; hi: number } {
  if (typeof scale === 'object') return scale;
  if (scale === 'unit') return { lo: 0, hi: 1 };
  const { lo, hi } = extent(data);
  if (lo > hi) return { lo: 0, hi: 1 };
  if (scale === 'symmetric') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m > 0 ? { lo: -m, hi: m } : { lo: -1, hi: 1 };
  }
  // A constant map would divide by zero; centre it instead of flashing it to one end of the map.
  return hi > lo ? { lo, hi } : { lo: lo - 0.5, hi: lo + 0.5 };
}

/** Smallest and largest finite value (lo > hi when there is none). */
export function extent(data: ArrayLike<number>): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}

/** data (h, w) → colour-mapped raster. */
export function mapToRaster(data: ArrayLike<number>, h: number, w: number, cmap: ColorMapName, scale: Scale): Raster {
  const { lo, hi } = valueRange(data, scale);
  const lut = colorLut(cmap);
  const out = createRaster(w, h);
  const top = LUT_LEVELS - 1;
  const k = top / (hi - lo);
  for (let i = 0; i < h * w; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      out.rgb.set(NON_FINITE_COLOR, i * 3);
      continue;
    }
    const j = Math.round(Math.min(top, Math.max(0, (v - lo) * k))) * 3;
    out.rgb[i * 3] = lut[j];
    out.rgb[i * 3 + 1] = lut[j + 1];
    out.rgb[i * 3 + 2] = lut[j + 2];
  }
  return out;
}

/** data (3, h, w) → RGB raster, each channel scaled by the same range. */
export function rgbToRaster(data: ArrayLike<number>, h: number, w: number, scale: Scale): Raster {
  const { lo, hi } = valueRange(data, scale);
  const out = createRaster(w, h);
  const k = 255 / (hi - lo);
  const plane = h * w;
  for (let i = 0; i < plane; i++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = data[ch * plane + i];
      out.rgb[i * 3 + ch] = Number.isFinite(v) ? Math.round(Math.min(255, Math.max(0, (v - lo) * k))) : NON_FINITE_COLOR[ch];
    }
  }
  return out;
}

/** Nearest-neighbour upscaling by an integer factor, so a 5×5 filter stays crisp blocks. */
export function upscale(r: Raster, factor: number): Raster {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return r;
  const out = createRaster(r.width * f, r.height * f);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / f);
    for (let x = 0; x < out.width; x++) {
      const s = (sy * r.width + Math.floor(x / f)) * 3;
      const d = (y * out.width + x) * 3;
      out.rgb[d] = r.rgb[s];
      out.rgb[d + 1] = r.rgb[s + 1];
      out.rgb[d + 2] = r.rgb[s + 2];
    }
  }
  return out;
}

/** The integer factor that brings the larger side to at least minPx (and never shrinks). */
export function upscaleFactor(width: number, height: number, minPx: number): number {
  return Math.max(1, Math.ceil(minPx / Math.max(1, width, height)));
}

/** Average-pool by an integer factor (for feature maps too big to show at full size). */
export function downsample(data: ArrayLike<number>, h: number, w: number, factor: number): { data: Float64Array; h: number; w: number } {
  const oh = Math.ceil(h / factor);
  const ow = Math.ceil(w / factor);
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      let n = 0;
      for (let dy = 0; dy < factor && y * factor + dy < h; dy++) {
        for (let dx = 0; dx < factor && x * factor + dx < w; dx++) {
          s += data[(y * factor + dy) * w + x * factor + dx];
          n++;
        }
      }
      out[y * ow + x] = s / n;
    }
  }
  return { data: out, h: oh, w: ow };
}

export function encodePng(r: Raster): Buffer {
  const png = new PNG({ width: r.width, height: r.height, inputColorType: 2, colorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(r.rgb.buffer, r.rgb.byteOffset, r.rgb.byteLength);
  return PNG.sync.write(png, { inputColorType: 2, colorType: 2, inputHasAlpha: false });
}

/** Base64 PNG, as Jupyter's image/png wants it. */
export function pngBase64(r: Raster): string {
  return encodePng(r).toString('base64');
}

export function pngDataUri(base64: string): string {
  return `data:image/png;base64,${base64}`;
}
