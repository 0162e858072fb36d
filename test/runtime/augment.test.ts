// Augmentation: seeded determinism, independence from batch slicing, shapes, exact flip, noise statistics,
// geometry (a shift moves a pixel, a rotation by 90° turns the image), occlusion size.
import { describe, expect, it } from 'vitest';
import { augmentBatch, applyAugment, drawAugment } from '../../runtime/augment.js';
import { createRng } from '../../runtime/rng.js';

const shape = { c: 2, h: 9, w: 11 };
const size = shape.c * shape.h * shape.w;
function images(n: number): Float32Array {
  const a = new Float32Array(n * size);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 37) % 101) / 100;
  return a;
}

describe('augment', () => {
  const spec = {
    shift: 2,
    rotate: 15,
    scale: 0.1,
    stretch: 0.1,
    flip: true,
    brightness: 0.1,
    contrast: 0.2,
    noise: 0.05,
    occlude: [3, 4] as [number, number],
  };

  it('is deterministic for a seed, differs for another, keeps values in [0,1]', () => {
    const src = images(5);
    const a = new Float32Array(src.length);
    const b = new Float32Array(src.length);
    const c = new Float32Array(src.length);
    augmentBatch(src, a, 5, shape, spec, createRng(7));
    augmentBatch(src, b, 5, shape, spec, createRng(7));
    augmentBatch(src, c, 5, shape, spec, createRng(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const v of a) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('augmenting a batch in slices (first = offset) gives the same result as all at once', () => {
    const src = images(6);
    const whole = new Float32Array(src.length);
    augmentBatch(src, whole, 6, shape, spec, createRng(3));
    const parts = new Float32Array(src.length);
    for (const [start, n] of [
      [0, 2],
      [2, 3],
      [5, 1],
    ]) {
      augmentBatch(src.subarray(start * size), parts.subarray(start * size), n, shape, spec, createRng(3), start);
    }
    expect(parts).toEqual(whole);
  });

  it('flip alone mirrors each row exactly (or leaves the image untouched)', () => {
    const src = images(8);
    const dst = new Float32Array(src.length);
    augmentBatch(src, dst, 8, shape, { flip: true }, createRng(1));
    let flipped = 0;
    for (let k = 0; k < 8; k++) {
      const d = drawAugment({ flip: true }, shape, createRng(1).fork(k));
      if (d.flip) flipped++;
      for (let ch = 0; ch < shape.c; ch++)
        for (let y = 0; y < shape.h; y++)
          for (let x = 0; x < shape.w; x++) {
            const at = (xx: number) => k * size + ch * shape.h * shape.w + y * shape.w + xx;
            expect(dst[at(x)]).toBe(src[at(d.flip ? shape.w - 1 - x : x)]);
          }
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(8);
  });

  it('Gaussian noise on a mid-grey image has mean ≈ 0 and std ≈ σ', () => {
    const s = { c: 1, h: 64, w: 64 };
    const src = new Float32Array(4 * 64 * 64).fill(0.5);
    const dst = new Float32Array(src.length);
    augmentBatch(src, dst, 4, s, { noise: 0.05 }, createRng(11));
    let sum = 0;
    let sq = 0;
    for (const v of dst) {
      sum += v - 0.5;
      sq += (v - 0.5) ** 2;
    }
    const n = dst.length;
    const mean = sum / n;
    const std = Math.sqrt(sq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.003); // 4σ/√n ≈ 0.0016
    expect(std).toBeGreaterThan(0.048);
    expect(std).toBeLessThan(0.052);
  });

  it('a whole-pixel translation moves a pixel and fills with zeros', () => {
    const s = { c: 1, h: 5, w: 5 };
    const src = new Float32Array(25);
    src[2 * 5 + 2] = 1;
    const dst = new Float32Array(25).fill(9);
    const d = { dx: 1, dy: -2, angle: 0, sx: 1, sy: 1, flip: false, brightness: 0, contrast: 1 };
    applyAugment(dst, 0, src, 0, s, {}, d, createRng(0));
    expect(dst[0 * 5 + 3]).toBeCloseTo(1, 12);
    expect(dst.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it('a 90° rotation turns the image (counter-clockwise on screen)', () => {
    const s = { c: 1, h: 3, w: 3 };
    const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = new Float32Array(9);
    applyAugment(
      dst,
      0,
      src,
      0,
      s,
      {},
      { dx: 0, dy: 0, angle: Math.PI / 2, sx: 1, sy: 1, flip: false, brightness: 0, contrast: 1 },
      createRng(0),
    );
    // counter-clockwise: the top row (1 2 3) becomes the left column read bottom-up
    expect(Array.from(dst).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('occlusion zeroes exactly one h×w rectangle in every channel', () => {
    const src = new Float32Array(size).fill(1);
    const dst = new Float32Array(size);
    augmentBatch(src, dst, 1, shape, { occlude: [3, 4] }, createRng(5));
    expect(dst.filter((v) => v === 0).length).toBe(3 * 4 * shape.c);
  });

  it('brightness and contrast act about the image mean', () => {
    const s = { c: 1, h: 1, w: 4 };
    const src = Float32Array.from([0.2, 0.4, 0.6, 0.8]);
    const dst = new Float32Array(4);
    applyAugment(
      dst,
      0,
      src,
      0,
      s,
      {},
      { dx: 0, dy: 0, angle: 0, sx: 1, sy: 1, flip: false, brightness: 0.1, contrast: 0.5 },
      createRng(0),
    );
    [0.45, 0.55, 0.65, 0.75].forEach((w, i) => expect(dst[i]).toBeCloseTo(w, 6));
  });
});
