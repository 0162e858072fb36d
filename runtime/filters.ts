// Hand-sized image filtering for the teaching demos: named 2-D kernels, per-channel correlation
// ("convolution" as CNN layers compute it), true convolution (kernel rotated 180°), 1-D convolution
// and pooling. Plain float64 loops, exact and small; deliberately shares nothing with the training layers.
import type { Pair, Shape3 } from './spec.js';

/** An image or feature map: data (c, h, w). */
export interface Planes {
  data: Float32Array;
  shape: Shape3;
}

/** A 2-D kernel: data (h, w), row-major. */
export interface Kernel {
  data: Float32Array;
  h: number;
  w: number;
}

export type Padding = 'valid' | 'same' | 'replicate';

export interface FilterOptions {
  /** Box-blur side / gaussian window side (odd sizes centre the kernel). */
  size?: number;
  /** Gaussian standard deviation in pixels. */
  sigma?: number;
}

function kernel(rows: number[][]): Kernel {
  return { data: Float32Array.from(rows.flat()), h: rows.length, w: rows[0].length };
}

function box(size: number): Kernel {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`box size must be a whole number ≥ 1, got ${size}`);
  return { data: new Float32Array(size * size).fill(1 / (size * size)), h: size, w: size };
}

/** Sampled exp(−(x²+y²)/2σ²) over a size×size window, normalised to sum 1 (so flat regions keep their value). */
function gaussian(sigma: number, size?: number): Kernel {
  if (!(sigma > 0)) throw new RangeError(`gaussian sigma must be > 0, got ${sigma}`);
  const n = size ?? 2 * Math.ceil(3 * sigma) + 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussian size must be a whole number ≥ 1, got ${n}`);
  const c = (n - 1) / 2;
  const g = Array.from({ length: n }, (_, i) => Math.exp(-((i - c) ** 2) / (2 * sigma * sigma)));
  const sum = g.reduce((a, b) => a + b, 0);
  const data = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) data[y * n + x] = (g[y] * g[x]) / (sum * sum);
  return { data, h: n, w: n };
}

/**
 * The named filters, one row each: how its kernel is made and what it shows. The signs are for
 * correlation (what convolve2d computes): sobel_x is positive where brightness rises to the right.
 */
export const filters = {
  identity: {
    doc: 'leaves the image unchanged',
    make: () =>
      kernel([
        [0, 0, 0],
        [0, 1, 0],
        [0, 0, 0],
      ]),
  },
  blur: { doc: 'box blur: mean of a size×size window (default 3)', make: (o: FilterOptions) => box(o.size ?? 3) },
  box: { doc: 'same as blur', make: (o: FilterOptions) => box(o.size ?? 3) },
  gaussian: {
    doc: 'gaussian blur with sigma (default 1) over a window of 2·ceil(3σ)+1 unless size is given',
    make: (o: FilterOptions) => gaussian(o.sigma ?? 1, o.size),
  },
  sobel_x: {
    doc: 'horizontal gradient: responds to vertical edges, positive where it gets brighter to the right',
    make: () =>
      kernel([
        [-1, 0, 1],
        [-2, 0, 2],
        [-1, 0, 1],
      ]),
  },
  sobel_y: {
    doc: 'vertical gradient: responds to horizontal edges, positive where it gets brighter downwards',
    make: () =>
      kernel([
        [-1, -2, -1],
        [0, 0, 0],
        [1, 2, 1],
      ]),
  },
  laplacian: {
    doc: '4-neighbour Laplacian: second derivative, zero on flat regions and linear ramps',
    make: () =>
      kernel([
        [0, 1, 0],
        [1, -4, 1],
        [0, 1, 0],
      ]),
  },
  outline: {
    doc: '8-neighbour outline: centre minus its neighbours, zero on flat regions',
    make: () =>
      kernel([
        [-1, -1, -1],
        [-1, 8, -1],
        [-1, -1, -1],
      ]),
  },
  sharpen: {
    doc: 'image plus its 4-neighbour detail: flat regions unchanged, edges exaggerated',
    make: () =>
      kernel([
        [0, -1, 0],
        [-1, 5, -1],
        [0, -1, 0],
      ]),
  },
  edge: {
    doc: 'diagonal edge detector: difference of opposite corners',
    make: () =>
      kernel([
        [1, 0, -1],
        [0, 0, 0],
        [-1, 0, 1],
      ]),
  },
  emboss: {
    doc: 'relief effect lit from the top left',
    make: () =>
      kernel([
        [-2, -1, 0],
        [-1, 1, 1],
        [0, 1, 2],
      ]),
  },
} satisfies Record<string, { doc: string; make: (o: FilterOptions) => Kernel }>;

export type FilterName = keyof typeof filters;

export function filterKernel(name: FilterName, opts: FilterOptions = {}): Kernel {
  return filters[name].make(opts);
}

/** The kernel turned by 180° (flipped in both axes): correlation with it is true convolution. */
export function rotate180(k: Kernel): Kernel {
  const data = new Float32Array(k.data.length);
  for (let i = 0; i < data.length; i++) data[i] = k.data[data.length - 1 - i];
  return { data, h: k.h, w: k.w };
}

function pair(v: number | Pair): Pair {
  return typeof v === 'number' ? [v, v] : v;
}

/** Padding before/after along one axis: none for 'valid', else TF-style "same" (output ceil(n/s), odd pixel after). */
function padAmounts(n: number, k: number, s: number, padding: Padding): [number, number] {
  if (padding === 'valid') return [0, 0];
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Output length along one axis: floor((n + before + after − k)/s) + 1. */
export function outputSize(n: number, k: number, stride: number, padding: Padding): number {
  const [a, b] = padAmounts(n, k, stride, padding);
  return Math.floor((n + a + b - k) / stride) + 1;
}

/**
 * Cross-correlation of each channel with the kernel: y[c,i,j] = Σ_u,v x[c, i·s+u−pt, j·s+v−pl] · k[u,v].
 * image (c, h, w) → (c, ho, wo). Outside the image: 0 for 'same', the nearest edge pixel for 'replicate'.
 */
export function convolve2d(image: Planes, k: Kernel, opts: { stride?: number | Pair; padding?: Padding } = {}): Planes {
  const [sh, sw] = pair(opts.stride ?? 1);
  const padding = opts.padding ?? 'valid';
  const { c, h, w } = image.shape;
  if (!(sh >= 1 && sw >= 1 && Number.isInteger(sh) && Number.isInteger(sw)))
    throw new RangeError(`stride must be whole numbers ≥ 1, got ${sh}×${sw}`);
  const [pt] = padAmounts(h, k.h, sh, padding);
  const [pl] = padAmounts(w, k.w, sw, padding);
  const ho = outputSize(h, k.h, sh, padding);
  const wo = outputSize(w, k.w, sw, padding);
  if (ho < 1 || wo < 1) throw new RangeError(`a ${k.h}×${k.w} kernel does not fit in a ${h}×${w} image with ${padding} padding`);
  const out = new Float32Array(c * ho * wo);
  const x = image.data;
  for (let ch = 0; ch < c; ch++) {
    const base = ch * h * w;
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        let acc = 0; // float64 accumulator: exact enough that closed-form tests can compare tightly
        for (let u = 0; u < k.h; u++) {
          let y = i * sh + u - pt;
          if (y < 0 || y >= h) {
            if (padding !== 'replicate') continue;
            y = y < 0 ? 0 : h - 1;
          }
          for (let v = 0; v < k.w; v++) {
            let xx = j * sw + v - pl;
            if (xx < 0 || xx >= w) {
              if (padding !== 'replicate') continue;
              xx = xx < 0 ? 0 : w - 1;
            }
            acc += x[base + y * w + xx] * k.data[u * k.w + v];
          }
        }
        out[(ch * ho + i) * wo + j] = acc;
      }
    }
  }
  return { data: out, shape: { c, h: ho, w: wo } };
}

/** Convolution in the mathematical sense: correlation with the kernel rotated 180°. */
export function trueConvolve2d(image: Planes, k: Kernel, opts: { stride?: number | Pair; padding?: Padding } = {}): Planes {
  return convolve2d(image, rotate180(k), opts);
}

/**
 * 1-D sliding window in 'valid' mode, as correlation like convolve2d: y[i] = Σ_j x[i+j]·k[j],
 * length n − m + 1. (numpy.convolve flips the kernel; use trueConvolve1d for that.)
 */
export function convolve1d(series: ArrayLike<number>, k: ArrayLike<number>): Float32Array {
  const n = series.length;
  const m = k.length;
  if (m < 1 || m > n) throw new RangeError(`a kernel of length ${m} does not fit in a series of length ${n}`);
  const out = new Float32Array(n - m + 1);
  for (let i = 0; i < out.length; i++) {
    let acc = 0;
    for (let j = 0; j < m; j++) acc += series[i + j] * k[j];
    out[i] = acc;
  }
  return out;
}

/** 1-D convolution with the kernel reversed (numpy.convolve(x, k, 'valid')). */
export function trueConvolve1d(series: ArrayLike<number>, k: ArrayLike<number>): Float32Array {
  return convolve1d(series, Array.from(k).reverse());
}

/**
 * Max or average pooling per channel over size windows moved by stride (default = size), no padding:
 * image (c, h, w) → (c, floor((h − kh)/sh) + 1, floor((w − kw)/sw) + 1).
 */
export function pool2d(image: Planes, mode: 'max' | 'avg', size: number | Pair, stride?: number | Pair): Planes {
  const [kh, kw] = pair(size);
  const [sh, sw] = pair(stride ?? size);
  const { c, h, w } = image.shape;
  if (!(kh >= 1 && kw >= 1 && sh >= 1 && sw >= 1)) throw new RangeError('pool size and stride must be ≥ 1');
  const ho = Math.floor((h - kh) / sh) + 1;
  const wo = Math.floor((w - kw) / sw) + 1;
  if (ho < 1 || wo < 1) throw new RangeError(`a ${kh}×${kw} pool window does not fit in a ${h}×${w} image`);
  const out = new Float32Array(c * ho * wo);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        let acc = mode === 'max' ? -Infinity : 0;
        for (let u = 0; u < kh; u++) {
          for (let v = 0; v < kw; v++) {
            const val = image.data[(ch * h + i * sh + u) * w + j * sw + v];
            acc = mode === 'max' ? Math.max(acc, val) : acc + val;
          }
        }
        out[(ch * ho + i) * wo + j] = mode === 'max' ? acc : acc / (kh * kw);
      }
    }
  }
  return { data: out, shape: { c, h: ho, w: wo } };
}
