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
  const means = new Float64Array(c),
    squares = new Float64Array(c);
  if (train) {
    channelSums(means, x, n, c, plane);
    for (let ch = 0; ch < c; ch++) means[ch] /= m;
    channelSquares(squares, x, means, n, c, plane);
  }
  for (let ch = 0; ch < c; ch++) {
    let mean: number, inv: number;
    if (train) {
      mean = means[ch];
      const sq = squares[ch];
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
  const sums = new Float64Array(c),
    dots = new Float64Array(c);
  channelSums(sums, dy, n, c, plane, dots, xhat);
  for (let ch = 0; ch < c; ch++) {
    const sdy = sums[ch],
      sdyx = dots[ch];
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

// The per-channel sums, each in one fixed order (example i, then pixel p, ascending, in float64), so the
// results never depend on how the channels are grouped. Four channels run side by side: four independent
// chains of adds instead of one, which waits on each add's latency.

/** sum[ch] = Σ x over the channel's N·H·W values; with dot and w also dot[ch] = Σ x·w. */
function channelSums(sum: Float64Array, x: Buf, n: number, c: number, plane: number, dot?: Float64Array, w?: Buf): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      d0 = 0,
      d1 = 0,
      d2 = 0,
      d3 = 0;
    for (let i = 0; i < n; i++) {
      const o0 = (i * c + ch) * plane,
        o1 = o0 + plane,
        o2 = o1 + plane,
        o3 = o2 + plane;
      if (w)
        for (let p = 0; p < plane; p++) {
          s0 += x[o0 + p];
          d0 += x[o0 + p] * w[o0 + p];
          s1 += x[o1 + p];
          d1 += x[o1 + p] * w[o1 + p];
          s2 += x[o2 + p];
          d2 += x[o2 + p] * w[o2 + p];
          s3 += x[o3 + p];
          d3 += x[o3 + p] * w[o3 + p];
        }
      else
        for (let p = 0; p < plane; p++) {
          s0 += x[o0 + p];
          s1 += x[o1 + p];
          s2 += x[o2 + p];
          s3 += x[o3 + p];
        }
    }
    sum[ch] = s0;
    sum[ch + 1] = s1;
    sum[ch + 2] = s2;
    sum[ch + 3] = s3;
    if (dot) {
      dot[ch] = d0;
      dot[ch + 1] = d1;
      dot[ch + 2] = d2;
      dot[ch + 3] = d3;
    }
  }
  for (; ch < c; ch++) {
    let s0 = 0,
      d0 = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        s0 += x[o + p];
        if (w) d0 += x[o + p] * w[o + p];
      }
    }
    sum[ch] = s0;
    if (dot) dot[ch] = d0;
  }
}

/** sq[ch] = Σ (x − mean[ch])² over the channel's values, in the same order as channelSums. */
function channelSquares(sq: Float64Array, x: Buf, mean: Float64Array, n: number, c: number, plane: number): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    const m0 = mean[ch],
      m1 = mean[ch + 1],
      m2 = mean[ch + 2],
      m3 = mean[ch + 3];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < n; i++) {
      const o0 = (i * c + ch) * plane,
        o1 = o0 + plane,
        o2 = o1 + plane,
        o3 = o2 + plane;
      for (let p = 0; p < plane; p++) {
        const a = x[o0 + p] - m0,
          b = x[o1 + p] - m1,
          e = x[o2 + p] - m2,
          f = x[o3 + p] - m3;
        s0 += a * a;
        s1 += b * b;
        s2 += e * e;
        s3 += f * f;
      }
    }
    sq[ch] = s0;
    sq[ch + 1] = s1;
    sq[ch + 2] = s2;
    sq[ch + 3] = s3;
  }
  for (; ch < c; ch++) {
    const m0 = mean[ch];
    let s0 = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        const a = x[o + p] - m0;
        s0 += a * a;
      }
    }
    sq[ch] = s0;
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
