// Inverted dropout: at training each unit is kept with probability 1−p and scaled by 1/(1−p), so
// evaluation is the identity and the expected activation is unchanged.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html
import { Slab } from '../buffers.js';
import type { Buf, Rng } from '../types.js';
import { noParams, noState, nothing, sameShape, size, type LayerDef } from './layer.js';

/** mask (len) ← 0 with probability p, else 1/(1−p), drawn from rng. */
export function dropoutMask(mask: Buf, len: number, p: number, rng: Rng): void {
  const keep = 1 / (1 - p);
  for (let i = 0; i < len; i++) mask[i] = rng.next() < p ? 0 : keep;
}

/** y (len) ← x ⊙ mask. */
export function dropoutForward(y: Buf, x: Buf, mask: Buf, len: number): void {
  for (let i = 0; i < len; i++) y[i] = x[i] * mask[i];
}

/** dx (len) ← dy ⊙ mask (dx may be dy). */
export function dropoutBackward(dx: Buf, dy: Buf, mask: Buf, len: number): void {
  for (let i = 0; i < len; i++) dx[i] = dy[i] * mask[i];
}

export const dropoutLayer: LayerDef<'dropout'> = {
  kind: 'dropout',
  shape: (_l, walk) => sameShape(walk, 0, 0),
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node(spec, ctx) {
    const len = size(ctx.input);
    const y = new Slab(ctx.dtype, len);
    const mask = new Slab(ctx.dtype, len);
    let last: Buf = y.at(0),
      trained = false;
    return {
      name: spec.name,
      out: ctx.out,
      forward(x, n, train, rng) {
        trained = train && spec.rate > 0;
        if (!trained) return (last = x);
        const m = mask.at(n);
        dropoutMask(m, n * len, spec.rate, rng);
        last = y.at(n);
        dropoutForward(last, x, m, n * len);
        return last;
      },
      backward(dy, n, wantDx) {
        if (!wantDx) return null;
        if (trained) dropoutBackward(dy, dy, mask.at(n), n * len);
        return dy;
      },
      output: () => last,
      logits: () => null,
    };
  },
  output: () => 'pass',
};
