// Property: for random geometries (sizes, kernels, strides, asymmetric padding, both modes) the
// im2col + matmul convolution equals a direct six-loop correlation that clamps or zeroes by index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2dColsSize, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { windowOut } from '../../runtime/shapes.js';
import { randn } from './gradcheck-util.js';

function direct(x: Float64Array, w: Float64Array, b: Float64Array, n: number, s: Conv2dShape): Float64Array {
  const y = new Float64Array(n * s.f * s.ho * s.wo);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < s.f; f++)
      for (let oh = 0; oh < s.ho; oh++)
        for (let ow = 0; ow < s.wo; ow++) {
          let acc = b[f];
          for (let c = 0; c < s.c; c++)
            for (let ki = 0; ki < s.kh; ki++)
              for (let kj = 0; kj < s.kw; kj++) {
                let ih = oh * s.sh - s.top + ki,
                  iw = ow * s.sw - s.left + kj;
                const inside = ih >= 0 && ih < s.h && iw >= 0 && iw < s.w;
                if (!inside && !s.replicate) continue;
                ih = Math.min(s.h - 1, Math.max(0, ih));
                iw = Math.min(s.w - 1, Math.max(0, iw));
                acc += w[((f * s.c + c) * s.kh + ki) * s.kw + kj] * x[((i * s.c + c) * s.h + ih) * s.w + iw];
              }
          y[((i * s.f + f) * s.ho + oh) * s.wo + ow] = acc;
        }
  return y;
}

const geometry = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  c: fc.integer({ min: 1, max: 3 }),
  f: fc.integer({ min: 1, max: 6 }),
  h: fc.integer({ min: 1, max: 9 }),
  w: fc.integer({ min: 1, max: 9 }),
  kh: fc.integer({ min: 1, max: 5 }),
  kw: fc.integer({ min: 1, max: 5 }),
  sh: fc.integer({ min: 1, max: 3 }),
  sw: fc.integer({ min: 1, max: 3 }),
  top: fc.integer({ min: 0, max: 4 }),
  bottom: fc.integer({ min: 0, max: 4 }),
  left: fc.integer({ min: 0, max: 4 }),
  right: fc.integer({ min: 0, max: 4 }),
  replicate: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1 << 30 }),
});

describe('conv2d forward property', () => {
  it('equals a direct correlation for random geometries', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const ho = windowOut(g.h, g.top + g.bottom, g.kh, g.sh),
          wo = windowOut(g.w, g.left + g.right, g.kw, g.sw);
        fc.pre(ho >= 1 && wo >= 1);
        const s: Conv2dShape = { ...g, ho, wo };
        const x = randn(g.n * g.c * g.h * g.w, g.seed),
          w = randn(g.f * g.c * g.kh * g.kw, g.seed + 1),
          b = randn(g.f, g.seed + 2);
        const y = new Float64Array(g.n * g.f * ho * wo);
        conv2dForward(y, x, w, b, g.n, s, new Float64Array(conv2dColsSize(s)));
        const ref = direct(x, w, b, g.n, s);
        for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref[i])).toBeLessThan(1e-10);
        // The kept-columns path must agree too.
        const y2 = new Float64Array(y.length);
        conv2dForward(y2, x, w, b, g.n, s, new Float64Array(g.n * conv2dColsSize(s)), true);
        expect(Array.from(y2)).toEqual(Array.from(y));
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
