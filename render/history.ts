// The training history as the renderers read it (plain data, shaped like the runtime's step/eval/early_stop
// events), overfitting detection on it, and the small series helpers plots share (moving average, thinning).
// Deliberately structural: any history with these fields renders; nothing here imports the training loop.

export interface Metrics {
  loss: number;
  acc: number;
}

/** One optimizer step (train metrics on that batch). */
export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
  imagesPerSec?: number;
}

/** One evaluation: training-set metrics and the held-out split (validation when there is one, else test). */
export interface EvalPoint {
  step: number;
  epoch: number;
  train: Metrics;
  val?: Metrics;
  test?: Metrics;
}

export interface RunHistory {
  steps: StepPoint[];
  evals: EvalPoint[];
  /** Set when early stopping ended the run; bestStep is the evaluation whose weights were (or would be) restored. */
  earlyStop?: { step: number; bestStep?: number; restored: boolean };
}

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
  /** Step of the held-out peak: the last evaluation before the decline. */
  step: number;
  split: 'val' | 'test';
  peakAcc: number;
  lastAcc: number;
  trainAccAtPeak: number;
  trainAccLast: number;
}

/**
 * Overfitting: the held-out accuracy peaked and every one of the last `window` evaluations since is below
 * the peak by more than `tol`, while training accuracy kept climbing past its value at the peak.
 * A single noisy dip does not count, and a run that recovers to a new peak clears the flag.
 */
export function detectOverfitting(evals: EvalPoint[], opts: { window?: number; tol?: number } = {}): OverfitFinding | undefined {
  const window = opts.window ?? 3;
  const tol = opts.tol ?? 0.002;
  const pts = evals.flatMap((e) => {
    const h = heldOut(e);
    return h && Number.isFinite(h.m.acc) ? [{ e, h }] : [];
  });
  if (pts.length < window + 1) return undefined;
  let p = 0;
  for (let i = 1; i < pts.length; i++) if (pts[i].h.m.acc > pts[p].h.m.acc) p = i;
  const after = pts.slice(p + 1);
  if (after.length < window) return undefined;
  const peak = pts[p];
  const last = pts[pts.length - 1];
  const declined = after.slice(-window).every((x) => x.h.m.acc < peak.h.m.acc - tol);
  const trainClimbs = last.e.train.acc > peak.e.train.acc + tol;
  if (!declined || !trainClimbs) return undefined;
  return {
    step: peak.e.step,
    split: peak.h.split,
    peakAcc: peak.h.m.acc,
    lastAcc: last.h.m.acc,
    trainAccAtPeak: peak.e.train.acc,
    trainAccLast: last.e.train.acc,
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
