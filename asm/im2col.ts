// AssemblyScript im2col / col2im for one NCHW example inside wasm memory (same geometry and padding
// rules as runtime/kernels/im2col.ts: zero pads read 0, replicate clamps to the edge pixel), so a
// float32 convolution never leaves wasm between unrolling its input and multiplying. Pointers are bytes.

// Output columns [lo, hi) whose input column kj − left + ow·sw lies inside [0, w).
function owLo(kj: i32, left: i32, sw: i32, wo: i32): i32 {
  const d = left - kj;
  const lo = d <= 0 ? 0 : (d + sw - 1) / sw;
  return min(wo, lo);
}

function owHi(kj: i32, left: i32, sw: i32, w: i32, wo: i32, lo: i32): i32 {
  const d = w - 1 + left - kj;
  const hi = d < 0 ? 0 : d / sw + 1;
  return max(lo, min(wo, hi));
}

// Copies n floats src → dst: whole vectors, then (n ≥ 4) one last vector ending at n, overlapping.
@inline
function copyRow(dst: usize, src: usize, n: i32): void {
  if (n < 4) {
    for (let j = 0; j < n; j++) store<f32>(dst + (<usize>(j << 2)), load<f32>(src + (<usize>(j << 2))));
    return;
  }
  let j = 0;
  for (; j + 4 < n; j += 4) v128.store(dst + (<usize>(j << 2)), v128.load(src + (<usize>(j << 2))));
  j = n - 4;
  v128.store(dst + (<usize>(j << 2)), v128.load(src + (<usize>(j << 2))));
}

@inline
function zeroRow(dst: usize, n: i32): void {
  for (let j = 0; j < n; j++) store<f32>(dst + (<usize>(j << 2)), 0);
}

// The common case (stride 1, zero padding): for each kernel offset the rows that fall in the padding
// and the columns [lo, hi) that read the image are fixed, so the inner loop is one straight copy per row.
function im2colUnitStride(cols: usize, ld: i32, x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, top: i32, left: i32, ho: i32, wo: i32): void {
  let row = cols;
  const rowBytes = <usize>(wo << 2);
  for (let ch = 0; ch < c; ch++) {
    const xc = x + (<usize>((ch * h * w) << 2));
    for (let ki = 0; ki < kh; ki++) {
      // Output rows whose input row ki − top + oh lies inside [0, h).
      const ohLo = min(ho, max(0, top - ki));
      const ohHi = max(ohLo, min(ho, h + top - ki));
      for (let kj = 0; kj < kw; kj++, row += <usize>(ld << 2)) {
        const lo = owLo(kj, left, 1, wo);
        const hi = owHi(kj, left, 1, w, wo, lo);
        const n = hi - lo;
        let o = row;
        for (let oh = 0; oh < ohLo; oh++, o += rowBytes) zeroRow(o, wo);
        let src = xc + (<usize>(((ohLo - top + ki) * w + kj - left + lo) << 2));
        if (lo == 0 && hi == wo) {
          for (let oh = ohLo; oh < ohHi; oh++, o += rowBytes, src += <usize>(w << 2)) copyRow(o, src, n);
        } else {
          for (let oh = ohLo; oh < ohHi; oh++, o += rowBytes, src += <usize>(w << 2)) {
            zeroRow(o, lo);
            copyRow(o + (<usize>(lo << 2)), src, n);
            zeroRow(o + (<usize>(hi << 2)), wo - hi);
          }
        }
        for (let oh = ohHi; oh < ho; oh++, o += rowBytes) zeroRow(o, wo);
      }
    }
  }
}

/** cols (C·Kh·Kw rows of Ho·Wo, ld floats apart) ← windows of x (C, H, W). */
export function im2col(
  cols: usize, ld: i32, x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  top: i32, left: i32, replicate: bool, ho: i32, wo: i32,
): void {
  // Rows ld apart let several examples' columns sit side by side, so one GEMM covers them all.
  if (sh == 1 && sw == 1 && !replicate) {
    im2colUnitStride(cols, ld, x, c, h, w, kh, kw, top, left, ho, wo);
    return;
  }
  let row = cols;
  for (let ch = 0; ch < c; ch++) {
    const xc = x + (<usize>((ch * h * w) << 2));
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row += <usize>(ld << 2)) {
        let o = row;
        const lo = owLo(kj, left, sw, wo);
        const hi = owHi(kj, left, sw, w, wo, lo);
        for (let oh = 0; oh < ho; oh++, o += <usize>(wo << 2)) {
          let ih = oh * sh - top + ki;
          if (ih < 0 || ih >= h) {
            if (!replicate) {
              // Short rows: a loop beats memory.fill, which V8 runs as a call out of the module.
              for (let ow = 0; ow < wo; ow++) store<f32>(o + (<usize>(ow << 2)), 0);
              continue;
            }
            ih = ih < 0 ? 0 : h - 1;
          }
          const xr = xc + (<usize>((ih * w) << 2));
          const first: f32 = replicate ? load<f32>(xr) : 0;
          const last: f32 = replicate ? load<f32>(xr + (<usize>((w - 1) << 2))) : 0;
          for (let ow = 0; ow < lo; ow++) store<f32>(o + (<usize>(ow << 2)), first);
          for (let ow = hi; ow < wo; ow++) store<f32>(o + (<usize>(ow << 2)), last);
          const s0 = xr + (<usize>((kj - left) << 2));
          if (sw == 1) {
            let ow = lo;
            for (; ow + 4 <= hi; ow += 4) v128.store(o + (<usize>(ow << 2)), v128.load(s0 + (<usize>(ow << 2))));
            for (; ow < hi; ow++) store<f32>(o + (<usize>(ow << 2)), load<f32>(s0 + (<usize>(ow << 2))));
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(o + (<usize>(ow << 2)), load<f32>(s0 + (<usize>((ow * sw) << 2))));
          }
        }
      }
    }
  }
}

/** dx (C, H, W) += the columns of dcols (C·Kh·Kw rows of Ho·Wo, ld floats apart) scattered back to their pixels. */
export function col2im(
  dx: usize, dcols: usize, ld: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  top: i32, left: i32, replicate: bool, ho: i32, wo: i32,
): void {
  let row = dcols;
  for (let ch = 0; ch < c; ch++) {
    const xc = dx + (<usize>((ch * h * w) << 2));
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row += <usize>(ld << 2)) {
        let o = row;
        const lo = owLo(kj, left, sw, wo);
        const hi = owHi(kj, left, sw, w, wo, lo);
        for (let oh = 0; oh < ho; oh++, o += <usize>(wo << 2)) {
          let ih = oh * sh - top + ki;
          if (ih < 0 || ih >= h) {
            if (!replicate) continue;
            ih = ih < 0 ? 0 : h - 1;
          }
          const xr = xc + (<usize>((ih * w) << 2));
          if (replicate) {
            // Summed first, then added once, in the same order as the JS kernel.
            let sFirst: f32 = 0, sLast: f32 = 0;
            for (let ow = 0; ow < lo; ow++) sFirst += load<f32>(o + (<usize>(ow << 2)));
            for (let ow = hi; ow < wo; ow++) sLast += load<f32>(o + (<usize>(ow << 2)));
            store<f32>(xr, load<f32>(xr) + sFirst);
            const xl = xr + (<usize>((w - 1) << 2));
            store<f32>(xl, load<f32>(xl) + sLast);
          }
          const s0 = xr + (<usize>((kj - left) << 2));
          let ow = lo;
          if (sw == 1) {
            // Each pixel gets one addition per column row either way, so four at a time keeps the bits.
            for (; ow + 4 <= hi; ow += 4) {
              const p = s0 + (<usize>(ow << 2));
              v128.store(p, f32x4.add(v128.load(p), v128.load(o + (<usize>(ow << 2)))));
            }
          }
          for (; ow < hi; ow++) {
            const p = s0 + (<usize>((ow * sw) << 2));
            store<f32>(p, load<f32>(p) + load<f32>(o + (<usize>(ow << 2))));
          }
        }
      }
    }
  }
}
