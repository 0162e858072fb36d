// The kernels' one multiply-add, c + a·b per lane: rounded twice (multiply, then add) in the portable build,
// dist/asm/kernels.wasm; fused where the CPU has FMA in the fused build, kernels-fused.wasm (asc --enable relaxed-simd).

@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
