// AssemblyScript max pooling over float32 maps in wasm memory: the forward branch-free (integer selects
// instead of data-dependent jumps), with the same rule as runtime/layers/maxpool.ts: strict > keeps the first
// of equal values in raster order, and a NaN start stays the winner; the backward routes dy to the winners.
// Pointers are bytes.

/** y (planes,Ho,Wo) ← window maxima of x (planes,H,W); arg (planes,Ho,Wo) ← flat float index into x of each winner. */
export function maxpoolForward(
  y: usize, arg: usize, x: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ho: i32, wo: i32,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2) {
    maxpool2x2(y, arg, x, planes, h, w, ho, wo);
    return;
  }
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

// 2×2 windows at stride 2 (the common case), four outputs per step: the two input rows are split into
// even and odd columns, and the window's four candidates are compared in raster order with the same
// strict > as above, so maxima and winners are those of the scalar loop (a NaN start keeps winning).
function maxpool2x2(y: usize, arg: usize, x: usize, planes: i32, h: i32, w: i32, ho: i32, wo: i32): void {
  const steps = i32x4(0, 2, 4, 6);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < ho; oh++) {
      const r0 = xp + 2 * oh * w;
      const p0 = x + (<usize>(r0 << 2)), p1 = p0 + (<usize>(w << 2));
      // Groups of four outputs; when wo is not a multiple of 4 (and ≥ 4) the last group overlaps the one
      // before instead of leaving a scalar tail: it recomputes a few outputs exactly as they were, and
      // reads columns < 2·wo ≤ w. Rows narrower than 4 take the scalar loop.
      const row = o;
      let ow = 0;
      for (let more = wo >= 4; more; ow = min(ow + 4, wo - 4)) {
        more = ow < wo - 4;
        o = row + (<usize>(ow << 2));
        const at = <usize>(ow << 3);
        const u0 = v128.load(p0 + at), u1 = v128.load(p0 + at, 16);
        const l0 = v128.load(p1 + at), l1 = v128.load(p1 + at, 16);
        const a = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), b = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
        const c = v128.shuffle<f32>(l0, l1, 0, 2, 4, 6), d = v128.shuffle<f32>(l0, l1, 1, 3, 5, 7);
        const ia = i32x4.add(i32x4.splat(r0 + 2 * ow), steps);
        let best = a, bi = ia;
        let gt = f32x4.gt(b, best);
        best = v128.bitselect(b, best, gt); bi = v128.bitselect(i32x4.add(ia, i32x4.splat(1)), bi, gt);
        gt = f32x4.gt(c, best);
        best = v128.bitselect(c, best, gt); bi = v128.bitselect(i32x4.add(ia, i32x4.splat(w)), bi, gt);
        gt = f32x4.gt(d, best);
        best = v128.bitselect(d, best, gt); bi = v128.bitselect(i32x4.add(ia, i32x4.splat(w + 1)), bi, gt);
        v128.store(y + o, best);
        v128.store(arg + o, bi);
      }
      ow = wo >= 4 ? wo : 0;
      o = row + (<usize>(ow << 2));
      for (; ow < wo; ow++, o += 4) {
        const s = r0 + 2 * ow;
        let best = s;
        let bestV = load<f32>(x + (<usize>(s << 2)));
        for (let q = 1; q < 4; q++) {
          const i = s + (q & 1) + (q >> 1) * w;
          const v = load<f32>(x + (<usize>(i << 2)));
          const g = v > bestV;
          bestV = reinterpret<f32>(select<i32>(reinterpret<i32>(v), reinterpret<i32>(bestV), g));
          best = select<i32>(i, best, g);
        }
        store<f32>(y + o, bestV);
        store<i32>(arg + o, best);
      }
    }
  }
}

/** dx (inLen floats) ← 0, then dx[arg[o]] += dy[o] for o in order (overlapping windows add up), as the JS loop does. */
export function maxpoolBackward(dx: usize, dy: usize, arg: usize, inLen: i32, outLen: i32): void {
  let i = 0;
  const z = f32x4.splat(0);
  for (; i + 4 <= inLen; i += 4) v128.store(dx + (<usize>(i << 2)), z);
  for (; i < inLen; i++) store<f32>(dx + (<usize>(i << 2)), 0);
  for (let o = 0; o < outLen; o++) {
    const at = dx + (<usize>(load<i32>(arg + (<usize>(o << 2))) << 2));
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>(o << 2))));
  }
}
