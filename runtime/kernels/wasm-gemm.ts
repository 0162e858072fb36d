// Float32 matrix products through the WebAssembly SIMD kernel (asm/gemm.ts): operands are copied into
// this thread's wasm memory (O(n²) against O(n³) work), multiplied there, and C copied back.
import { heapStart, reserve, roundUp, wasm } from './wasm-module.js';

/**
 * C (M×N row-major at cOff) [+]= A·B with A(i,k) = A[aOff + i·ai + k·ak], B(k,j) = B[bOff + k·bk + j·bj],
 * where A's elements fill [aOff, aOff + M·K) and B's [bOff, bOff + K·N) (true of the three layer orientations).
 * Call only when wasmAvailable().
 */
export function wasmGemm(
  C: Float32Array,
  cOff: number,
  A: Float32Array,
  aOff: number,
  ai: number,
  ak: number,
  B: Float32Array,
  bOff: number,
  bk: number,
  bj: number,
  M: number,
  K: number,
  N: number,
  acc: boolean,
): void {
  const w = wasm();
  // The micro-kernel writes whole 4×8 tiles, so C lives in wasm with rows padded to 8 and M to 4.
  const ldc = roundUp(N, 8);
  const lenA = M * K,
    lenB = K * N,
    lenC = M * N;
  const a0 = heapStart();
  const b0 = a0 + roundUp(lenA, 4);
  const c0 = b0 + roundUp(lenB, 4);
  const p0 = c0 + roundUp(M, 4) * ldc;
  const h = reserve(p0 + w.packBytes(M, K, N) / 4);
  h.set(whole(A, aOff, lenA), a0);
  h.set(whole(B, bOff, lenB), b0);
  if (acc) {
    h.set(whole(C, cOff, lenC), c0);
    w.spread(c0 * 4, ldc, M, N);
  }
  w.gemm(c0 * 4, ldc, a0 * 4, ai, ak, b0 * 4, bk, bj, M, K, N, acc ? 1 : 0, p0 * 4);
  w.compact(c0 * 4, ldc, M, N);
  C.set(h.subarray(c0, c0 + lenC), cOff);
}

// v[off … off+len) as an array, making a view only when it is not all of v (the dense layers' case).
function whole(v: Float32Array, off: number, len: number): Float32Array {
  return off === 0 && v.length === len ? v : v.subarray(off, off + len);
}
