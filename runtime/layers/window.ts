// What the sliding-window layers (conv2d, maxpool, avgpool) share: the output-size rule, the
// receptive-field recurrence, the shape step with its empty-output error, and the pooling node.
import { IntSlab, Slab } from '../buffers.js';
import type { LayerSpec, Pair } from '../spec.js';
import type { Buf } from '../types.js';
import type { Node, NodeContext, ShapeStep, Walk } from './layer.js';
import { size } from './layer.js';

/** Pooling geometry for one (C,H,W) map → (C,Ho,Wo). */
export interface PoolShape {
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ho: number;
  wo: number;
}

/** A pooling layer's pair; `switches` (N,C,Ho,Wo) is kept from forward to backward when the kind needs it. */
export interface PoolKernels {
  switches: boolean;
  forward(y: Buf, switches: Int32Array, x: Buf, n: number, s: PoolShape): void;
  backward(dx: Buf, dy: Buf, switches: Int32Array, n: number, s: PoolShape): void;
}

/** Output size of a sliding window: floor((n + pad − k)/s) + 1, which may be ≤ 0. */
export function windowOut(n: number, pad: number, k: number, s: number): number {
  return Math.floor((n + pad - k) / s) + 1;
}

/** Grows the receptive field by a window of size k and stride s (per axis). */
export function slide(walk: Walk, k: Pair, s: Pair): { rf: Pair; jump: Pair } {
  return {
    rf: [walk.rf[0] + (k[0] - 1) * walk.jump[0], walk.rf[1] + (k[1] - 1) * walk.jump[1]],
    jump: [walk.jump[0] * s[0], walk.jump[1] * s[1]],
  };
}

const fmt = (s: { c: number; h: number; w: number }) => `${s.c}×${s.h}×${s.w}`;

export function windowStep(walk: Walk, l: LayerSpec & { kind: 'conv2d' | 'maxpool' | 'avgpool' }): ShapeStep {
  const { c, h, w } = walk.shape;
  const k = l.kind === 'conv2d' ? l.kernel : l.size;
  const s = l.stride;
  const pad = l.kind === 'conv2d' ? l.padding : { top: 0, bottom: 0, left: 0, right: 0 };
  if (k[0] < 1 || k[1] < 1 || s[0] < 1 || s[1] < 1) {
    return { error: `${l.name}: window ${k[0]}×${k[1]} and stride ${s[0]}×${s[1]} must be at least 1` };
  }
  const ho = windowOut(h, pad.top + pad.bottom, k[0], s[0]);
  const wo = windowOut(w, pad.left + pad.right, k[1], s[1]);
  if (ho < 1 || wo < 1) {
    const padded = `${h + pad.top + pad.bottom}×${w + pad.left + pad.right}`;
    const padNote = l.kind === 'conv2d' ? ` (padded to ${padded})` : '';
    return {
      error: `${l.name}: output would be empty: input ${fmt(walk.shape)}${padNote} is smaller than the ${k[0]}×${k[1]} window (stride ${s[0]}×${s[1]}) → ${Math.max(ho, 0)}×${Math.max(wo, 0)}`,
    };
  }
  const f = l.kind === 'conv2d' ? l.filters : c;
  const params = l.kind === 'conv2d' ? f * c * k[0] * k[1] + f : 0;
  // Pools are counted as free: multiply-adds measure the learned layers' arithmetic.
  const macs = l.kind === 'conv2d' ? f * ho * wo * c * k[0] * k[1] : 0;
  const g = slide(walk, k, s);
  const out = { c: f, h: ho, w: wo };
  return { info: { out, params, macs, receptive: g.rf }, next: { shape: out, spatial: [ho, wo], rf: g.rf, jump: g.jump } };
}

/** The node of maxpool and avgpool around their pair of kernels. */
export function poolNode(spec: LayerSpec & { kind: 'maxpool' | 'avgpool' }, ctx: NodeContext, k: PoolKernels): Node {
  const { input, out } = ctx;
  const s: PoolShape = {
    c: input.c,
    h: input.h,
    w: input.w,
    kh: spec.size[0],
    kw: spec.size[1],
    sh: spec.stride[0],
    sw: spec.stride[1],
    ho: out.h,
    wo: out.w,
  };
  const y = new Slab(ctx.dtype, size(out));
  const dx = new Slab(ctx.dtype, size(input));
  const switches = new IntSlab(k.switches ? size(out) : 0);
  let n0 = 0;
  return {
    name: spec.name,
    out,
    forward(x: Buf, n: number) {
      n0 = n;
      const yb = y.at(n);
      k.forward(yb, switches.at(n), x, n, s);
      return yb;
    },
    backward(dy, n, wantDx) {
      if (!wantDx) return null;
      const d = dx.at(n);
      k.backward(d, dy, switches.at(n), n, s);
      return d;
    },
    output: () => y.at(n0),
    logits: () => null,
  };
}
