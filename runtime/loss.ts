// Losses on a network's output (N, K) and their gradients, scaled as the caller asks.
// Cross-entropy always works from logits with log-sum-exp; when the model ends in softmax the
// caller passes the pre-softmax values and skips the softmax backward, since ∂CE/∂z = p − onehot.
// MSE per example is the mean over K outputs, so Σ/N equals PyTorch's MSELoss(reduction='mean').
// References: https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html, …/torch.nn.MSELoss.html
import type { Buf } from './types.js';

/**
 * Softmax cross-entropy of logits z (N,K) against class indices t (N).
 * dz (N,K) ← scale · (softmax(z) − onehot(t)) (overwritten; may not alias z). Returns Σₙ −log pₙ[tₙ].
 */
export function crossEntropyLoss(dz: Buf | null, z: Buf, t: ArrayLike<number>, n: number, k: number, scale: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const target = t[i];
    if (!(target >= 0 && target < k && Number.isInteger(target))) {
      throw new RangeError(`cross_entropy: target ${target} of example ${i} is not a class in 0..${k - 1}`);
    }
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[o + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(z[o + j] - m);
    const lse = m + Math.log(sum);
    total += lse - z[o + target];
    if (dz) {
      for (let j = 0; j < k; j++) dz[o + j] = scale * Math.exp(z[o + j] - lse);
      dz[o + target] -= scale;
    }
  }
  return total;
}

/** Mean squared error of y (N,K) against t (N,K); dy ← scale · 2(y − t)/K. Returns Σₙ (1/K)Σₖ (y − t)². */
export function mseLoss(dy: Buf | null, y: Buf, t: ArrayLike<number>, n: number, k: number, scale: number): number {
  let total = 0;
  const len = n * k;
  const g = (2 * scale) / k;
  for (let i = 0; i < len; i++) {
    const d = y[i] - t[i];
    total += d * d;
    if (dy) dy[i] = g * d;
  }
  return total / k;
}
