// im2col / col2im for one NCHW example: unrolls every Kh×Kw window into a column so a convolution
// becomes one matrix product. Padding is virtual (never materialised): zero reads 0, replicate
// clamps the index to the nearest edge pixel — so in col2im a replicated pixel collects its copies' gradients.
import type { Buf } from '../types.js';

/** Geometry of one convolution; ho/wo are derived by runtime/shapes.ts's formula. */
export interface ConvGeom {
  c: number;
  h: number;
  w: number; // input channels and size
  kh: number;
  kw: number;
  sh: number;
  sw: number; // vertical, horizontal stride
  top: number;
  left: number; // bottom/right padding only shows up in ho/wo
  replicate: boolean;
  ho: number;
  wo: number;
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** cols[colsOff …] (C·Kh·Kw, Ho·Wo) ← windows of x[xOff …] (C, H, W). */
export function im2col(cols: Buf, x: Buf, xOff: number, g: ConvGeom, colsOff = 0): void {
  const { c, h, w, kh, kw, sh, sw, top, left, replicate, ho, wo } = g;
  const P = ho * wo;
  let row = 0;
  for (let ch = 0; ch < c; ch++) {
    const xc = xOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const r = colsOff + row * P;
        // Output columns whose input column lies inside the image: ow in [owLo, owHi).
        const owLo = Math.min(wo, Math.max(0, Math.ceil((left - kj) / sw)));
        const owHi = Math.max(owLo, Math.min(wo, Math.floor((w - 1 + left - kj) / sw) + 1));
        for (let oh = 0; oh < ho; oh++) {
          let ih = oh * sh - top + ki;
          const o = r + oh * wo;
          if (ih < 0 || ih >= h) {
            if (!replicate) {
              cols.fill(0, o, o + wo);
              continue;
            }
            ih = clamp(ih, h);
          }
          const xr = xc + ih * w;
          const base = kj - left;
          if (replicate) {
            const first = x[xr],
              last = x[xr + w - 1];
            for (let ow = 0; ow < owLo; ow++) cols[o + ow] = first;
            for (let ow = owHi; ow < wo; ow++) cols[o + ow] = last;
          } else {
            for (let ow = 0; ow < owLo; ow++) cols[o + ow] = 0;
            for (let ow = owHi; ow < wo; ow++) cols[o + ow] = 0;
          }
          if (sw === 1) {
            const s0 = xr + base;
            for (let ow = owLo; ow < owHi; ow++) cols[o + ow] = x[s0 + ow];
          } else {
            for (let ow = owLo; ow < owHi; ow++) cols[o + ow] = x[xr + ow * sw + base];
          }
        }
      }
    }
  }
}

/** dx[xOff …] (C, H, W) += the columns of dcols (C·Kh·Kw, Ho·Wo) scattered back to their pixels. */
export function col2im(dx: Buf, xOff: number, dcols: Buf, g: ConvGeom): void {
  const { c, h, w, kh, kw, sh, sw, top, left, replicate, ho, wo } = g;
  const P = ho * wo;
  let row = 0;
  for (let ch = 0; ch < c; ch++) {
    const xc = xOff + ch * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const r = row * P;
        const owLo = Math.min(wo, Math.max(0, Math.ceil((left - kj) / sw)));
        const owHi = Math.max(owLo, Math.min(wo, Math.floor((w - 1 + left - kj) / sw) + 1));
        for (let oh = 0; oh < ho; oh++) {
          let ih = oh * sh - top + ki;
          const o = r + oh * wo;
          if (ih < 0 || ih >= h) {
            if (!replicate) continue;
            ih = clamp(ih, h);
          }
          const xr = xc + ih * w;
          const base = kj - left;
          if (replicate) {
            let sFirst = 0,
              sLast = 0;
            for (let ow = 0; ow < owLo; ow++) sFirst += dcols[o + ow];
            for (let ow = owHi; ow < wo; ow++) sLast += dcols[o + ow];
            dx[xr] += sFirst;
            dx[xr + w - 1] += sLast;
          }
          for (let ow = owLo; ow < owHi; ow++) dx[xr + ow * sw + base] += dcols[o + ow];
        }
      }
    }
  }
}
