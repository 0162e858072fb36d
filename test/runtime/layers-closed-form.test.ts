// Closed-form expectations: values worked out by hand rather than by another implementation.
import { describe, expect, it } from 'vitest';
import { avgpoolBackward, avgpoolForward } from '../../runtime/layers/avgpool.js';
import { batchnormForward } from '../../runtime/layers/batchnorm.js';
import { conv2dColsSize, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { dropoutForward, dropoutMask } from '../../runtime/layers/dropout.js';
import { maxpoolBackward, maxpoolForward, type PoolShape } from '../../runtime/layers/maxpool.js';
import { initWeights } from '../../runtime/init.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';

const image3 = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);

function conv(x: Float64Array, w: Float64Array, b: number, s: Omit<Conv2dShape, 'c' | 'f'>): Float64Array {
  const shape: Conv2dShape = { ...s, c: 1, f: 1 };
  const y = new Float64Array(shape.ho * shape.wo);
  conv2dForward(y, x, w, new Float64Array([b]), 1, shape, new Float64Array(conv2dColsSize(shape)));
  return y;
}

describe('conv2d by hand', () => {
  it('correlates a 2×2 kernel over a 3×3 image without flipping it', () => {
    const y = conv(image3, new Float64Array([1, 2, 3, 4]), 1, {
      h: 3,
      w: 3,
      kh: 2,
      kw: 2,
      sh: 1,
      sw: 1,
      top: 0,
      left: 0,
      replicate: false,
      ho: 2,
      wo: 2,
    });
    // e.g. top-left: 1·1 + 2·2 + 4·3 + 5·4 + bias 1 = 38 (a flipped kernel would give 24)
    expect(Array.from(y)).toEqual([38, 48, 68, 78]);
  });

  it('replicate padding copies the edge pixels, corners included; zero padding reads 0', () => {
    const geom = { h: 3, w: 3, kh: 1, kw: 1, sh: 1, sw: 1, top: 1, left: 1, ho: 5, wo: 5 };
    const rep = conv(image3, new Float64Array([1]), 0, { ...geom, replicate: true });
    expect(Array.from(rep)).toEqual([1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9, 7, 7, 8, 9, 9]);
    const zero = conv(image3, new Float64Array([1]), 0, { ...geom, replicate: false });
    expect(Array.from(zero)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0, 0, 0, 0, 0]);
  });

  it('strided 3×3 sum with two pixels of replicate padding on top only', () => {
    // Rows seen: padded rows [1,2,3],[1,2,3],[1,2,3],[4,5,6],[7,8,9]; windows at rows 0 and 2, columns 0.
    const y = conv(image3, new Float64Array(9).fill(1), 0, {
      h: 3,
      w: 3,
      kh: 3,
      kw: 3,
      sh: 2,
      sw: 1,
      top: 2,
      left: 0,
      replicate: true,
      ho: 2,
      wo: 1,
    });
    expect(Array.from(y)).toEqual([18, 45]);
  });
});

describe('pooling by hand', () => {
  const s: PoolShape = { c: 1, h: 2, w: 4, kh: 2, kw: 2, sh: 2, sw: 2, ho: 1, wo: 2 };
  it('max-pool routes the gradient to the winner only, the first of tied values', () => {
    const x = new Float64Array([1, 7, 3, 3, 7, 2, 3, 0]);
    const y = new Float64Array(2),
      arg = new Int32Array(2);
    maxpoolForward(y, arg, x, 1, s);
    expect(Array.from(y)).toEqual([7, 3]);
    const dx = new Float64Array(8);
    maxpoolBackward(dx, new Float64Array([10, 20]), arg, 1, s);
    expect(Array.from(dx)).toEqual([0, 10, 20, 0, 0, 0, 0, 0]);
  });

  it('avg-pool divides by the window size, and overlapping windows add up', () => {
    const x = new Float64Array([1, 7, 3, 3, 7, 2, 3, 0]);
    const y = new Float64Array(2);
    avgpoolForward(y, x, 1, s);
    expect(Array.from(y)).toEqual([17 / 4, 9 / 4]);
    const over: PoolShape = { c: 1, h: 2, w: 3, kh: 2, kw: 2, sh: 1, sw: 1, ho: 1, wo: 2 };
    const dx = new Float64Array(6);
    avgpoolBackward(dx, new Float64Array([4, 8]), 1, over);
    expect(Array.from(dx)).toEqual([1, 3, 2, 1, 3, 2]);
  });
});

describe('inverted dropout', () => {
  it('keeps the expectation: the mean over many masks approaches the input', () => {
    const len = 50,
      p = 0.3,
      rounds = 4000;
    const x = Float64Array.from({ length: len }, (_, i) => i + 1);
    const mask = new Float64Array(len),
      y = new Float64Array(len),
      sum = new Float64Array(len);
    const rng = createRng(1);
    let zeros = 0;
    for (let r = 0; r < rounds; r++) {
      dropoutMask(mask, len, p, rng);
      dropoutForward(y, x, mask, len);
      for (let i = 0; i < len; i++) {
        sum[i] += y[i];
        if (mask[i] === 0) zeros++;
        else expect(mask[i]).toBeCloseTo(1 / (1 - p), 12);
      }
    }
    expect(zeros / (len * rounds)).toBeCloseTo(p, 2);
    // Relative standard error per element is √(p/(1−p)/rounds) ≈ 0.0103; 5σ bound.
    for (let i = 0; i < len; i++) expect(Math.abs(sum[i] / rounds / x[i] - 1)).toBeLessThan(0.052);
  });

  it('is the identity at evaluation time inside a net', () => {
    const net = createNet(
      { name: 'd', input: { c: 1, h: 2, w: 3 }, layers: [{ kind: 'dropout', name: 'drop', rate: 0.5 }], loss: 'mse', frozen: [] },
      { dtype: 'float64' },
    );
    const x = new Float64Array([1, -2, 3, 4, 5, -6]);
    expect(Array.from(net.forward(x, 1, 'eval'))).toEqual(Array.from(x));
    const train = Array.from(net.forward(x, 1, 'train', createRng(3)));
    expect(train.every((v, i) => v === 0 || v === 2 * x[i])).toBe(true);
    expect(train.some((v) => v === 0)).toBe(true);
  });
});

describe('batchnorm by hand', () => {
  it('normalises each channel to mean 0, variance 1 and moves running stats by momentum', () => {
    // Two examples, two channels, 1×2 maps: channel 0 holds 1,3,5,7; channel 1 holds 10,10,10,14.
    const x = new Float64Array([1, 3, 10, 10, 5, 7, 10, 14]);
    const s = { n: 2, c: 2, plane: 2, eps: 0, momentum: 0.1 };
    const y = new Float64Array(8),
      xhat = new Float64Array(8),
      inv = new Float64Array(2);
    const rm = new Float64Array([0, 0]),
      rv = new Float64Array([1, 1]);
    batchnormForward(y, xhat, inv, x, new Float64Array([2, 1]), new Float64Array([1, 0]), rm, rv, s, true);
    // channel 0: mean 4, biased var 5 → x̂ = (x−4)/√5; y = 2x̂ + 1
    const r5 = Math.sqrt(5);
    [1, 3, 5, 7].forEach((v, i) => expect(y[[0, 1, 4, 5][i]]).toBeCloseTo((2 * (v - 4)) / r5 + 1, 12));
    // channel 1: mean 11, biased var 3 → x̂ = (x−11)/√3
    [10, 10, 10, 14].forEach((v, i) => expect(y[[2, 3, 6, 7][i]]).toBeCloseTo((v - 11) / Math.sqrt(3), 12));
    // running: 0.9·old + 0.1·batch, unbiased variance (5·4/3, 3·4/3)
    expect(rm[0]).toBeCloseTo(0.4, 12);
    expect(rm[1]).toBeCloseTo(1.1, 12);
    expect(rv[0]).toBeCloseTo(0.9 + 0.1 * (20 / 3), 12);
    expect(rv[1]).toBeCloseTo(0.9 + 0.1 * 4, 12);
  });
});

describe('initialisation', () => {
  it('He draws have std √(2/fan_in); Glorot draws stay within ±√(6/(in+out)) with variance a²/3', () => {
    const n = 40000;
    const he = new Float64Array(n);
    initWeights(he, 'he', 50, 10, createRng(5));
    const mean = he.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(he.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std / Math.sqrt(2 / 50)).toBeCloseTo(1, 1);
    const gl = new Float64Array(n);
    initWeights(gl, 'glorot', 30, 70, createRng(6));
    const a = Math.sqrt(6 / 100);
    expect(Math.max(...gl)).toBeLessThanOrEqual(a);
    expect(Math.min(...gl)).toBeGreaterThanOrEqual(-a);
    const v = gl.reduce((s, b) => s + b * b, 0) / n;
    expect(v / ((a * a) / 3)).toBeCloseTo(1, 1);
  });
});
