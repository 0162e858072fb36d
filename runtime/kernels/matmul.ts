// Dense matrix products on flat row-major buffers, in plain TypeScript tuned for V8: one strided
// kernel computing 4×4 tiles of C in sixteen local accumulators (16 multiply-adds per 8 loads, C
// touched once per tile), and the three orientations conv/dense forward and backward need.
// No allocation; `acc` chooses C = … or C += …. Offsets address one example inside a batch buffer.
// Float32 products go to the WebAssembly SIMD kernel (wasm-gemm.ts) when it is built; float64 stays here.
import type { Buf } from '../types.js';
import { wasmGemm } from './wasm-gemm.js';
import { wasmAvailable } from './wasm-module.js';

// Below this many multiply-adds the copies into wasm memory cost more than the SIMD saves.
// The choice depends on shapes only, so a given product always takes the same path (same bits).
const WASM_MIN_MACS = 256;

/**
 * C (M×N, row-major at cOff) [+]= A·B where A(i,k) = A[aOff + i·ai + k·ak] and B(k,j) = B[bOff + k·bk + j·bj].
 * Strides let the same loop read either operand transposed without copying it.
 */
function gemm(
  C: Buf,
  cOff: number,
  A: Buf,
  aOff: number,
  ai: number,
  ak: number,
  B: Buf,
  bOff: number,
  bk: number,
  bj: number,
  M: number,
  K: number,
  N: number,
  acc: boolean,
): void {
  if (
    C instanceof Float32Array &&
    A instanceof Float32Array &&
    B instanceof Float32Array &&
    M * K * N >= WASM_MIN_MACS &&
    wasmAvailable()
  ) {
    wasmGemm(C, cOff, A, aOff, ai, ak, B, bOff, bk, bj, M, K, N, acc);
    return;
  }
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const c0 = cOff + i * N,
      c1 = c0 + N,
      c2 = c1 + N,
      c3 = c2 + N;
    for (let j = 0; j < N4; j += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      let pa = aOff + i * ai;
      let pb = bOff + j * bj;
      for (let k = 0; k < K; k++, pa += ak, pb += bk) {
        const b0 = B[pb],
          b1 = B[pb + bj],
          b2 = B[pb + 2 * bj],
          b3 = B[pb + 3 * bj];
        const a0 = A[pa],
          a1 = A[pa + ai],
          a2 = A[pa + 2 * ai],
          a3 = A[pa + 3 * ai];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s02 += a0 * b2;
        s03 += a0 * b3;
        s10 += a1 * b0;
        s11 += a1 * b1;
        s12 += a1 * b2;
        s13 += a1 * b3;
        s20 += a2 * b0;
        s21 += a2 * b1;
        s22 += a2 * b2;
        s23 += a2 * b3;
        s30 += a3 * b0;
        s31 += a3 * b1;
        s32 += a3 * b2;
        s33 += a3 * b3;
      }
      if (acc) {
        C[c0 + j] += s00;
        C[c0 + j + 1] += s01;
        C[c0 + j + 2] += s02;
        C[c0 + j + 3] += s03;
        C[c1 + j] += s10;
        C[c1 + j + 1] += s11;
        C[c1 + j + 2] += s12;
        C[c1 + j + 3] += s13;
        C[c2 + j] += s20;
        C[c2 + j + 1] += s21;
        C[c2 + j + 2] += s22;
        C[c2 + j + 3] += s23;
        C[c3 + j] += s30;
        C[c3 + j + 1] += s31;
        C[c3 + j + 2] += s32;
        C[c3 + j + 3] += s33;
      } else {
        C[c0 + j] = s00;
        C[c0 + j + 1] = s01;
        C[c0 + j + 2] = s02;
        C[c0 + j + 3] = s03;
        C[c1 + j] = s10;
        C[c1 + j + 1] = s11;
        C[c1 + j + 2] = s12;
        C[c1 + j + 3] = s13;
        C[c2 + j] = s20;
        C[c2 + j + 1] = s21;
        C[c2 + j + 2] = s22;
        C[c2 + j + 3] = s23;
        C[c3 + j] = s30;
        C[c3 + j + 1] = s31;
        C[c3 + j + 2] = s32;
        C[c3 + j + 3] = s33;
      }
    }
  }
  // Leftover rows: 1×4 tiles.
  for (let i = M4; i < M; i++) {
    const ci = cOff + i * N;
    for (let j = 0; j < N4; j += 4) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let pa = aOff + i * ai;
      let pb = bOff + j * bj;
      for (let k = 0; k < K; k++, pa += ak, pb += bk) {
        const a = A[pa];
        s0 += a * B[pb];
        s1 += a * B[pb + bj];
        s2 += a * B[pb + 2 * bj];
        s3 += a * B[pb + 3 * bj];
      }
      if (acc) {
        C[ci + j] += s0;
        C[ci + j + 1] += s1;
        C[ci + j + 2] += s2;
        C[ci + j + 3] += s3;
      } else {
        C[ci + j] = s0;
        C[ci + j + 1] = s1;
        C[ci + j + 2] = s2;
        C[ci + j + 3] = s3;
      }
    }
  }
  // Leftover columns, every row: plain dot products.
  for (let j = N4; j < N; j++) {
    for (let i = 0; i < M; i++) {
      let s = 0;
      let pa = aOff + i * ai;
      let pb = bOff + j * bj;
      for (let k = 0; k < K; k++, pa += ak, pb += bk) s += A[pa] * B[pb];
      const c = cOff + i * N + j;
      C[c] = acc ? C[c] + s : s;
    }
  }
}

/** C (M×N) [+]= A (M×K) · B (K×N). */
export function matmulAB(
  C: Buf,
  cOff: number,
  A: Buf,
  aOff: number,
  B: Buf,
  bOff: number,
  M: number,
  K: number,
  N: number,
  acc: boolean,
): void {
  gemm(C, cOff, A, aOff, K, 1, B, bOff, N, 1, M, K, N, acc);
}

/** C (M×N) [+]= Aᵀ · B with A stored K×M and B stored K×N. */
export function matmulAtB(
  C: Buf,
  cOff: number,
  A: Buf,
  aOff: number,
  B: Buf,
  bOff: number,
  M: number,
  K: number,
  N: number,
  acc: boolean,
): void {
  gemm(C, cOff, A, aOff, 1, M, B, bOff, N, 1, M, K, N, acc);
}

/** C (M×N) [+]= A · Bᵀ with A stored M×K and B stored N×K. */
export function matmulABt(
  C: Buf,
  cOff: number,
  A: Buf,
  aOff: number,
  B: Buf,
  bOff: number,
  M: number,
  K: number,
  N: number,
  acc: boolean,
): void {
  gemm(C, cOff, A, aOff, K, 1, B, bOff, 1, K, M, K, N, acc);
}
