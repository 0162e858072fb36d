// Fully connected layer, weight stored (out, in) as PyTorch's nn.Linear does; an (N,C,H,W) input is
// read as (N, C·H·W) without copying, which is how a dense layer after a conv flattens implicitly.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
import { matmulAB, matmulABt, matmulAtB } from '../kernels/matmul.js';
import type { Buf } from '../types.js';

/** y (N,U) ← x (N,I) · wᵀ (I,U) + b (U), with w (U,I). */
export function denseForward(y: Buf, x: Buf, w: Buf, b: Buf, n: number, inSize: number, units: number): void {
  for (let i = 0; i < n; i++) y.set(b.subarray(0, units), i * units);
  matmulABt(y, 0, x, 0, w, 0, n, inSize, units, true);
}

/** Given dy (N,U): dw (U,I) += dyᵀ·x, db (U) += Σₙ dy, dx (N,I) ← dy·w (overwritten; null skips it). */
export function denseBackward(
  dx: Buf | null, dw: Buf, db: Buf, dy: Buf, x: Buf, w: Buf, n: number, inSize: number, units: number,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * units;
    for (let u = 0; u < units; u++) db[u] += dy[o + u];
  }
  matmulAtB(dw, 0, dy, 0, x, 0, units, n, inSize, true);
  if (dx) matmulAB(dx, 0, dy, 0, w, 0, n, units, inSize, false);
}
