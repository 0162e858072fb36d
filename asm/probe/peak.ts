// Not a kernel (scripts/build-wasm.mjs does not build it): the arithmetic ceilings of 128-bit wasm SIMD on
// this machine for scripts/bench-gemm.ts --peak. 14 independent f32x4 chains with no memory traffic, once
// as a separate multiply and add (what the kernels use) and once as relaxed-SIMD fused multiply-add.

export function muladd(n: i32, x: f32): f32 {
  const q = f32x4.splat(x);
  let a0 = f32x4.splat(0.0), a1 = f32x4.splat(1.0), a2 = f32x4.splat(2.0), a3 = f32x4.splat(3.0), a4 = f32x4.splat(4.0), a5 = f32x4.splat(5.0), a6 = f32x4.splat(6.0), a7 = f32x4.splat(7.0), a8 = f32x4.splat(8.0), a9 = f32x4.splat(9.0), a10 = f32x4.splat(10.0), a11 = f32x4.splat(11.0), a12 = f32x4.splat(12.0), a13 = f32x4.splat(13.0);
  for (let i = 0; i < n; i++) {
    a0 = f32x4.add(a0, f32x4.mul(a0, q));
    a1 = f32x4.add(a1, f32x4.mul(a1, q));
    a2 = f32x4.add(a2, f32x4.mul(a2, q));
    a3 = f32x4.add(a3, f32x4.mul(a3, q));
    a4 = f32x4.add(a4, f32x4.mul(a4, q));
    a5 = f32x4.add(a5, f32x4.mul(a5, q));
    a6 = f32x4.add(a6, f32x4.mul(a6, q));
    a7 = f32x4.add(a7, f32x4.mul(a7, q));
    a8 = f32x4.add(a8, f32x4.mul(a8, q));
    a9 = f32x4.add(a9, f32x4.mul(a9, q));
    a10 = f32x4.add(a10, f32x4.mul(a10, q));
    a11 = f32x4.add(a11, f32x4.mul(a11, q));
    a12 = f32x4.add(a12, f32x4.mul(a12, q));
    a13 = f32x4.add(a13, f32x4.mul(a13, q));
  }
  return f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a3, 0) + f32x4.extract_lane(a4, 0) + f32x4.extract_lane(a5, 0) + f32x4.extract_lane(a6, 0) + f32x4.extract_lane(a7, 0) + f32x4.extract_lane(a8, 0) + f32x4.extract_lane(a9, 0) + f32x4.extract_lane(a10, 0) + f32x4.extract_lane(a11, 0) + f32x4.extract_lane(a12, 0) + f32x4.extract_lane(a13, 0);
}
export function fma(n: i32, x: f32): f32 {
  const q = f32x4.splat(x);
  let a0 = f32x4.splat(0.0), a1 = f32x4.splat(1.0), a2 = f32x4.splat(2.0), a3 = f32x4.splat(3.0), a4 = f32x4.splat(4.0), a5 = f32x4.splat(5.0), a6 = f32x4.splat(6.0), a7 = f32x4.splat(7.0), a8 = f32x4.splat(8.0), a9 = f32x4.splat(9.0), a10 = f32x4.splat(10.0), a11 = f32x4.splat(11.0), a12 = f32x4.splat(12.0), a13 = f32x4.splat(13.0);
  for (let i = 0; i < n; i++) {
    a0 = f32x4.relaxed_madd(a0, q, a0);
    a1 = f32x4.relaxed_madd(a1, q, a1);
    a2 = f32x4.relaxed_madd(a2, q, a2);
    a3 = f32x4.relaxed_madd(a3, q, a3);
    a4 = f32x4.relaxed_madd(a4, q, a4);
    a5 = f32x4.relaxed_madd(a5, q, a5);
    a6 = f32x4.relaxed_madd(a6, q, a6);
    a7 = f32x4.relaxed_madd(a7, q, a7);
    a8 = f32x4.relaxed_madd(a8, q, a8);
    a9 = f32x4.relaxed_madd(a9, q, a9);
    a10 = f32x4.relaxed_madd(a10, q, a10);
    a11 = f32x4.relaxed_madd(a11, q, a11);
    a12 = f32x4.relaxed_madd(a12, q, a12);
    a13 = f32x4.relaxed_madd(a13, q, a13);
  }
  return f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a3, 0) + f32x4.extract_lane(a4, 0) + f32x4.extract_lane(a5, 0) + f32x4.extract_lane(a6, 0) + f32x4.extract_lane(a7, 0) + f32x4.extract_lane(a8, 0) + f32x4.extract_lane(a9, 0) + f32x4.extract_lane(a10, 0) + f32x4.extract_lane(a11, 0) + f32x4.extract_lane(a12, 0) + f32x4.extract_lane(a13, 0);
}
