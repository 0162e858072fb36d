// Flatten: (N,C,H,W) read as (N, C·H·W). Free in NCHW (the same values, no copy); the receptive field of
// a following dense still spans the last spatial map. Reference: https://pytorch.org/docs/stable/generated/torch.nn.Flatten.html
import { allocBuf } from '../buffers.js';
import type { Buf } from '../types.js';
import { noParams, noState, nothing, size, type LayerDef } from './layer.js';

export const flattenLayer: LayerDef<'flatten'> = {
  kind: 'flatten',
  shape(_l, walk) {
    const out = { c: size(walk.shape), h: 1, w: 1 };
    return { info: { out, params: 0, macs: 0, receptive: walk.rf }, next: { ...walk, shape: out } };
  },
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node(spec, ctx) {
    let last: Buf = allocBuf(ctx.dtype, 0);
    return {
      name: spec.name,
      out: ctx.out,
      forward(x) {
        last = x;
        return x;
      },
      backward: (dy, _n, wantDx) => (wantDx ? dy : null),
      output: () => last,
      logits: () => null,
    };
  },
  output: () => 'pass',
};
