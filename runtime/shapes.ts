// Shape inference over a ModelSpec: per layer the output shape, parameter count, multiply-adds and
// receptive field, or the first layer whose output would be empty. Pure arithmetic, no tensors;
// shared by the dsl checker (diagnostics, summaries) and runtime/net.ts (buffer sizes).
import type { LayerSpec, ModelSpec, Pair, Shape3 } from './spec.js';
import type { LayerInfo } from './types.js';

export type ShapeResult = { ok: true; layers: LayerInfo[] } | { ok: false; layer: number; message: string };

/** Walking state: the receptive-field recurrence needs the jump (input pixels per output step). */
interface Walk {
  shape: Shape3;
  /** Spatial size seen by the last spatial layer; flatten keeps it so a following dense spans it. */
  spatial: Pair;
  rf: Pair;
  jump: Pair;
}

/** Output size of a sliding window: floor((n + pad − k)/s) + 1, which may be ≤ 0. */
export function windowOut(n: number, pad: number, k: number, s: number): number {
  return Math.floor((n + pad - k) / s) + 1;
}

/**
 * TF-style "same" padding: output = ceil(in/stride); the odd pixel of padding goes bottom/right.
 */
export function samePadding(inH: number, inW: number, kernel: Pair, stride: Pair): { top: number; bottom: number; left: number; right: number } {
  const total = (n: number, k: number, s: number) => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  const th = total(inH, kernel[0], stride[0]);
  const tw = total(inW, kernel[1], stride[1]);
  const top = Math.floor(th / 2);
  const left = Math.floor(tw / 2);
  return { top, bottom: th - top, left, right: tw - left };
}

function fmt(s: Shape3): string {
  return `${s.c}×${s.h}×${s.w}`;
}

/** Grows the receptive field by a window of size k and stride s (per axis). */
function slide(walk: Walk, k: Pair, s: Pair): { rf: Pair; jump: Pair } {
  return {
    rf: [walk.rf[0] + (k[0] - 1) * walk.jump[0], walk.rf[1] + (k[1] - 1) * walk.jump[1]],
    jump: [walk.jump[0] * s[0], walk.jump[1] * s[1]],
  };
}

type Step = { info: Omit<LayerInfo, 'name' | 'kind'>; next: Walk } | { error: string };

function stepWindow(walk: Walk, l: LayerSpec & { kind: 'conv2d' | 'maxpool' | 'avgpool' }): Step {
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

function step(walk: Walk, l: LayerSpec): Step {
  const { c, h, w } = walk.shape;
  const same = (params: number, macs: number): Step => ({ info: { out: { ...walk.shape }, params, macs, receptive: walk.rf }, next: walk });
  switch (l.kind) {
    case 'conv2d':
    case 'maxpool':
    case 'avgpool':
      return stepWindow(walk, l);
    case 'dense': {
      if (l.units < 1) return { error: `${l.name}: units must be at least 1 (got ${l.units})` };
      const fanIn = c * h * w;
      // A dense layer sees the whole (flattened) map: like a window the size of the last spatial map.
      const g = slide(walk, walk.spatial, [1, 1]);
      const out = { c: l.units, h: 1, w: 1 };
      return {
        info: { out, params: fanIn * l.units + l.units, macs: fanIn * l.units, receptive: g.rf },
        next: { shape: out, spatial: [1, 1], rf: g.rf, jump: walk.jump },
      };
    }
    case 'flatten': {
      const out = { c: c * h * w, h: 1, w: 1 };
      return { info: { out, params: 0, macs: 0, receptive: walk.rf }, next: { ...walk, shape: out } };
    }
    case 'batchnorm':
      return same(2 * c, c * h * w);
    case 'dropout':
    case 'activation':
      return same(0, 0);
  }
}

/** Output shape, parameters, multiply-adds and receptive field per layer, or the first empty layer. */
export function inferShapes(spec: ModelSpec): ShapeResult {
  const { c, h, w } = spec.input;
  if (!(c >= 1 && h >= 1 && w >= 1)) {
    return { ok: false, layer: -1, message: `input shape ${fmt(spec.input)} must be at least 1×1×1` };
  }
  let walk: Walk = { shape: { c, h, w }, spatial: [h, w], rf: [1, 1], jump: [1, 1] };
  const layers: LayerInfo[] = [];
  for (let i = 0; i < spec.layers.length; i++) {
    const l = spec.layers[i];
    const r = step(walk, l);
    if ('error' in r) return { ok: false, layer: i, message: r.error };
    layers.push({ name: l.name, kind: l.kind, ...r.info });
    walk = r.next;
  }
  return { ok: true, layers };
}
