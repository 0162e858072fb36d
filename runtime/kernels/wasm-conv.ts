// Float32 convolution forward/backward inside wasm memory: each example is copied in, unrolled by the
// wasm im2col, multiplied by the SIMD GEMM and copied out, so columns never cross into JS. Weight and
// weight-gradient copies happen once per call; dw accumulates in wasm across the batch (fixed order).
import type { ConvGeom } from './im2col.js';
import { heapStart, reserve, roundUp, wasm, type WasmKernels } from './wasm-module.js';

// cols (float index) ← windows of the image at x, or (to 'image') the image at x += cols scattered back.
function unroll(w: WasmKernels, cols: number, x: number, g: ConvGeom, to: 'cols' | 'image'): void {
  const r = g.replicate ? 1 : 0;
  if (to === 'cols') w.im2col(cols * 4, x * 4, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.top, g.left, r, g.ho, g.wo);
  else w.col2im(x * 4, cols * 4, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.top, g.left, r, g.ho, g.wo);
}

/** y (N,F,Ho,Wo) ← wt (F,C,Kh,Kw) ⋆ x (N,C,H,W), bias not added. Call only when wasmAvailable(). */
export function wasmConvForward(y: Float32Array, x: Float32Array, wt: Float32Array, n: number, g: ConvGeom, F: number): void {
  const w = wasm();
  const K = g.c * g.kh * g.kw, P = g.ho * g.wo, inSize = g.c * g.h * g.w;
  const ldc = roundUp(P, 8);
  const wp = heapStart();
  const xp = wp + roundUp(F * K, 4);
  const cols = xp + roundUp(inSize, 4);
  const yp = cols + roundUp(K * P, 4);
  const pack = yp + roundUp(F, 4) * ldc;
  const h = reserve(pack + w.packBytes(F, K, P) / 4);
  h.set(wt.subarray(0, F * K), wp);
  for (let i = 0; i < n; i++) {
    h.set(x.subarray(i * inSize, (i + 1) * inSize), xp);
    unroll(w, cols, xp, g, 'cols');
    w.gemm(yp * 4, ldc, wp * 4, K, 1, cols * 4, P, 1, F, K, P, 0, pack * 4);
    w.compact(yp * 4, ldc, F, P);
    y.set(h.subarray(yp, yp + F * P), i * F * P);
  }
}

/**
 * Given dy (N,F,Ho,Wo): dwt (F,C,Kh,Kw) += Σₙ dyₙ·colsₙᵀ and dx (N,C,H,W) ← wtᵀ·dy scattered (overwritten;
 * null skips it). The bias gradient is left to the caller. Call only when wasmAvailable().
 */
export function wasmConvBackward(
  dx: Float32Array | null, dwt: Float32Array, dy: Float32Array, x: Float32Array, wt: Float32Array, n: number, g: ConvGeom, F: number,
): void {
  const w = wasm();
  const K = g.c * g.kh * g.kw, P = g.ho * g.wo, inSize = g.c * g.h * g.w;
  const ldw = roundUp(K, 8), ldp = roundUp(P, 8);
  const wp = heapStart();
  const dwp = wp + roundUp(F * K, 4);
  const xp = dwp + roundUp(F, 4) * ldw;
  const cols = xp + roundUp(inSize, 4);
  const dyp = cols + roundUp(K * P, 4);
  const dcols = dyp + roundUp(F * P, 4);
  const pack = dcols + roundUp(K, 4) * ldp;
  const h = reserve(pack + Math.max(w.packBytes(F, P, K), w.packBytes(K, F, P)) / 4);
  h.set(wt.subarray(0, F * K), wp);
  h.set(dwt.subarray(0, F * K), dwp);
  w.spread(dwp * 4, ldw, F, K);
  for (let i = 0; i < n; i++) {
    h.set(x.subarray(i * inSize, (i + 1) * inSize), xp);
    h.set(dy.subarray(i * F * P, (i + 1) * F * P), dyp);
    unroll(w, cols, xp, g, 'cols');
    // dw (F×K) += dy (F×P) · colsᵀ (P×K)
    w.gemm(dwp * 4, ldw, dyp * 4, P, 1, cols * 4, 1, P, F, P, K, 1, pack * 4);
    if (dx) {
      // dcols (K×P) ← wᵀ (K×F) · dy (F×P), then scattered into a zeroed image
      w.gemm(dcols * 4, ldp, wp * 4, 1, K, dyp * 4, P, 1, K, F, P, 0, pack * 4);
      w.compact(dcols * 4, ldp, K, P);
      h.fill(0, xp, xp + inSize);
      unroll(w, dcols, xp, g, 'image');
      dx.set(h.subarray(xp, xp + inSize), i * inSize);
    }
  }
  w.compact(dwp * 4, ldw, F, K);
  dwt.set(h.subarray(dwp, dwp + F * K));
}
