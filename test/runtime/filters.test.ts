// Teaching filters against closed forms: Sobel on a step edge, box blur of a constant, moving
// averages, correlation vs textbook convolution, output sizes with stride/padding, pooling values.
import { describe, expect, it } from 'vitest';
import {
  convolve1d,
  convolve2d,
  filterKernel,
  filters,
  outputSize,
  pool2d,
  rotate180,
  trueConvolve1d,
  trueConvolve2d,
  type Kernel,
  type Planes,
} from '../../runtime/filters.js';

function planes(c: number, h: number, w: number, f: (ch: number, y: number, x: number) => number): Planes {
  const data = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(ch * h + y) * w + x] = f(ch, y, x);
  return { data, shape: { c, h, w } };
}
const rows = (p: Planes) =>
  Array.from({ length: p.shape.c * p.shape.h }, (_, r) => Array.from(p.data.subarray(r * p.shape.w, (r + 1) * p.shape.w)));
/** Deterministic pseudo-random values in [-1, 1) (LCG), so tests never call Math.random. */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

describe('named kernels', () => {
  it('box blur and gaussian sum to 1; gaussian is symmetric and peaks in the centre', () => {
    const sum = (k: Kernel) => k.data.reduce((a, b) => a + b, 0);
    expect(sum(filterKernel('blur', { size: 5 }))).toBeCloseTo(1, 6);
    const g = filterKernel('gaussian', { sigma: 1 });
    expect([g.h, g.w]).toEqual([7, 7]);
    expect(sum(g)).toBeCloseTo(1, 6);
    expect(Array.from(g.data)).toEqual(Array.from(rotate180(g).data));
    expect(Math.max(...g.data)).toBe(g.data[24]);
    // ratio of neighbouring samples is exp(-1/2) for sigma 1
    expect(g.data[25] / g.data[24]).toBeCloseTo(Math.exp(-0.5), 5);
  });
  it('every named filter makes a kernel with its documented size', () => {
    for (const name of Object.keys(filters) as (keyof typeof filters)[]) {
      const k = filterKernel(name);
      expect(k.data.length).toBe(k.h * k.w);
      expect(filters[name].doc.length).toBeGreaterThan(5);
    }
  });
  it('rejects bad parameters', () => {
    expect(() => filterKernel('blur', { size: 0 })).toThrow(RangeError);
    expect(() => filterKernel('gaussian', { sigma: 0 })).toThrow(/sigma must be > 0/);
  });
});

describe('convolve2d (correlation)', () => {
  // 5×6 image, 0 on the left three columns and 1 on the right three: a vertical step edge
  const step = planes(1, 5, 6, (_c, _y, x) => (x >= 3 ? 1 : 0));

  it('sobel_x responds with 4 across a rising vertical edge and 0 elsewhere; sobel_y sees nothing', () => {
    const gx = convolve2d(step, filterKernel('sobel_x'));
    expect(gx.shape).toEqual({ c: 1, h: 3, w: 4 });
    expect(rows(gx)).toEqual([
      [0, 4, 4, 0],
      [0, 4, 4, 0],
      [0, 4, 4, 0],
    ]);
    expect(Array.from(convolve2d(step, filterKernel('sobel_y')).data).every((v) => v === 0)).toBe(true);
  });
  it('true convolution flips the sign of the antisymmetric Sobel response', () => {
    expect(rows(trueConvolve2d(step, filterKernel('sobel_x')))).toEqual([
      [0, -4, -4, 0],
      [0, -4, -4, 0],
      [0, -4, -4, 0],
    ]);
  });
  it('box blur of a constant: constant inside; zero padding darkens the border, replicate does not', () => {
    const flat = planes(1, 4, 4, () => 0.6);
    const valid = convolve2d(flat, filterKernel('blur'));
    expect(valid.shape).toEqual({ c: 1, h: 2, w: 2 });
    valid.data.forEach((v) => expect(v).toBeCloseTo(0.6, 6));
    const same = convolve2d(flat, filterKernel('blur'), { padding: 'same' });
    expect(same.shape).toEqual({ c: 1, h: 4, w: 4 });
    expect(same.data[0]).toBeCloseTo((0.6 * 4) / 9, 6); // corner sees 4 of 9
    expect(same.data[1]).toBeCloseTo((0.6 * 6) / 9, 6); // edge sees 6 of 9
    expect(same.data[5]).toBeCloseTo(0.6, 6);
    convolve2d(flat, filterKernel('blur'), { padding: 'replicate' }).data.forEach((v) => expect(v).toBeCloseTo(0.6, 6));
  });
  it('laplacian and outline vanish on a linear ramp / constant; sharpen keeps a constant', () => {
    const ramp = planes(1, 5, 5, (_c, y, x) => 0.1 * x + 0.05 * y);
    convolve2d(ramp, filterKernel('laplacian')).data.forEach((v) => expect(v).toBeCloseTo(0, 6));
    convolve2d(ramp, filterKernel('outline')).data.forEach((v) => expect(v).toBeCloseTo(0, 6));
    convolve2d(
      planes(1, 4, 4, () => 0.3),
      filterKernel('sharpen'),
    ).data.forEach((v) => expect(v).toBeCloseTo(0.3, 6));
  });
  it('filters each channel separately', () => {
    const rgb = planes(3, 4, 5, (ch, y, x) => (ch + 1) * ((x * 7 + y * 3) % 5));
    const out = convolve2d(rgb, filterKernel('emboss'));
    const plane = out.shape.h * out.shape.w;
    for (let p = 0; p < plane; p++) {
      expect(out.data[plane + p]).toBeCloseTo(2 * out.data[p], 5);
      expect(out.data[2 * plane + p]).toBeCloseTo(3 * out.data[p], 5);
    }
  });
  it('true convolution matches the textbook sum Σ x[m]·k[n−m] (valid part), correlation with the rotated kernel', () => {
    const H = 6;
    const W = 7;
    const img = planes(1, H, W, (_c, y, x) => values(H * W, 3)[y * W + x]);
    const k: Kernel = { data: Float32Array.from(values(6, 9)), h: 2, w: 3 };
    const conv = trueConvolve2d(img, k);
    expect(conv.shape).toEqual({ c: 1, h: H - 1, w: W - 2 });
    for (let i = 0; i < conv.shape.h; i++) {
      for (let j = 0; j < conv.shape.w; j++) {
        const n = [i + k.h - 1, j + k.w - 1]; // index into the full convolution
        let s = 0;
        for (let my = 0; my < H; my++)
          for (let mx = 0; mx < W; mx++) {
            const u = n[0] - my;
            const v = n[1] - mx;
            if (u >= 0 && u < k.h && v >= 0 && v < k.w) s += img.data[my * W + mx] * k.data[u * k.w + v];
          }
        expect(conv.data[i * conv.shape.w + j]).toBeCloseTo(s, 5);
      }
    }
    const corr = convolve2d(img, k);
    expect(Array.from(corr.data)).not.toEqual(Array.from(conv.data));
    expect(Array.from(convolve2d(img, rotate180(k)).data)).toEqual(Array.from(conv.data));
  });
  it('output sizes with stride and padding: floor((n+p−k)/s)+1, same = ceil(n/s)', () => {
    const img = planes(1, 5, 5, () => 1);
    const k3 = filterKernel('blur');
    expect(convolve2d(img, k3, { stride: 2 }).shape).toEqual({ c: 1, h: 2, w: 2 });
    expect(convolve2d(img, k3, { stride: 2, padding: 'same' }).shape).toEqual({ c: 1, h: 3, w: 3 });
    expect(convolve2d(img, k3, { stride: [1, 2], padding: 'replicate' }).shape).toEqual({ c: 1, h: 5, w: 3 });
    expect([
      outputSize(28, 5, 1, 'valid'),
      outputSize(28, 5, 1, 'same'),
      outputSize(28, 3, 2, 'same'),
      outputSize(7, 2, 3, 'valid'),
    ]).toEqual([24, 28, 14, 2]);
    expect(() =>
      convolve2d(
        planes(1, 2, 2, () => 0),
        k3,
      ),
    ).toThrow(/does not fit/);
  });
  it('stride picks every s-th window; even kernels pad the extra pixel bottom/right under same', () => {
    const grid = planes(1, 4, 4, (_c, y, x) => 4 * y + x);
    expect(rows(convolve2d(grid, { data: Float32Array.of(1), h: 1, w: 1 }, { stride: 2 }))).toEqual([
      [0, 2],
      [8, 10],
    ]);
    const small = planes(1, 2, 2, (_c, y, x) => 1 + 2 * y + x); // [[1,2],[3,4]]
    const ones: Kernel = { data: new Float32Array(4).fill(1), h: 2, w: 2 };
    expect(rows(convolve2d(small, ones, { padding: 'same' }))).toEqual([
      [10, 6],
      [7, 4],
    ]);
    expect(rows(convolve2d(small, ones, { padding: 'replicate' }))).toEqual([
      [10, 12],
      [14, 16],
    ]);
  });
});

describe('convolve1d', () => {
  it('moving average of 3 over 1..6 is 2,3,4,5', () => {
    const out = convolve1d([1, 2, 3, 4, 5, 6], [1 / 3, 1 / 3, 1 / 3]);
    expect(out.length).toBe(4);
    [2, 3, 4, 5].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
  });
  it('correlation vs convolution on an asymmetric kernel (numpy.convolve valid = [2, 2])', () => {
    expect(Array.from(convolve1d([1, 2, 3, 4], [1, 0, -1]))).toEqual([-2, -2]);
    expect(Array.from(trueConvolve1d([1, 2, 3, 4], [1, 0, -1]))).toEqual([2, 2]);
    expect(() => convolve1d([1, 2], [1, 1, 1])).toThrow(RangeError);
  });
});

describe('pool2d', () => {
  const grid = planes(1, 4, 4, (_c, y, x) => 4 * y + x);
  it('2×2 max and average pooling with stride 2', () => {
    expect(rows(pool2d(grid, 'max', 2))).toEqual([
      [5, 7],
      [13, 15],
    ]);
    expect(rows(pool2d(grid, 'avg', 2))).toEqual([
      [2.5, 4.5],
      [10.5, 12.5],
    ]);
  });
  it('overlapping 3×3 windows with stride 1, and a window that leaves a remainder', () => {
    expect(rows(pool2d(grid, 'max', 3, 1))).toEqual([
      [10, 11],
      [14, 15],
    ]);
    expect(
      pool2d(
        planes(2, 5, 5, () => 0),
        'max',
        2,
      ).shape,
    ).toEqual({ c: 2, h: 2, w: 2 });
    expect(() => pool2d(grid, 'max', 5)).toThrow(/does not fit/);
  });
  it('max pooling of negative values is the largest negative, not 0', () => {
    expect(
      Array.from(
        pool2d(
          planes(1, 2, 2, (_c, y, x) => -1 - y - x),
          'max',
          2,
        ).data,
      ),
    ).toEqual([-1]);
  });
});
