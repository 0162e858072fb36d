// Fully connected layer, weight stored (out, in) as PyTorch's nn.Linear does; an (N,C,H,W) input is
// read as (N, C·H·W) without copying, which is how a dense layer after a conv flattens implicitly.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
import { matmulAB, matmulABt, matmulAtB } from '../kernels/matmul.js';
import { Slab } from '../buffers.js';
import { initWeights } from '../init.js';
import type { Buf } from '../types.js';
import { FusedAct } from './activation.js';
import { size, type LayerDef } from './layer.js';
import { slide } from './window.js';

/** y (N,U) ← x (N,I) · wᵀ (I,U) + b (U), with w (U,I). */
export function denseForward(y: Buf, x: Buf, w: Buf, b: Buf, n: number, inSize: number, units: number): void {
  for (let i = 0; i < n; i++) y.set(b.subarray(0, units), i * units);
  matmulABt(y, 0, x, 0, w, 0, n, inSize, units, true);
}

/** Given dy (N,U): dw (U,I) += dyᵀ·x, db (U) += Σₙ dy, dx (N,I) ← dy·w (overwritten; null skips it). */
export function denseBackward(dx: Buf | null, dw: Buf, db: Buf, dy: Buf, x: Buf, w: Buf, n: number, inSize: number, units: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * units;
    for (let u = 0; u < units; u++) db[u] += dy[o + u];
  }
  matmulAtB(dw, 0, dy, 0, x, 0, units, n, inSize, true);
  if (dx) matmulAB(dx, 0, dy, 0, w, 0, n, units, inSize, false);
}

export const denseLayer: LayerDef<'dense'> = {
  kind: 'dense',
  shape(l, walk) {
    const { c, h, w } = walk.shape;
    if (l.units < 1) return { error: `${l.name}: units must be at least 1 (got ${l.units})` };
    const fanIn = c * h * w;
    // A dense layer sees the whole (flattened) map: like a window the size of the last spatial map.
    const g = slide(walk, walk.spatial, [1, 1]);
    const out = { c: l.units, h: 1, w: 1 };
    return {
      info: { out, params: fanIn * l.units + l.units, macs: fanIn * l.units, receptive: g.rf },
      next: { shape: out, spatial: [1, 1], rf: g.rf, jump: walk.jump },
    };
  },
  params: (l, input) => [
    { suffix: 'weight', shape: [l.units, size(input)], decay: true },
    { suffix: 'bias', shape: [l.units], decay: false },
  ],
  stateSize: () => 0,
  initParams(l, [w, b], rng) {
    initWeights(w.value, l.init, w.shape[1], w.shape[0], rng);
    b.value.fill(0);
  },
  initState: () => {},
  node(spec, ctx) {
    const inSize = size(ctx.input);
    const units = spec.units;
    const [w, b] = ctx.params;
    const y = new Slab(ctx.dtype, units);
    const dx = new Slab(ctx.dtype, inSize);
    const act = new FusedAct(spec.activation, ctx.dtype, ctx.out);
    let x: Buf = y.at(0),
      n0 = 0;
    return {
      name: spec.name,
      out: ctx.out,
      forward(xIn, n) {
        x = xIn;
        n0 = n;
        const yb = y.at(n);
        denseForward(act.target(yb, n), x, w.value, b.value, n, inSize, units);
        act.apply(yb, n);
        return yb;
      },
      backward(dy, n, wantDx, skipSoftmax) {
        act.undo(dy, y.at(n), n, skipSoftmax);
        const d = wantDx ? dx.at(n) : null;
        denseBackward(d, w.grad, b.grad, dy, x, w.value, n, inSize, units);
        return d;
      },
      output: () => y.at(n0),
      logits: () => act.logits(n0),
    };
  },
  output: (l) => l.activation,
};
