// Float32 convolution forward/backward inside wasm memory: the batch is copied in (in chunks of about
// 4 MB), examples are unrolled by the wasm im2col and multiplied by the SIMD GEMM there, and results
// are copied out per chunk, so columns never cross into JS and nothing is allocated per example.
// dw and db accumulate in wasm across the whole batch in example order.
import type { ConvGeom } from './im2col.js';
import { heapStart, reserve, roundUp, wasm, type WasmKernels } from './wasm-module.js';

// cols (float index, rows ld floats apart) ← windows of the image at x, or (to 'image') the image at x += cols scattered back.
function unroll(w: WasmKernels, cols: number, ld: number, x: number, g: ConvGeom, to: 'cols' | 'image'): void {
  const r = g.replicate ? 1 : 0;
  if (to === 'cols') w.im2col(cols * 4, ld, x * 4, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.top, g.left, r, g.ho, g.wo);
  else w.col2im(x * 4, cols * 4, ld, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.top, g.left, r, g.ho, g.wo);
}

// The forward multiplies the columns of up to this many floats' worth of examples at once (side by
// side, N = group·Ho·Wo): the weights are packed once per group and small outputs waste less padding.
// Each output still sums over k in the same order, so the grouping does not change any bits.
const GROUP_COLS_FLOATS = 1 << 16;

// h[at …] ← src[from … from+len) without making a view when that is all of src.
function copyIn(h: Float32Array, src: Float32Array, len: number, at: number, from = 0): void {
  h.set(from === 0 && src.length === len ? src : src.subarray(from, from + len), at);
}

// Batch inputs and outputs go through wasm memory in chunks of at most this many floats (at least one
// example), so a large batch does not leave every thread with a large wasm memory (it never shrinks).
const CHUNK_FLOATS = 1 << 20;
const chunkOf = (perExample: number, n: number) => Math.max(1, Math.min(n, Math.floor(CHUNK_FLOATS / perExample)));

/** y (N,F,Ho,Wo) ← wt (F,C,Kh,Kw) ⋆ x (N,C,H,W) + b (F), then max(·, 0) when relu. Call only when wasmAvailable(). */
export function wasmConvForward(
  y: Float32Array,
  x: Float32Array,
  wt: Float32Array,
  b: Float32Array,
  n: number,
  g: ConvGeom,
  F: number,
  relu = false,
): void {
  const w = wasm();
  const K = g.c * g.kh * g.kw,
    P = g.ho * g.wo,
    inSize = g.c * g.h * g.w;
  const bp = heapStart();
  const wp = bp + roundUp(F, 4);
  const c = chunkOf(inSize + F * P, n);
  const G = Math.max(1, Math.min(c, Math.floor(GROUP_COLS_FLOATS / (K * P))));
  const ld = G * P,
    ldc = roundUp(ld, 8);
  const xs = wp + roundUp(F * K, 4); // a chunk of inputs
  const ys = xs + roundUp(c * inSize, 4); // their outputs, packed
  const cols = ys + roundUp(c * F * P, 4); // a group's columns, side by side
  const tile = cols + roundUp(K * ld, 4); // a group's outputs with rows padded for the micro-kernel
  const pack = tile + roundUp(F, 4) * ldc;
  const h = reserve(pack + w.packBytes(F, K, ld) / 4);
  copyIn(h, b, F, bp);
  copyIn(h, wt, F * K, wp);
  for (let i0 = 0; i0 < n; i0 += c) {
    const m = Math.min(c, n - i0);
    copyIn(h, x, m * inSize, xs, i0 * inSize);
    for (let i = 0; i < m; i += G) {
      const gn = Math.min(G, m - i);
      for (let j = 0; j < gn; j++) unroll(w, cols + j * P, ld, xs + (i + j) * inSize, g, 'cols');
      w.gemm(tile * 4, ldc, wp * 4, K, 1, cols * 4, ld, 1, F, K, gn * P, 0, pack * 4);
      // Bias after the product, as the JS path adds it (same float32 rounding).
      for (let j = 0; j < gn; j++) w.unpadBias((ys + (i + j) * F * P) * 4, (tile + j * P) * 4, ldc, F, P, bp * 4);
    }
    // A fused ReLU saves copying the outputs out, in and out again (same bits as the separate pass).
    if (relu) w.reluForward(ys * 4, m * F * P);
    y.set(h.subarray(ys, ys + m * F * P), i0 * F * P);
  }
}

/**
 * Given dy (N,F,Ho,Wo): dwt (F,C,Kh,Kw) += Σₙ dyₙ·colsₙᵀ, db (F) += Σ dy (per example, summed as the JS
 * loop does) and dx (N,C,H,W) ← wtᵀ·dy scattered (overwritten; null skips it). Call only when wasmAvailable().
 * Examples go in groups like the forward's: one group's columns and dy rows sit side by side, the filter
 * gradient is one row-by-row dot kernel over the whole group, and the input gradient one GEMM.
 * reluY (N,F,Ho,Wo), the fused ReLU's output: dy ← reluY > 0 ? dy : 0 first, inside wasm memory (dy itself
 * is left as it was), which saves the separate pass copying dy in and out again.
 */
export function wasmConvBackward(
  dx: Float32Array | null,
  dwt: Float32Array,
  db: Float32Array,
  dy: Float32Array,
  x: Float32Array,
  wt: Float32Array,
  n: number,
  g: ConvGeom,
  F: number,
  reluY: Float32Array | null = null,
): void {
  const w = wasm();
  const K = g.c * g.kh * g.kw,
    P = g.ho * g.wo,
    inSize = g.c * g.h * g.w;
  const dbp = heapStart();
  const wp = dbp + roundUp(F, 4);
  const dwp = wp + roundUp(F * K, 4);
  const c = chunkOf(inSize + F * P, n);
  const G = Math.max(1, Math.min(c, Math.floor(GROUP_COLS_FLOATS / (K * P))));
  const ld = G * P,
    ldd = roundUp(ld, 8);
  const xs = dwp + roundUp(F * K, 4); // a chunk of inputs, overwritten by their gradients
  const dys = xs + roundUp(c * inSize, 4);
  const ys = dys + roundUp(c * F * P, 4); // the fused ReLU's outputs for the chunk
  const cols = ys + (reluY ? roundUp(c * F * P, 4) : 0); // a group's columns (K × ld)
  const dyg = cols + roundUp(K * ld, 4); // a group's dy, rows side by side (F × ld)
  const dcols = dyg + roundUp(F * ld, 4);
  const pack = dcols + (dx ? roundUp(K, 4) * ldd : 0);
  const h = reserve(pack + (dx ? w.packBytes(K, F, ld) / 4 : 0));
  copyIn(h, db, F, dbp);
  copyIn(h, wt, F * K, wp);
  copyIn(h, dwt, F * K, dwp);
  for (let i0 = 0; i0 < n; i0 += c) {
    const m = Math.min(c, n - i0);
    copyIn(h, x, m * inSize, xs, i0 * inSize);
    copyIn(h, dy, m * F * P, dys, i0 * F * P);
    if (reluY) {
      copyIn(h, reluY, m * F * P, ys, i0 * F * P);
      w.reluBackward(dys * 4, ys * 4, m * F * P);
    }
    for (let i = 0; i < m; i += G) {
      const gn = Math.min(G, m - i);
      for (let j = 0; j < gn; j++) {
        const dyj = dys + (i + j) * F * P;
        w.biasGrad(dbp * 4, dyj * 4, F, P);
        unroll(w, cols + j * P, ld, xs + (i + j) * inSize, g, 'cols');
        for (let f = 0; f < F; f++) h.copyWithin(dyg + f * ld + j * P, dyj + f * P, dyj + (f + 1) * P);
      }
      // dw (F×K) += dy (F × gn·P) · colsᵀ (gn·P × K)
      w.filterGrad(dwp * 4, K, dyg * 4, ld, cols * 4, ld, F, K, gn * P);
      if (!dx) continue;
      // dcols (K × gn·P) ← wᵀ (K×F) · dy (F × gn·P); each example's block scattered into its input slot, now zeroed
      w.gemm(dcols * 4, ldd, wp * 4, 1, K, dyg * 4, ld, 1, K, F, gn * P, 0, pack * 4);
      for (let j = 0; j < gn; j++) {
        const xj = xs + (i + j) * inSize;
        h.fill(0, xj, xj + inSize);
        unroll(w, dcols + j * P, ldd, xj, g, 'image');
      }
    }
    if (dx) dx.set(h.subarray(xs, xs + m * inSize), i0 * inSize);
  }
  dwt.set(h.subarray(dwp, dwp + F * K));
  db.set(h.subarray(dbp, dbp + F));
}
