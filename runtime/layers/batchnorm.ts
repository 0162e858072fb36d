// Batch normalisation per channel (conv maps: statistics over N·H·W; dense features: H = W = 1).
// Training normalises with the batch's biased variance and updates running stats PyTorch-style:
// running ← (1 − momentum)·running + momentum·batch, with the unbiased variance; eval uses the running stats.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
import { allocBuf, Slab } from '../buffers.js';
import type { Buf } from '../types.js';
import { sameShape, size, type LayerDef } from './layer.js';

export interface BatchnormShape {
  n: number;
  c: number;
  plane: number; // H·W
  eps: number;
  momentum: number;
}

/**
 * y (N,C,H,W) ← γ (C) · x̂ + β (C). Keeps x̂ (N,C,H,W) and invStd (C) for the backward pass.
 * train: batch statistics, and runMean/runVar (C) are updated; eval: runMean/runVar are used.
 */
export function batchnormForward(
  y: Buf,
  xhat: Buf,
  invStd: Buf,
  x: Buf,
  gamma: Buf,
  beta: Buf,
  runMean: Buf,
  runVar: Buf,
  s: BatchnormShape,
  train: boolean,
): void {
  const { n, c, plane, eps, momentum } = s;
  const m = n * plane;
  for (let ch = 0; ch < c; ch++) {
    let mean: number, inv: number;
    if (train) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * plane;
        for (let p = 0; p < plane; p++) sum += x[o + p];
      }
      mean = sum / m;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * plane;
        for (let p = 0; p < plane; p++) {
          const d = x[o + p] - mean;
          sq += d * d;
        }
      }
      const variance = sq / m;
      inv = 1 / Math.sqrt(variance + eps);
      runMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean;
      // A batch of one has no unbiased variance; keep the biased one rather than divide by zero.
      runVar[ch] = (1 - momentum) * runVar[ch] + momentum * (m > 1 ? sq / (m - 1) : variance);
    } else {
      mean = runMean[ch];
      inv = 1 / Math.sqrt(runVar[ch] + eps);
    }
    invStd[ch] = inv;
    const g = gamma[ch],
      b = beta[ch];
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        const h = (x[o + p] - mean) * inv;
        xhat[o + p] = h;
        y[o + p] = g * h + b;
      }
    }
  }
}

/**
 * Given dy (N,C,H,W): dγ (C) += Σ dy·x̂, dβ (C) += Σ dy, dx (N,C,H,W) ← (overwritten; may not alias dy).
 * train: through the batch statistics, dx = γ·invStd/m · (m·dy − Σdy − x̂·Σ(dy·x̂)); eval: dx = γ·invStd·dy.
 */
export function batchnormBackward(
  dx: Buf,
  dgamma: Buf,
  dbeta: Buf,
  dy: Buf,
  xhat: Buf,
  invStd: Buf,
  gamma: Buf,
  s: BatchnormShape,
  train: boolean,
): void {
  const { n, c, plane } = s;
  const m = n * plane;
  for (let ch = 0; ch < c; ch++) {
    let sdy = 0,
      sdyx = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        sdy += dy[o + p];
        sdyx += dy[o + p] * xhat[o + p];
      }
    }
    dgamma[ch] += sdyx;
    dbeta[ch] += sdy;
    const k = gamma[ch] * invStd[ch];
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      if (train) {
        const a = sdy / m,
          bb = sdyx / m;
        for (let p = 0; p < plane; p++) dx[o + p] = k * (dy[o + p] - a - xhat[o + p] * bb);
      } else {
        for (let p = 0; p < plane; p++) dx[o + p] = k * dy[o + p];
      }
    }
  }
}

export const batchnormLayer: LayerDef<'batchnorm'> = {
  kind: 'batchnorm',
  shape: (_l, walk) => sameShape(walk, 2 * walk.shape.c, size(walk.shape)),
  params: (_l, input) => [
    { suffix: 'gamma', shape: [input.c], decay: false },
    { suffix: 'beta', shape: [input.c], decay: false },
  ],
  // Running mean, then running variance.
  stateSize: (_l, input) => 2 * input.c,
  initParams(_l, [gamma, beta]) {
    gamma.value.fill(1);
    beta.value.fill(0);
  },
  // Running variance starts at 1 (the identity normalisation), as in PyTorch.
  initState: (_l, state) => void state.fill(1, state.length / 2),
  node(spec, ctx) {
    const c = ctx.input.c;
    const shape = { n: 0, c, plane: ctx.input.h * ctx.input.w, eps: spec.eps, momentum: spec.momentum };
    const [gamma, beta] = ctx.params;
    const runMean = ctx.state.subarray(0, c);
    const runVar = ctx.state.subarray(c, 2 * c);
    const len = size(ctx.input);
    const y = new Slab(ctx.dtype, len);
    const xhat = new Slab(ctx.dtype, len);
    const dx = new Slab(ctx.dtype, len);
    const invStd = allocBuf(ctx.dtype, c);
    let trained = false,
      n0 = 0;
    return {
      name: spec.name,
      out: ctx.out,
      forward(x, n, train) {
        trained = train;
        n0 = n;
        shape.n = n;
        const yb = y.at(n);
        batchnormForward(yb, xhat.at(n), invStd, x, gamma.value, beta.value, runMean, runVar, shape, train);
        return yb;
      },
      backward(dy, n, wantDx) {
        shape.n = n;
        // The parameter gradients are needed even when dx is not, so always run the pass.
        const d = dx.at(n);
        batchnormBackward(d, gamma.grad, beta.grad, dy, xhat.at(n), invStd, gamma.value, shape, trained);
        return wantDx ? d : null;
      },
      output: () => y.at(n0),
      logits: () => null,
    };
  },
  output: () => 'linear',
};
