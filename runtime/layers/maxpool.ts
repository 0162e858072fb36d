// Max pooling without padding, NCHW; windows may overlap (stride < size) or skip pixels (stride > size).
// The forward pass records each output's winning input index; ties go to the first in raster order.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html
import { wasmAvailable } from '../kernels/wasm-module.js';
import { wasmMaxpoolBackward, wasmMaxpoolForward } from '../kernels/wasm-maxpool.js';
import type { Buf } from '../types.js';
import { noParams, noState, nothing, type LayerDef } from './layer.js';
import { poolNode, windowStep, type PoolShape } from './window.js';

export type { PoolShape };

/** y (N,C,Ho,Wo) ← window maxima of x (N,C,H,W); argmax (N,C,Ho,Wo) ← flat index into x of each winner. */
export function maxpoolForward(y: Buf, argmax: Int32Array, x: Buf, n: number, s: PoolShape): void {
  const { h, w, kh, kw, sh, sw, ho, wo } = s;
  const planes = n * s.c;
  // Float32 pools in wasm: same winners, without a mispredicted branch per comparison.
  if (y instanceof Float32Array && x instanceof Float32Array && wasmAvailable()) {
    return wasmMaxpoolForward(y, argmax, x, planes, h, w, kh, kw, sh, sw, ho, wo);
  }
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, o++) {
        const start = xp + oh * sh * w + ow * sw;
        let best = start;
        let bestV = x[start];
        for (let i = 0; i < kh; i++) {
          const r = start + i * w;
          for (let j = 0; j < kw; j++) {
            // Strict > keeps the first of equal values.
            if (x[r + j] > bestV) {
              bestV = x[r + j];
              best = r + j;
            }
          }
        }
        y[o] = bestV;
        argmax[o] = best;
      }
    }
  }
}

// Above this many input floats the wasm backward's copies (dy and the winners in, all of dx out) cost more
// than the plain loop's clear-and-scatter (measured: 2.2 against 2.0 ms at 2M floats, 0.89 against 1.0 at 1M,
// 0.19 against 0.26 at LeNet's 301K). Either path gives the same bits.
const WASM_BACKWARD_MAX = 1 << 20;

/** dx (N,C,H,W) ← dy (N,C,Ho,Wo) routed to the recorded winners (overwritten; overlaps add up). */
export function maxpoolBackward(dx: Buf, dy: Buf, argmax: Int32Array, n: number, s: PoolShape): void {
  const total = n * s.c * s.ho * s.wo;
  const inLen = n * s.c * s.h * s.w;
  if (inLen <= WASM_BACKWARD_MAX && dx instanceof Float32Array && dy instanceof Float32Array && wasmAvailable()) {
    return wasmMaxpoolBackward(dx, dy, argmax, inLen, total);
  }
  dx.fill(0, 0, inLen);
  for (let o = 0; o < total; o++) dx[argmax[o]] += dy[o];
}

export const maxpoolLayer: LayerDef<'maxpool'> = {
  kind: 'maxpool',
  shape: (l, walk) => windowStep(walk, l),
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node: (l, ctx) => poolNode(l, ctx, { switches: true, forward: maxpoolForward, backward: maxpoolBackward }),
  output: () => 'linear',
};
