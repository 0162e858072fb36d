// Central-difference gradient checking in float64, shared by the gradcheck tests.
import { createRng } from '../../runtime/rng.js';

export function randn(len: number, seed: number, scale = 1): Float64Array {
  const r = createRng(seed);
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = scale * r.normal();
  return a;
}

/**
 * Largest relative error between the analytic gradient and a central difference of f over every
 * element of v (f must read v afresh each call). Relative to max(|a|, |num|, floor) so that
 * tiny gradients are compared absolutely (roundoff in f is about 1e-16·|f|/h, near 1e-10 here).
 */
export function gradError(f: () => number, v: Float64Array, analytic: ArrayLike<number>, h = 1e-5, floor = 1e-2): number {
  let worst = 0;
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + h;
    const up = f();
    v[i] = keep - h;
    const down = f();
    v[i] = keep;
    const num = (up - down) / (2 * h);
    const a = analytic[i];
    const err = Math.abs(a - num) / Math.max(Math.abs(a), Math.abs(num), floor);
    if (!(err <= worst)) worst = err; // NaN also lands here and fails the check
  }
  return worst;
}

/** Σ y·r: a scalar whose gradient with respect to y is r, to drive backward passes. */
export function project(y: ArrayLike<number>, r: ArrayLike<number>, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += y[i] * r[i];
  return s;
}

/** Reference product in float64: C (M, N) = A (M, K) · B (K, N), operands given as element accessors. */
export function naiveMatmul(
  A: (i: number, k: number) => number,
  B: (k: number, j: number) => number,
  M: number,
  K: number,
  N: number,
): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A(i, k) * B(k, j);
      C[i * N + j] = s;
    }
  return C;
}
