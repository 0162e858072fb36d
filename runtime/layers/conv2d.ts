// 2-D convolution as correlation (kernel not flipped), NCHW, via im2col + matmul, one example at a time
// so the column buffer stays small. Padding per side, zero or edge-replicate.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html (padding_mode='zeros'|'replicate')
import { col2im, im2col, type ConvGeom } from '../kernels/im2col.js';
import { matmulAB, matmulABt, matmulAtB } from '../kernels/matmul.js';
import { wasmConvBackward, wasmConvForward } from '../kernels/wasm-conv.js';
import { wasmAvailable } from '../kernels/wasm-module.js';
import type { Buf } from '../types.js';

/** ConvGeom plus the number of filters F. */
export interface Conv2dShape extends ConvGeom {
  f: number;
}

/** Length of the column scratch buffer one example needs: (C·Kh·Kw) × (Ho·Wo). */
export function conv2dColsSize(s: Conv2dShape): number {
  return s.c * s.kh * s.kw * s.ho * s.wo;
}

/**
 * y (N,F,Ho,Wo) ← w (F,C,Kh,Kw) ⋆ x (N,C,H,W) + b (F), then y ← y > 0 ? y : 0 when relu (the fused activation).
 * cols: scratch of conv2dColsSize(s), or of n × that when `keep` (every example's columns are kept
 * for conv2dBackward, which then skips rebuilding them).
 */
export function conv2dForward(y: Buf, x: Buf, w: Buf, b: Buf, n: number, s: Conv2dShape, cols: Buf, keep = false, relu = false): void {
  const K = s.c * s.kh * s.kw;
  const P = s.ho * s.wo;
  const inSize = s.c * s.h * s.w;
  const stride = keep ? K * P : 0;
  // Float32 runs entirely in wasm (cols unused there; backward takes the same branch).
  if (y instanceof Float32Array && x instanceof Float32Array && w instanceof Float32Array && b instanceof Float32Array && wasmAvailable()) {
    return wasmConvForward(y, x, w, b, n, s, s.f, relu);
  }
  for (let i = 0; i < n; i++) {
    const yOff = i * s.f * P;
    im2col(cols, x, i * inSize, s, i * stride);
    matmulAB(y, yOff, w, 0, cols, i * stride, s.f, K, P, false);
    // Bias after the product, so the product can overwrite rather than read y first.
    for (let f = 0; f < s.f; f++) {
      const bf = b[f], o = yOff + f * P;
      for (let p = 0; p < P; p++) y[o + p] += bf;
    }
  }
  if (relu) {
    const len = n * s.f * P;
    for (let i = 0; i < len; i++) y[i] = y[i] > 0 ? y[i] : 0;
  }
}

/**
 * Given dy (N,F,Ho,Wo): dw (F,C,Kh,Kw) += dy·colsᵀ, db (F) += Σ dy, and dx (N,C,H,W) ← wᵀ·dy scattered
 * (overwritten; pass null to skip it, e.g. for the first layer). cols, dcols: scratch of conv2dColsSize(s);
 * kept: cols holds all n examples' columns from conv2dForward(…, keep = true) over this same x.
 */
export function conv2dBackward(
  dx: Buf | null, dw: Buf, db: Buf, dy: Buf, x: Buf, w: Buf, n: number, s: Conv2dShape, cols: Buf, dcols: Buf, kept = false,
): void {
  const K = s.c * s.kh * s.kw;
  const P = s.ho * s.wo;
  const inSize = s.c * s.h * s.w;
  if (dw instanceof Float32Array && db instanceof Float32Array && dy instanceof Float32Array && x instanceof Float32Array &&
    w instanceof Float32Array && (dx === null || dx instanceof Float32Array) && wasmAvailable()) {
    return wasmConvBackward(dx as Float32Array | null, dw, db, dy, x, w, n, s, s.f);
  }
  if (dx) dx.fill(0, 0, n * inSize);
  for (let i = 0; i < n; i++) {
    const yOff = i * s.f * P;
    for (let f = 0; f < s.f; f++) {
      let sum = 0;
      const o = yOff + f * P;
      for (let p = 0; p < P; p++) sum += dy[o + p];
      db[f] += sum;
    }
    // Without kept columns (they cost N× the memory) rebuild this example's.
    if (!kept) im2col(cols, x, i * inSize, s);
    matmulABt(dw, 0, dy, yOff, cols, kept ? i * K * P : 0, s.f, P, K, true);
    if (dx) {
      matmulAtB(dcols, 0, w, 0, dy, yOff, K, s.f, P, false);
      col2im(dx, i * inSize, dcols, s);
    }
  }
}
