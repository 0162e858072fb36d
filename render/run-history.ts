// Reading the runtime's training history (RunHistory, runtime/train/events.ts): overfitting detection on it,
// and the small series helpers plots share (moving average, thinning). Types only from the runtime.

import type { EvalPoint, Metrics, RunHistory } from '../runtime/train/events.js';

export type { EvalPoint, Metrics, RunHistory };

/** The held-out metrics of an evaluation and which split they came from. */
export function heldOut(e: EvalPoint): { split: 'val' | 'test'; m: Metrics } | undefined {
  if (e.val) return { split: 'val', m: e.val };
  if (e.test) return { split: 'test', m: e.test };
  return undefined;
}

/** Test metrics of the evaluations that also have a validation split (so both curves can be drawn). */
export function testBesideVal(evals: EvalPoint[]): { step: number; m: Metrics }[] {
  return evals.flatMap((e) => (e.val && e.test ? [{ step: e.step, m: e.test }] : []));
}

export interface OverfitFinding {
  /** Step of the held-out optimum: the last evaluation before the decline. */
  step: number;
  split: 'val' | 'test';
  /** Which held-out metric turned: accuracy fell, or (accuracy holding) loss rose. */
  metric: 'accuracy' | 'loss';
  /** Held-out value at `step` (the best) and now. */
  best: number;
  last: number;
  /** The same metric on the training set at `step` and now. */
  trainAtBest: number;
  trainLast: number;
}

export interface OverfitOptions {
  /** How many of the latest evaluations must all be worse than the best. */
  window?: number;
  /** Smallest accuracy drop that counts (absolute); default 0.005. */
  tol?: number;
  /** Examples in the held-out split; widens the tolerances to its sampling noise. */
  heldOutSize?: number;
}

/**
 * Overfitting: the held-out accuracy peaked and each of the last `window` evaluations since is below the
 * peak by more than a tolerance, while the training accuracy kept climbing past its value at the peak.
 * Failing that, the same test on the loss (held-out loss rising from its minimum while training loss falls),
 * which usually turns first. A single noisy dip does not count, and a new optimum clears the flag.
 * With heldOutSize the tolerances grow to 2.5 standard errors of the estimate (binomial for accuracy,
 * ≈ mean/√n for cross-entropy), so a noisy plateau on a small validation split is not called overfitting.
 */
export function detectOverfitting(evals: EvalPoint[], opts: OverfitOptions = {}): OverfitFinding | undefined {
  const n = opts.heldOutSize;
  const acc = findTurn(evals, 'accuracy', opts.window ?? 3, (best) =>
    Math.max(opts.tol ?? 0.005, n ? 2.5 * Math.sqrt((best * (1 - best)) / n) : 0),
  );
  return acc ?? findTurn(evals, 'loss', opts.window ?? 3, (best) => Math.abs(best) * Math.max(0.05, n ? 2.5 / Math.sqrt(n) : 0));
}

function findTurn(
  evals: EvalPoint[],
  metric: 'accuracy' | 'loss',
  window: number,
  tolAt: (best: number) => number,
): OverfitFinding | undefined {
  const pick = (m: Metrics) => (metric === 'accuracy' ? m.acc : m.loss);
  // Higher is better for accuracy, lower for loss: compare sign·value so one code path serves both.
  const sign = metric === 'accuracy' ? 1 : -1;
  const pts = evals.flatMap((e) => {
    const h = heldOut(e);
    return h && Number.isFinite(pick(h.m)) && Number.isFinite(pick(e.train)) ? [{ e, h, v: pick(h.m) }] : [];
  });
  if (pts.length < window + 1) return undefined;
  let p = 0;
  for (let i = 1; i < pts.length; i++) if (sign * pts[i].v > sign * pts[p].v) p = i;
  const after = pts.slice(p + 1);
  if (after.length < window) return undefined;
  const best = pts[p];
  const last = pts[pts.length - 1];
  const tol = tolAt(best.v);
  const worse = after.slice(-window).every((x) => sign * x.v < sign * best.v - tol);
  const trainMargin = metric === 'accuracy' ? 0.002 : 0.01 * Math.abs(pick(best.e.train));
  const trainImproves = sign * pick(last.e.train) > sign * pick(best.e.train) + trainMargin;
  if (!worse || !trainImproves) return undefined;
  return {
    step: best.e.step,
    split: best.h.split,
    metric,
    best: best.v,
    last: last.v,
    trainAtBest: pick(best.e.train),
    trainLast: pick(last.e.train),
  };
}

/** Trailing moving average over `window` points (shorter at the start), for noisy per-step losses. */
export function movingAverage(values: number[], window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= w) sum -= values[i - w];
    out.push(sum / Math.min(i + 1, w));
  }
  return out;
}

/**
 * At most `max` points: consecutive points are averaged in equal buckets so a 10 000-step run stays a small
 * SVG. The first and last points are kept exactly so the curve still ends at the latest value.
 */
export function thin(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max) return points;
  const out: [number, number][] = [points[0]];
  const inner = points.slice(1, -1);
  const buckets = Math.max(1, max - 2);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * inner.length) / buckets);
    const to = Math.floor(((b + 1) * inner.length) / buckets);
    if (to <= from) continue;
    let sx = 0;
    let sy = 0;
    for (let i = from; i < to; i++) {
      sx += inner[i][0];
      sy += inner[i][1];
    }
    out.push([sx / (to - from), sy / (to - from)]);
  }
  out.push(points[points.length - 1]);
  return out;
}

/**
 * thin() without building a tuple per input point: reads point i through x(i), y(i), so a 50 000-step
 * history becomes `max` points with no garbage (the dashboard redraws twice a second). Non-finite points are skipped.
 */
export function thinIndexed(n: number, x: (i: number) => number, y: (i: number) => number, max: number): [number, number][] {
  const out: [number, number][] = [];
  if (n <= max) {
    for (let i = 0; i < n; i++) if (Number.isFinite(x(i)) && Number.isFinite(y(i))) out.push([x(i), y(i)]);
    return out;
  }
  const buckets = Math.max(1, max - 2);
  const keep = (i: number) => Number.isFinite(x(i)) && Number.isFinite(y(i)) && out.push([x(i), y(i)]);
  keep(0);
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * (n - 2)) / buckets);
    const to = 1 + Math.floor(((b + 1) * (n - 2)) / buckets);
    let sx = 0;
    let sy = 0;
    let k = 0;
    for (let i = from; i < to; i++) {
      const xi = x(i);
      const yi = y(i);
      if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
      sx += xi;
      sy += yi;
      k++;
    }
    if (k > 0) out.push([sx / k, sy / k]);
  }
  keep(n - 1);
  return out;
}

/** A smoothing window that grows with the run: about 1/50 of the steps, odd, at least 1. */
export function smoothingWindow(n: number): number {
  return Math.max(1, Math.floor(n / 50) | 1);
}
