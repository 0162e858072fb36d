// AssemblyScript source of the single-precision GEMM (built into dist/asm/kernels.wasm by `npm run build`):
// C (M×N, row stride ldc) [+]= A·B with A and B read through element strides, packed per K-block into
// 4-row and 8-column panels, multiplied by a 4×8 f32x4 micro-kernel. Memory layout is the caller's job.

import { madd } from './madd';

// Micro-tile 4×8: eight f32x4 accumulators plus two B vectors and one broadcast fit V8's 16 SIMD registers.
const MR: i32 = 4;
const NR: i32 = 8;
// K-block: an A panel (4·KC floats) and a B panel (8·KC floats) stay in L1 across a row of tiles.
const KC: i32 = 256;

/** First byte the caller may use; everything below belongs to the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes the packed panels need for a product with these dimensions (the caller reserves them). */
export function packBytes(M: i32, K: i32, N: i32): i32 {
  const kc = min(K, KC);
  const mp = (M + MR - 1) / MR * MR;
  const np = (N + NR - 1) / NR * NR;
  return (mp + np) * kc * 4;
}

// A(i, k) = src[i·ai + k·ak] for rows [0, M), k in [k0, k0+kc) → panels of 4 rows, k-major, zero-padded.
function packA(dst: usize, src: usize, ai: i32, ak: i32, M: i32, k0: i32, kc: i32): void {
  for (let i0 = 0; i0 < M; i0 += MR) {
    const rows = min(MR, M - i0);
    for (let k = 0; k < kc; k++) {
      const s = src + (<usize>((i0 * ai + (k0 + k) * ak) << 2));
      const d = dst + (<usize>(k << 4));
      for (let r = 0; r < MR; r++) {
        store<f32>(d + (<usize>(r << 2)), r < rows ? load<f32>(s + (<usize>((r * ai) << 2))) : 0);
      }
    }
    dst += <usize>((kc * MR) << 2);
  }
}

// B(k, j) = src[k·bk + j·bj] for k in [k0, k0+kc), columns [0, N) → panels of 8 columns, k-major, zero-padded.
function packB(dst: usize, src: usize, bk: i32, bj: i32, N: i32, k0: i32, kc: i32): void {
  for (let j0 = 0; j0 < N; j0 += NR) {
    const cols = min(NR, N - j0);
    if (cols == NR && bj == 1) {
      // Row-major B: each panel row is two contiguous vectors.
      for (let k = 0; k < kc; k++) {
        const s = src + (<usize>(((k0 + k) * bk + j0) << 2));
        const d = dst + (<usize>(k << 5));
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else {
      // Column by column, so reads walk along memory when B is stored transposed (bk = 1, the A·Bᵀ case).
      for (let c = 0; c < NR; c++) {
        const d = dst + (<usize>(c << 2));
        if (c >= cols) {
          for (let k = 0; k < kc; k++) store<f32>(d + (<usize>(k << 5)), 0);
          continue;
        }
        const s = src + (<usize>((k0 * bk + (j0 + c) * bj) << 2));
        for (let k = 0; k < kc; k++) store<f32>(d + (<usize>(k << 5)), load<f32>(s + (<usize>((k * bk) << 2))));
      }
    }
    dst += <usize>((kc * NR) << 2);
  }
}

// One 4×8 tile of C over kc steps; sums run k = 0, 1, … in order, so results never depend on the caller.
// overwrite: C ← tile, else C += tile. c points at the tile's top-left; ldc in floats. B's rows of 8 are
// sb bytes apart: 32 in a packed panel, a row of B itself when read in place.
function micro(pa: usize, pb: usize, sb: usize, kc: i32, c: usize, ldc: i32, overwrite: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16;
    pb += sb;
  }
  const row = <usize>(ldc << 2);
  const r0 = c, r1 = c + row, r2 = r1 + row, r3 = r2 + row;
  if (!overwrite) {
    c00 = f32x4.add(v128.load(r0), c00); c01 = f32x4.add(v128.load(r0, 16), c01);
    c10 = f32x4.add(v128.load(r1), c10); c11 = f32x4.add(v128.load(r1, 16), c11);
    c20 = f32x4.add(v128.load(r2), c20); c21 = f32x4.add(v128.load(r2, 16), c21);
    c30 = f32x4.add(v128.load(r3), c30); c31 = f32x4.add(v128.load(r3, 16), c31);
  }
  v128.store(r0, c00); v128.store(r0, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

// The first two rows of a 4-row A panel against 8 columns: the last tile of M = 4q + 1 or 4q + 2 rows
// (LeNet's conv1 has 6 filters) without computing two rows of padding. Same order of sums per output.
function micro2(pa: usize, pb: usize, sb: usize, kc: i32, c: usize, ldc: i32, overwrite: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    pa += 16;
    pb += sb;
  }
  const r0 = c, r1 = c + (<usize>(ldc << 2));
  if (!overwrite) {
    c00 = f32x4.add(v128.load(r0), c00); c01 = f32x4.add(v128.load(r0, 16), c01);
    c10 = f32x4.add(v128.load(r1), c10); c11 = f32x4.add(v128.load(r1, 16), c11);
  }
  v128.store(r0, c00); v128.store(r0, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
}

/**
 * C [+]= A·B. A(i,k) = a[i·ai + k·ak], B(k,j) = b[k·bk + j·bj] (element strides, byte pointers).
 * C is row-major with ldc ≥ N rounded up to 8 and room for M rounded up to 4 rows (padding is scribbled on).
 * pack: scratch of packBytes(M, K, N) bytes.
 */
export function gemm(
  c: usize, ldc: i32, a: usize, ai: i32, ak: i32, b: usize, bk: i32, bj: i32,
  M: i32, K: i32, N: i32, acc: bool, pack: usize,
): void {
  const kcMax = min(K, KC);
  const mp = (M + MR - 1) / MR * MR;
  const pa = pack;
  const pb = pack + (<usize>((mp * kcMax) << 2));
  if (K == 0 && !acc) {
    for (let i = 0; i < M; i++) memory.fill(c + (<usize>((i * ldc) << 2)), 0, <usize>(N << 2));
    return;
  }
  // Row-major B (bj = 1) under few rows of A (M ≤ 32, e.g. a conv layer's filters or a micro-batch): a
  // packed panel would serve only a few tiles, so whole 8-column panels are read in place, rows bk floats
  // apart, and only a ragged last panel is packed. Taller products pack every panel (reused by many tiles).
  const direct = bj == 1 && M <= 32;
  const nFull = N / NR * NR;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    packA(pa, a, ai, ak, M, k0, kc);
    if (!direct) packB(pb, b, bk, bj, N, k0, kc);
    else if (nFull < N) packB(pb, b + (<usize>(nFull << 2)), bk, bj, N - nFull, k0, kc);
    const overwrite = k0 == 0 && !acc;
    for (let j0 = 0; j0 < N; j0 += NR) {
      let pbj: usize, sb: usize;
      if (direct && j0 < nFull) {
        pbj = b + (<usize>((k0 * bk + j0) << 2));
        sb = <usize>(bk << 2);
      } else {
        pbj = pb + (<usize>(((direct ? 0 : j0) * kc) << 2));
        sb = 32;
      }
      for (let i0 = 0; i0 < M; i0 += MR) {
        const pai = pa + (<usize>((i0 * kc) << 2)), ci = c + (<usize>((i0 * ldc + j0) << 2));
        if (M - i0 <= 2) micro2(pai, pbj, sb, kc, ci, ldc, overwrite);
        else micro(pai, pbj, sb, kc, ci, ldc, overwrite);
      }
    }
  }
}

/** Rows of C stored with stride ldc → packed with stride N, in place (rows only move towards the start). */
export function compact(c: usize, ldc: i32, M: i32, N: i32): void {
  if (ldc == N) return;
  // Loops rather than memory.copy, which V8 runs as a call out of the module (slow for short rows).
  // Moving forwards is safe: each destination lies before its source.
  for (let i = 1; i < M; i++) {
    const d = c + (<usize>((i * N) << 2)), s = c + (<usize>((i * ldc) << 2));
    let j = 0;
    for (; j + 4 <= N; j += 4) v128.store(d + (<usize>(j << 2)), v128.load(s + (<usize>(j << 2))));
    for (; j < N; j++) store<f32>(d + (<usize>(j << 2)), load<f32>(s + (<usize>(j << 2))));
  }
}

/** The inverse of compact: packed rows (stride N) → stride ldc, in place, last row first. */
export function spread(c: usize, ldc: i32, M: i32, N: i32): void {
  if (ldc == N) return;
  // Backwards, element by element: each destination lies after its source.
  for (let i = M - 1; i > 0; i--) {
    const d = c + (<usize>((i * ldc) << 2)), s = c + (<usize>((i * N) << 2));
    for (let j = N - 1; j >= 0; j--) store<f32>(d + (<usize>(j << 2)), load<f32>(s + (<usize>(j << 2))));
  }
}

/** dst (M×N packed) ← src rows (stride lds) + bias[i] on row i; the float32 sum rounds as JS's float64 sum stored to float32 does. */
export function unpadBias(dst: usize, src: usize, lds: i32, M: i32, N: i32, bias: usize): void {
  for (let i = 0; i < M; i++) {
    const d = dst + (<usize>((i * N) << 2)), s = src + (<usize>((i * lds) << 2));
    const bv = v128.load32_splat(bias + (<usize>(i << 2)));
    const b = load<f32>(bias + (<usize>(i << 2)));
    let j = 0;
    for (; j + 4 <= N; j += 4) v128.store(d + (<usize>(j << 2)), f32x4.add(v128.load(s + (<usize>(j << 2))), bv));
    for (; j < N; j++) store<f32>(d + (<usize>(j << 2)), load<f32>(s + (<usize>(j << 2))) + b);
  }
}

/** db[f] += Σ_p dy[f·P + p] for f < F, summed in float64 in p order and rounded once, as the JS loop does. */
export function biasGrad(db: usize, dy: usize, F: i32, P: i32): void {
  // Four rows at once: each row's sum is still one chain in p order (the same bits), but four chains
  // interleave, so the loop is no longer bound by one float64 add's latency per element.
  const row = <usize>(P << 2);
  let f = 0;
  for (; f + 4 <= F; f += 4) {
    const r0 = dy + (<usize>f) * row, r1 = r0 + row, r2 = r1 + row, r3 = r2 + row;
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let p = 0; p < P; p++) {
      const o = <usize>(p << 2);
      s0 += <f64>load<f32>(r0 + o);
      s1 += <f64>load<f32>(r1 + o);
      s2 += <f64>load<f32>(r2 + o);
      s3 += <f64>load<f32>(r3 + o);
    }
    const at = db + (<usize>(f << 2));
    store<f32>(at, <f32>(<f64>load<f32>(at) + s0));
    store<f32>(at, <f32>(<f64>load<f32>(at, 4) + s1), 4);
    store<f32>(at, <f32>(<f64>load<f32>(at, 8) + s2), 8);
    store<f32>(at, <f32>(<f64>load<f32>(at, 12) + s3), 12);
  }
  for (; f < F; f++) {
    const r = dy + (<usize>f) * row;
    let s: f64 = 0;
    for (let p = 0; p < P; p++) s += <f64>load<f32>(r + (<usize>(p << 2)));
    const at = db + (<usize>(f << 2));
    store<f32>(at, <f32>(<f64>load<f32>(at) + s));
  }
}
