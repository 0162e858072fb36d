// AssemblyScript filter gradient of a convolution: dw (F×K) += dy (F×P) · colsᵀ (P×K), where both
// operands are long rows along p (P is every output pixel of a group of examples). Each output is a
// dot product of two contiguous rows, so no packing: 2×4 tiles of f32x4 accumulators run along p.

import { madd } from './madd';

// Sums of one tile: rows f0, f1 of dy against rows k0..k3 of cols, 4 lanes each, then lanes added
// (l0 + l1) + (l2 + l3) and the scalar tail p ≥ P4 after, in that fixed order.
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * dw[f·ldw + k] += Σ_{p<P} dy[f·ldy + p] · cols[k·ldc + p] for f < F, k < K. Pointers are bytes, strides
 * floats. Tiles at the edges reuse their last valid row (the extra sums are computed and not stored),
 * so one loop body serves every shape.
 */
export function filterGrad(dw: usize, ldw: i32, dy: usize, ldy: i32, cols: usize, ldc: i32, F: i32, K: i32, P: i32): void {
  const P4 = P & ~3;
  const rowY = <usize>(ldy << 2), rowC = <usize>(ldc << 2);
  for (let f0 = 0; f0 < F; f0 += 2) {
    const nf = min(2, F - f0);
    const y0 = dy + (<usize>f0) * rowY;
    const y1 = y0 + (nf > 1 ? rowY : 0);
    for (let k0 = 0; k0 < K; k0 += 4) {
      const nk = min(4, K - k0);
      const x0 = cols + (<usize>k0) * rowC;
      const x1 = x0 + (nk > 1 ? rowC : 0);
      const x2 = x0 + (nk > 2 ? rowC * 2 : 0);
      const x3 = x0 + (nk > 3 ? rowC * 3 : 0);
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
      for (let p = 0; p < P4; p += 4) {
        const o = <usize>(p << 2);
        const v0 = v128.load(y0 + o), v1 = v128.load(y1 + o);
        let c = v128.load(x0 + o);
        a00 = madd(v0, c, a00); a10 = madd(v1, c, a10);
        c = v128.load(x1 + o);
        a01 = madd(v0, c, a01); a11 = madd(v1, c, a11);
        c = v128.load(x2 + o);
        a02 = madd(v0, c, a02); a12 = madd(v1, c, a12);
        c = v128.load(x3 + o);
        a03 = madd(v0, c, a03); a13 = madd(v1, c, a13);
      }
      let s00 = hsum(a00), s01 = hsum(a01), s02 = hsum(a02), s03 = hsum(a03);
      let s10 = hsum(a10), s11 = hsum(a11), s12 = hsum(a12), s13 = hsum(a13);
      for (let p = P4; p < P; p++) {
        const o = <usize>(p << 2);
        const v0 = load<f32>(y0 + o), v1 = load<f32>(y1 + o);
        const c0 = load<f32>(x0 + o), c1 = load<f32>(x1 + o), c2 = load<f32>(x2 + o), c3 = load<f32>(x3 + o);
        s00 += v0 * c0; s01 += v0 * c1; s02 += v0 * c2; s03 += v0 * c3;
        s10 += v1 * c0; s11 += v1 * c1; s12 += v1 * c2; s13 += v1 * c3;
      }
      const d0 = dw + (<usize>((f0 * ldw + k0) << 2));
      store<f32>(d0, load<f32>(d0) + s00);
      if (nk > 1) store<f32>(d0, load<f32>(d0, 4) + s01, 4);
      if (nk > 2) store<f32>(d0, load<f32>(d0, 8) + s02, 8);
      if (nk > 3) store<f32>(d0, load<f32>(d0, 12) + s03, 12);
      if (nf > 1) {
        const d1 = d0 + (<usize>(ldw << 2));
        store<f32>(d1, load<f32>(d1) + s10);
        if (nk > 1) store<f32>(d1, load<f32>(d1, 4) + s11, 4);
        if (nk > 2) store<f32>(d1, load<f32>(d1, 8) + s12, 8);
        if (nk > 3) store<f32>(d1, load<f32>(d1, 12) + s13, 12);
      }
    }
  }
}
