// Dense matrix products on flat row-major buffers, plain TypeScript tuned for V8: the three
// orientations conv/dense forward and backward need. No allocation; `acc` chooses C = … or C += ….
// Offsets let callers multiply slices of larger buffers (one example of a batch) without subarray churn.
import type { Buf } from '../types.js';

// Column block: a K-block × JB slab of B stays in L1/L2 while every row of A streams past it.
const JB = 512;
const KB = 128;

/**
 * C (M×N) [+]= A (M×K) · B (K×N). Loop order i-k-j so the inner loop runs along rows of B and C;
 * four k-steps per pass cut loads/stores of C by four.
 */
export function matmulAB(
  C: Buf, cOff: number, A: Buf, aOff: number, B: Buf, bOff: number,
  M: number, K: number, N: number, acc: boolean,
): void {
  if (!acc) C.fill(0, cOff, cOff + M * N);
  for (let j0 = 0; j0 < N; j0 += JB) {
    const j1 = Math.min(N, j0 + JB);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = Math.min(K, k0 + KB);
      for (let i = 0; i < M; i++) {
        const ci = cOff + i * N;
        const ai = aOff + i * K;
        let k = k0;
        for (; k + 3 < k1; k += 4) {
          const a0 = A[ai + k], a1 = A[ai + k + 1], a2 = A[ai + k + 2], a3 = A[ai + k + 3];
          const b0 = bOff + k * N, b1 = b0 + N, b2 = b1 + N, b3 = b2 + N;
          for (let j = j0; j < j1; j++) {
            C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
          }
        }
        for (; k < k1; k++) {
          const a = A[ai + k];
          if (a === 0) continue;
          const b0 = bOff + k * N;
          for (let j = j0; j < j1; j++) C[ci + j] += a * B[b0 + j];
        }
      }
    }
  }
}

/**
 * C (M×N) [+]= Aᵀ · B with A stored K×M and B stored K×N. Loop k-i-j: row k of A scales row k of B
 * into every row of C, again along contiguous rows; two k-steps per pass.
 */
export function matmulAtB(
  C: Buf, cOff: number, A: Buf, aOff: number, B: Buf, bOff: number,
  M: number, K: number, N: number, acc: boolean,
): void {
  if (!acc) C.fill(0, cOff, cOff + M * N);
  for (let j0 = 0; j0 < N; j0 += JB) {
    const j1 = Math.min(N, j0 + JB);
    let k = 0;
    for (; k + 1 < K; k += 2) {
      const ak0 = aOff + k * M, ak1 = ak0 + M;
      const b0 = bOff + k * N, b1 = b0 + N;
      for (let i = 0; i < M; i++) {
        const a0 = A[ak0 + i], a1 = A[ak1 + i];
        if (a0 === 0 && a1 === 0) continue;
        const ci = cOff + i * N;
        for (let j = j0; j < j1; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j];
      }
    }
    for (; k < K; k++) {
      const ak = aOff + k * M;
      const b0 = bOff + k * N;
      for (let i = 0; i < M; i++) {
        const a = A[ak + i];
        if (a === 0) continue;
        const ci = cOff + i * N;
        for (let j = j0; j < j1; j++) C[ci + j] += a * B[b0 + j];
      }
    }
  }
}

/**
 * C (M×N) [+]= A · Bᵀ with A stored M×K and B stored N×K: every entry is a dot product of two
 * contiguous rows. Four rows of B per pass share each load of A.
 */
export function matmulABt(
  C: Buf, cOff: number, A: Buf, aOff: number, B: Buf, bOff: number,
  M: number, K: number, N: number, acc: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * K;
    const ci = cOff + i * N;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      const b0 = bOff + j * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const a = A[ai + k];
        s0 += a * B[b0 + k];
        s1 += a * B[b1 + k];
        s2 += a * B[b2 + k];
        s3 += a * B[b3 + k];
      }
      if (acc) {
        C[ci + j] += s0; C[ci + j + 1] += s1; C[ci + j + 2] += s2; C[ci + j + 3] += s3;
      } else {
        C[ci + j] = s0; C[ci + j + 1] = s1; C[ci + j + 2] = s2; C[ci + j + 3] = s3;
      }
    }
    for (; j < N; j++) {
      const b0 = bOff + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[ai + k] * B[b0 + k];
      C[ci + j] = acc ? C[ci + j] + s : s;
    }
  }
}
