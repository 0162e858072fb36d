// Float64 central-difference checks for pools, dense, activations, dropout (fixed mask),
// batch-norm (train and eval) and both losses.
import { describe, expect, it } from 'vitest';
import { activations } from '../../runtime/layers/activation.js';
import { avgpoolBackward, avgpoolForward } from '../../runtime/layers/avgpool.js';
import { batchnormBackward, batchnormForward } from '../../runtime/layers/batchnorm.js';
import { denseBackward, denseForward } from '../../runtime/layers/dense.js';
import { dropoutBackward, dropoutForward, dropoutMask } from '../../runtime/layers/dropout.js';
import { maxpoolBackward, maxpoolForward, type PoolShape } from '../../runtime/layers/maxpool.js';
import { crossEntropyLoss, mseLoss } from '../../runtime/loss.js';
import { createRng } from '../../runtime/rng.js';
import { windowOut } from '../../runtime/shapes.js';
import type { Activation } from '../../runtime/spec.js';
import { gradError, project, randn } from './gradcheck-util.js';

const TOL = 1e-6;

describe('pooling gradient check', () => {
  // [kh, kw, sh, sw]: non-overlapping, overlapping, gaps between windows, rectangular
  const configs = [
    [2, 2, 2, 2],
    [3, 3, 2, 2],
    [2, 2, 3, 3],
    [2, 3, 1, 2],
    [3, 2, 2, 1],
  ];
  for (const [kh, kw, sh, sw] of configs) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind}pool ${kh}×${kw} stride ${sh}×${sw}`, () => {
        const n = 2,
          c = 3,
          h = 7,
          w = 8;
        const s: PoolShape = { c, h, w, kh, kw, sh, sw, ho: windowOut(h, 0, kh, sh), wo: windowOut(w, 0, kw, sw) };
        const x = randn(n * c * h * w, kh * 100 + kw * 10 + sh);
        const yLen = n * c * s.ho * s.wo;
        const r = randn(yLen, 5);
        const y = new Float64Array(yLen);
        const arg = new Int32Array(yLen);
        const f = () => {
          if (kind === 'max') maxpoolForward(y, arg, x, n, s);
          else avgpoolForward(y, x, n, s);
          return project(y, r, yLen);
        };
        f();
        const dx = new Float64Array(x.length);
        if (kind === 'max') maxpoolBackward(dx, r, arg, n, s);
        else avgpoolBackward(dx, r, n, s);
        expect(gradError(f, x, dx)).toBeLessThan(TOL);
      });
    }
  }
});

describe('dense gradient check', () => {
  it('input, weight and bias', () => {
    const n = 3,
      inSize = 7,
      units = 5;
    const x = randn(n * inSize, 1),
      w = randn(units * inSize, 2),
      b = randn(units, 3),
      r = randn(n * units, 4);
    const y = new Float64Array(n * units);
    const f = () => {
      denseForward(y, x, w, b, n, inSize, units);
      return project(y, r, y.length);
    };
    const dx = new Float64Array(x.length),
      dw = new Float64Array(w.length),
      db = new Float64Array(b.length);
    denseBackward(dx, dw, db, r, x, w, n, inSize, units);
    expect(gradError(f, x, dx)).toBeLessThan(TOL);
    expect(gradError(f, w, dw)).toBeLessThan(TOL);
    expect(gradError(f, b, db)).toBeLessThan(TOL);
  });
});

describe('activation gradient check', () => {
  const fns: [Activation, number][] = [
    ['relu', 0],
    ['leaky_relu', 0.01],
    ['leaky_relu', 0.2],
    ['sigmoid', 0],
    ['tanh', 0],
    ['softmax', 0],
    ['linear', 0],
  ];
  for (const [fn, slope] of fns) {
    it(`${fn}${slope ? ` slope ${slope}` : ''} over (2,3,2,2)`, () => {
      const s = { n: 2, c: 3, plane: 4, slope };
      const len = 24;
      const x = randn(len, 11, 2),
        r = randn(len, 12);
      const y = new Float64Array(len);
      const f = () => {
        activations[fn].forward(y, x, s);
        return project(y, r, len);
      };
      f();
      const dx = new Float64Array(len);
      activations[fn].backward(dx, r, y, s);
      // In place, as conv and dense use it (before gradError leaves y from a perturbed x).
      const dyCopy = r.slice();
      activations[fn].backward(dyCopy, dyCopy, y, s);
      expect(Array.from(dyCopy)).toEqual(Array.from(dx));
      expect(gradError(f, x, dx)).toBeLessThan(TOL);
    });
  }
});

describe('dropout gradient check', () => {
  it('with a fixed mask', () => {
    const len = 40;
    const mask = new Float64Array(len);
    dropoutMask(mask, len, 0.3, createRng(3));
    const x = randn(len, 1),
      r = randn(len, 2),
      y = new Float64Array(len);
    const f = () => {
      dropoutForward(y, x, mask, len);
      return project(y, r, len);
    };
    const dx = new Float64Array(len);
    dropoutBackward(dx, r, mask, len);
    expect(gradError(f, x, dx)).toBeLessThan(TOL);
  });
});

describe('batchnorm gradient check', () => {
  for (const [label, plane] of [
    ['conv maps (2,3,2,3)', 6],
    ['dense features (4,3)', 1],
  ] as const) {
    for (const train of [true, false]) {
      it(`${label}, ${train ? 'train' : 'eval'} mode`, () => {
        const n = plane === 1 ? 4 : 2,
          c = 3;
        const len = n * c * plane;
        const s = { n, c, plane, eps: 1e-5, momentum: 0.1 };
        const x = randn(len, 1, 3),
          r = randn(len, 2);
        const gamma = randn(c, 3),
          beta = randn(c, 4);
        const rm = randn(c, 5),
          rv = randn(c, 6).map((v) => 0.5 + v * v);
        const y = new Float64Array(len),
          xhat = new Float64Array(len),
          inv = new Float64Array(c);
        const f = () => {
          // Running stats are updated by every train call; give each call the same starting point.
          batchnormForward(y, xhat, inv, x, gamma, beta, rm.slice(), rv.slice(), s, train);
          return project(y, r, len);
        };
        f();
        const dx = new Float64Array(len),
          dg = new Float64Array(c),
          db = new Float64Array(c);
        batchnormBackward(dx, dg, db, r, xhat, inv, gamma, s, train);
        expect(gradError(f, x, dx)).toBeLessThan(TOL);
        expect(gradError(f, gamma, dg)).toBeLessThan(TOL);
        expect(gradError(f, beta, db)).toBeLessThan(TOL);
      });
    }
  }
});

describe('loss gradient check', () => {
  it('softmax cross-entropy w.r.t. logits, with a scale', () => {
    const n = 4,
      k = 5;
    const z = randn(n * k, 1, 3);
    const t = new Int32Array([0, 4, 2, 2]);
    const dz = new Float64Array(n * k);
    crossEntropyLoss(dz, z, t, n, k, 0.25);
    const f = () => 0.25 * crossEntropyLoss(null, z, t, n, k, 1);
    expect(gradError(f, z, dz)).toBeLessThan(TOL);
  });

  it('mean squared error w.r.t. outputs, with a scale', () => {
    const n = 3,
      k = 4;
    const y = randn(n * k, 2),
      t = randn(n * k, 3);
    const dy = new Float64Array(n * k);
    mseLoss(dy, y, t, n, k, 0.5);
    const f = () => 0.5 * mseLoss(null, y, t, n, k, 1);
    expect(gradError(f, y, dy)).toBeLessThan(TOL);
  });

  it('cross-entropy stays finite for huge logits (log-sum-exp)', () => {
    const z = new Float64Array([1000, 0, -1000, 5000, 5000, 0]);
    const dz = new Float64Array(6);
    const loss = crossEntropyLoss(dz, z, new Int32Array([1, 0]), 2, 3, 1);
    expect(loss).toBeCloseTo(1000 + Math.log(2), 9);
    expect(dz[0]).toBeCloseTo(1, 12);
    expect(dz[1]).toBeCloseTo(-1, 12);
    expect(dz[3]).toBeCloseTo(-0.5, 12);
  });
});
