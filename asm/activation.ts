// AssemblyScript ReLU pair over float32 vectors in wasm memory, four lanes at a time and without
// branches (the JS loop mispredicts on every sign change). Same bits as runtime/layers/activation.ts:
// y = x > 0 ? x : 0 (NaN → 0), dx = y > 0 ? dy : 0. Pointers are bytes, n counts floats.

/** v[0..n) ← max(v, 0) in place; pmax(0, v) is exactly `0 < v ? v : 0`. */
export function reluForward(v: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = v + (<usize>(i << 2));
    v128.store(p, f32x4.pmax(zero, v128.load(p)));
  }
  for (; i < n; i++) {
    const p = v + (<usize>(i << 2));
    const x = load<f32>(p);
    store<f32>(p, x > 0 ? x : 0);
  }
}

/** d[0..n) ← y > 0 ? d : 0 in place (d holds dy on entry). */
export function reluBackward(d: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>(i << 2);
    v128.store(d + o, v128.and(v128.load(d + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>(i << 2);
    store<f32>(d + o, load<f32>(y + o) > 0 ? load<f32>(d + o) : 0);
  }
}
