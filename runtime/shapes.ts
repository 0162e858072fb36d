// Shape inference over a ModelSpec: per layer the output shape, parameter count, multiply-adds and
// receptive field, or the first layer whose output would be empty. Pure arithmetic, no tensors; each
// kind's rule is in its runtime/layers/<kind>.ts. Shared by the dsl checker and runtime/net.ts.
import type { Walk } from './layers/layer.js';
import { defOf } from './layers/table.js';
import type { LayerSpec, ModelSpec, Pair, Shape3 } from './spec.js';
import type { LayerInfo } from './types.js';

export { windowOut } from './layers/window.js';

/** On failure, `layers` holds the layers before the failing one (so their inputs are known). */
export type ShapeResult = { ok: true; layers: LayerInfo[] } | { ok: false; layer: number; message: string; layers: LayerInfo[] };

/**
 * TF-style "same" padding: output = ceil(in/stride); the odd pixel of padding goes bottom/right.
 */
export function samePadding(
  inH: number,
  inW: number,
  kernel: Pair,
  stride: Pair,
): { top: number; bottom: number; left: number; right: number } {
  const total = (n: number, k: number, s: number) => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  const th = total(inH, kernel[0], stride[0]);
  const tw = total(inW, kernel[1], stride[1]);
  const top = Math.floor(th / 2);
  const left = Math.floor(tw / 2);
  return { top, bottom: th - top, left, right: tw - left };
}

const fmt = (s: Shape3) => `${s.c}×${s.h}×${s.w}`;

/** Output shape, parameters, multiply-adds and receptive field per layer, or the first empty layer. */
export function inferShapes(spec: ModelSpec): ShapeResult {
  const { c, h, w } = spec.input;
  if (!(c >= 1 && h >= 1 && w >= 1)) {
    return { ok: false, layer: -1, message: `input shape ${fmt(spec.input)} must be at least 1×1×1`, layers: [] };
  }
  let walk = startWalk(spec.input);
  const layers: LayerInfo[] = [];
  for (let i = 0; i < spec.layers.length; i++) {
    const l = spec.layers[i];
    const r = defOf(l).shape(l, walk);
    if ('error' in r) return { ok: false, layer: i, message: r.error, layers };
    layers.push({ name: l.name, kind: l.kind, ...r.info });
    walk = r.next;
  }
  return { ok: true, layers };
}

function startWalk({ c, h, w }: Shape3): Walk {
  return { shape: { c, h, w }, spatial: [h, w], rf: [1, 1], jump: [1, 1] };
}

/** One layer's output shape on an input shape, or undefined when it would be empty: the language's lowering
 *  threads shapes with it while it resolves 'same' padding (the whole model is checked once, by inferShapes). */
export function layerOut(l: LayerSpec, input: Shape3): Shape3 | undefined {
  const r = defOf(l).shape(l, startWalk(input));
  return 'error' in r ? undefined : r.info.out;
}
