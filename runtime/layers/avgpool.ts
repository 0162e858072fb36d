// Average pooling without padding, NCHW: every output is the mean of its Kh×Kw window, so in the
// backward pass each window pixel receives dy/(Kh·Kw).
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html
import type { Buf } from '../types.js';
import { noParams, noState, nothing, type LayerDef } from './layer.js';
import { poolNode, windowStep, type PoolShape } from './window.js';

/** y (N,C,Ho,Wo) ← window means of x (N,C,H,W). */
export function avgpoolForward(y: Buf, x: Buf, n: number, s: PoolShape): void {
  const { h, w, kh, kw, sh, sw, ho, wo } = s;
  const inv = 1 / (kh * kw);
  const planes = n * s.c;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, o++) {
        const start = xp + oh * sh * w + ow * sw;
        let sum = 0;
        for (let i = 0; i < kh; i++) {
          const r = start + i * w;
          for (let j = 0; j < kw; j++) sum += x[r + j];
        }
        y[o] = sum * inv;
      }
    }
  }
}

/** dx (N,C,H,W) ← dy (N,C,Ho,Wo) spread evenly over each window (overwritten; overlaps add up). */
export function avgpoolBackward(dx: Buf, dy: Buf, n: number, s: PoolShape): void {
  const { h, w, kh, kw, sh, sw, ho, wo } = s;
  dx.fill(0, 0, n * s.c * h * w);
  const inv = 1 / (kh * kw);
  const planes = n * s.c;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, o++) {
        const g = dy[o] * inv;
        const start = xp + oh * sh * w + ow * sw;
        for (let i = 0; i < kh; i++) {
          const r = start + i * w;
          for (let j = 0; j < kw; j++) dx[r + j] += g;
        }
      }
    }
  }
}

export const avgpoolLayer: LayerDef<'avgpool'> = {
  kind: 'avgpool',
  shape: (l, walk) => windowStep(walk, l),
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node: (l, ctx) =>
    poolNode(l, ctx, {
      switches: false,
      forward: (y, _sw, x, n, s) => avgpoolForward(y, x, n, s),
      backward: (dx, dy, _sw, n, s) => avgpoolBackward(dx, dy, n, s),
    }),
  output: () => 'linear',
};
