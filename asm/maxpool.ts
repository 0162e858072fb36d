// AssemblyScript max-pooling forward over float32 maps in wasm memory, branch-free (integer selects
// instead of data-dependent jumps), with the same rule as runtime/layers/maxpool.ts: strict > keeps the first
// of equal values in raster order, and a NaN start stays the winner. Pointers are bytes.

/** y (planes,Ho,Wo) ← window maxima of x (planes,H,W); arg (planes,Ho,Wo) ← flat float index into x of each winner. */
export function maxpoolForward(
  y: usize, arg: usize, x: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ho: i32, wo: i32,
): void {
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, o += 4) {
        const start = xp + oh * sh * w + ow * sw;
        let best = start;
        let bestV = load<f32>(x + (<usize>(start << 2)));
        for (let i = 0; i < kh; i++) {
          const r = start + i * w;
          for (let j = 0; j < kw; j++) {
            const v = load<f32>(x + (<usize>((r + j) << 2)));
            const gt = v > bestV;
            // Integer selects: V8 turns those into cmov, while a float select may become a jump.
            bestV = reinterpret<f32>(select<i32>(reinterpret<i32>(v), reinterpret<i32>(bestV), gt));
            best = select<i32>(r + j, best, gt);
          }
        }
        store<f32>(y + o, bestV);
        store<i32>(arg + o, best);
      }
    }
  }
}
