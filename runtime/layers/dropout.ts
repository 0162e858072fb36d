// Inverted dropout: at training each unit is kept with probability 1−p and scaled by 1/(1−p), so
// evaluation is the identity and the expected activation is unchanged.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html
import type { Buf, Rng } from '../types.js';

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
