// The matmul kernels against a naive triple loop, over shapes that exercise every tile remainder,
// offsets into larger buffers and both overwrite and accumulate modes.
import { describe, expect, it } from 'vitest';
import { matmulAB, matmulABt, matmulAtB } from '../../runtime/kernels/matmul.js';
import { naiveMatmul as naive, randn } from './gradcheck-util.js';

describe('matmul kernels', () => {
  const shapes = [
    [1, 1, 1],
    [3, 5, 2],
    [4, 4, 4],
    [5, 7, 9],
    [8, 3, 13],
    [6, 25, 30],
    [17, 2, 4],
  ];
  for (const [M, K, N] of shapes) {
    it(`${M}×${K}·${K}×${N}`, () => {
      const off = 3;
      const A = randn(off + M * K, M * 100 + K),
        B = randn(off + K * N, N * 7 + 1);
      const At = randn(off + K * M, 5),
        Bt = randn(off + N * K, 6);
      const base = randn(off + M * N, 9);
      const cases = [
        {
          f: matmulAB,
          a: A,
          b: B,
          ref: naive(
            (i, k) => A[off + i * K + k],
            (k, j) => B[off + k * N + j],
            M,
            K,
            N,
          ),
        },
        {
          f: matmulAtB,
          a: At,
          b: B,
          ref: naive(
            (i, k) => At[off + k * M + i],
            (k, j) => B[off + k * N + j],
            M,
            K,
            N,
          ),
        },
        {
          f: matmulABt,
          a: A,
          b: Bt,
          ref: naive(
            (i, k) => A[off + i * K + k],
            (k, j) => Bt[off + j * K + k],
            M,
            K,
            N,
          ),
        },
      ];
      for (const { f, a, b, ref } of cases) {
        const C = base.slice();
        f(C, off, a, off, b, off, M, K, N, false);
        for (let i = 0; i < M * N; i++) expect(C[off + i]).toBeCloseTo(ref[i], 12);
        expect(Array.from(C.subarray(0, off))).toEqual(Array.from(base.subarray(0, off)));
        f(C, off, a, off, b, off, M, K, N, true);
        for (let i = 0; i < M * N; i++) expect(C[off + i]).toBeCloseTo(2 * ref[i], 12);
      }
    });
  }
});
