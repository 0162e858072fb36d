// Batch norm's per-channel sums run four channels side by side (runtime/layers/batchnorm.ts); each sum
// must keep the one-channel order, so the layer gives exactly the bits of the plain loops below (the
// definition: one channel at a time), for float32 and float64, train and eval, any channel count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchnormBackward, batchnormForward, type BatchnormShape } from '../../runtime/layers/batchnorm.js';
import { createRng } from '../../runtime/rng.js';
import type { Buf } from '../../runtime/types.js';

function referenceForward(
  y: Buf,
  xhat: Buf,
  invStd: Buf,
  x: Buf,
  gamma: Buf,
  beta: Buf,
  runMean: Buf,
  runVar: Buf,
  s: BatchnormShape,
  train: boolean,
): void {
  const { n, c, plane, eps, momentum } = s;
  const m = n * plane;
  for (let ch = 0; ch < c; ch++) {
    let mean: number, inv: number;
    if (train) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * plane;
        for (let p = 0; p < plane; p++) sum += x[o + p];
      }
      mean = sum / m;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * plane;
        for (let p = 0; p < plane; p++) {
          const d = x[o + p] - mean;
          sq += d * d;
        }
      }
      const variance = sq / m;
      inv = 1 / Math.sqrt(variance + eps);
      runMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean;
      // A batch of one has no unbiased variance; keep the biased one rather than divide by zero.
      runVar[ch] = (1 - momentum) * runVar[ch] + momentum * (m > 1 ? sq / (m - 1) : variance);
    } else {
      mean = runMean[ch];
      inv = 1 / Math.sqrt(runVar[ch] + eps);
    }
    invStd[ch] = inv;
    const g = gamma[ch],
      b = beta[ch];
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        const h = (x[o + p] - mean) * inv;
        xhat[o + p] = h;
        y[o + p] = g * h + b;
      }
    }
  }
}

function referenceBackward(
  dx: Buf,
  dgamma: Buf,
  dbeta: Buf,
  dy: Buf,
  xhat: Buf,
  invStd: Buf,
  gamma: Buf,
  s: BatchnormShape,
  train: boolean,
): void {
  const { n, c, plane } = s;
  const m = n * plane;
  for (let ch = 0; ch < c; ch++) {
    let sdy = 0,
      sdyx = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        sdy += dy[o + p];
        sdyx += dy[o + p] * xhat[o + p];
      }
    }
    dgamma[ch] += sdyx;
    dbeta[ch] += sdy;
    const k = gamma[ch] * invStd[ch];
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      if (train) {
        const a = sdy / m,
          bb = sdyx / m;
        for (let p = 0; p < plane; p++) dx[o + p] = k * (dy[o + p] - a - xhat[o + p] * bb);
      } else {
        for (let p = 0; p < plane; p++) dx[o + p] = k * dy[o + p];
      }
    }
  }
}

const bits = (a: Buf) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('batch norm channel sums', () => {
  it('give the bits of one channel at a time', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 4 }),
          c: fc.integer({ min: 1, max: 11 }),
          plane: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer({ min: 0, max: 1000 }),
          f64: fc.boolean(),
          train: fc.boolean(),
        }),
        ({ n, c, plane, seed, f64, train }) => {
          const rng = createRng(seed);
          const make = (len: number, scale = 1) => {
            const a = f64 ? new Float64Array(len) : new Float32Array(len);
            for (let i = 0; i < len; i++) a[i] = (rng.next() - 0.3) * scale * 10 ** rng.int(4);
            return a;
          };
          const len = n * c * plane;
          const x = make(len),
            dy = make(len),
            gamma = make(c),
            beta = make(c),
            rm = make(c),
            rv = make(c).map(Math.abs);
          const s: BatchnormShape = { n, c, plane, eps: 1e-5, momentum: 0.1 };
          const run = (fwd: typeof batchnormForward, bwd: typeof batchnormBackward) => {
            const y = x.slice().fill(0),
              xhat = x.slice().fill(0),
              inv = gamma.slice().fill(0),
              m = rm.slice(),
              v = rv.slice(),
              dx = x.slice().fill(0),
              dg = gamma.slice().fill(0.5),
              db = gamma.slice().fill(0.25);
            fwd(y, xhat, inv, x, gamma, beta, m, v, s, train);
            bwd(dx, dg, db, dy, xhat, inv, gamma, s, train);
            return [y, xhat, inv, m, v, dx, dg, db].map(bits);
          };
          expect(run(batchnormForward, batchnormBackward)).toEqual(run(referenceForward, referenceBackward));
        },
      ),
      { numRuns: 300 },
    );
  });
});
