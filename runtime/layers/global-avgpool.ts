// Global average pooling, NCHW: each channel's H×W map becomes its mean, (N,C,H,W) → (N,C,1,1), so a
// classifier head needs no large dense layer; backward spreads dy/(H·W) over the map.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html (output_size=1)
import { Slab } from '../buffers.js';
import type { Buf } from '../types.js';
import { noParams, noState, nothing, type LayerDef } from './layer.js';
import { slide } from './window.js';

/** y (N,C) ← mean over each plane of x (N,C,plane). */
export function globalAvgpoolForward(y: Buf, x: Buf, n: number, c: number, plane: number): void {
  const inv = 1 / plane;
  for (let p = 0; p < n * c; p++) {
    let sum = 0;
    const o = p * plane;
    for (let i = 0; i < plane; i++) sum += x[o + i];
    y[p] = sum * inv;
  }
}

/** dx (N,C,plane) ← dy (N,C) / plane at every pixel (overwritten). */
export function globalAvgpoolBackward(dx: Buf, dy: Buf, n: number, c: number, plane: number): void {
  const inv = 1 / plane;
  for (let p = 0; p < n * c; p++) {
    const g = dy[p] * inv;
    const o = p * plane;
    for (let i = 0; i < plane; i++) dx[o + i] = g;
  }
}

export const globalAvgpoolLayer: LayerDef<'globalavgpool'> = {
  kind: 'globalavgpool',
  shape(_l, walk) {
    // Every output sees the whole map, like a window the size of the last spatial map (as dense does).
    const g = slide(walk, walk.spatial, [1, 1]);
    const out = { c: walk.shape.c, h: 1, w: 1 };
    return { info: { out, params: 0, macs: 0, receptive: g.rf }, next: { shape: out, spatial: [1, 1], rf: g.rf, jump: walk.jump } };
  },
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node(spec, ctx) {
    const { c, h, w } = ctx.input;
    const plane = h * w;
    const y = new Slab(ctx.dtype, c);
    const dx = new Slab(ctx.dtype, c * plane);
    let n0 = 0;
    return {
      name: spec.name,
      out: ctx.out,
      forward(x, n) {
        n0 = n;
        const yb = y.at(n);
        globalAvgpoolForward(yb, x, n, c, plane);
        return yb;
      },
      backward(dy, n, wantDx) {
        if (!wantDx) return null;
        const d = dx.at(n);
        globalAvgpoolBackward(d, dy, n, c, plane);
        return d;
      },
      output: () => y.at(n0),
      logits: () => null,
    };
  },
  output: () => 'linear',
};
