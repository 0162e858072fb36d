// The optimizer seam: one interface over a flat parameter vector and its flat gradient vector,
// per-parameter masks (frozen tensors skipped, weight decay only where Param.decay), and one table
// from OptimizerSpec.kind to the family that implements it. Families live in their own files.
import type { OptimizerSpec } from '../spec.js';
import type { Buf, Param } from '../types.js';

/** A contiguous run of the flat buffers the optimizer updates. Frozen tensors have no range at all. */
export interface ParamRange {
  name: string;
  offset: number;
  size: number;
  /** Weight decay (L2 or decoupled) applies to this range. */
  decay: boolean;
}

export type WeightDecay = { mode: 'decoupled' | 'l2'; value: number };

export interface OptimizerOptions {
  /** Layer names (or full parameter names like `conv1.bias`) the optimizer never touches. */
  frozen?: Iterable<string>;
  /** Allocates the per-parameter state buffers (default new Float64Array); the worker pool shares them between threads. */
  slots?: (name: string, length: number) => Float64Array;
  /** TrainSpec.weightDecay: l2 adds λθ to the gradient (eq. 9–10); decoupled scales θ by β = 1 − λ after each update (eq. 8). */
  weightDecay?: WeightDecay;
}

/** Everything needed to continue an optimizer bit-exactly: step count and its per-parameter buffers (full length, frozen slots stay 0). */
export interface OptimizerState {
  kind: OptimizerSpec['kind'];
  t: number;
  slots: Record<string, Float64Array>;
}

export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Updates taken so far. */
  readonly t: number;
  /**
   * One update from the gradients currently in gradBuf, with learning rate lr (the schedule decides it):
   * t ← t + 1, then update t applied to indices [from, to) (default all). Pool lanes apply the rest of
   * the same update to their own spans with `update`.
   */
  step(lr: number, from?: number, to?: number): void;
  /** Applies update number t (1-based) to indices [from, to) without counting it; every element is independent. */
  update(lr: number, t: number, from: number, to: number): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

/** What every family's constructor receives. */
export interface OptimizerParts {
  params: Buf;
  grads: Buf;
  ranges: ParamRange[];
  weightDecay?: WeightDecay;
  slots: (name: string, length: number) => Float64Array;
}

/** Calls fn(range, start, end) for the part of each range inside [from, to). */
export function forSpans(ranges: ParamRange[], from: number, to: number, fn: (r: ParamRange, start: number, end: number) => void): void {
  for (const r of ranges) {
    const start = Math.max(from, r.offset),
      end = Math.min(to, r.offset + r.size);
    if (start < end) fn(r, start, end);
  }
}

/** Turns the param list and the frozen names into the ranges to update. */
export function paramRanges(params: Param[], frozen: Iterable<string> = []): ParamRange[] {
  const skip = new Set(frozen);
  return params
    .filter((p) => !skip.has(p.layer) && !skip.has(p.name))
    .map((p) => ({ name: p.name, offset: p.offset, size: p.size, decay: p.decay }));
}

/** l2 decay as a gradient term: the gradient an update sees at index i. */
export function l2Lambda(range: ParamRange, wd: WeightDecay | undefined): number {
  return wd && wd.mode === 'l2' && range.decay ? wd.value : 0;
}

/** Decoupled decay (eq. 8): θ ← βθ with β = 1 − λ, after the update, weights only, on indices [from, to). */
export function applyDecoupledDecay(parts: OptimizerParts, from: number, to: number): void {
  const wd = parts.weightDecay;
  if (!wd || wd.mode !== 'decoupled' || wd.value === 0) return;
  const beta = 1 - wd.value;
  const p = parts.params;
  forSpans(parts.ranges, from, to, (r, start, end) => {
    if (!r.decay) return;
    for (let i = start; i < end; i++) p[i] = beta * p[i];
  });
}

/** Checks a saved state fits this optimizer before adopting it (clear error rather than silent garbage). */
export function checkState(state: OptimizerState, kind: OptimizerSpec['kind'], names: string[], length: number): void {
  if (state.kind !== kind) throw new Error(`optimizer state is for '${state.kind}', this optimizer is '${kind}'`);
  for (const n of names) {
    const s = state.slots[n];
    if (!s) throw new Error(`optimizer state lacks its '${n}' buffer`);
    if (s.length !== length) throw new Error(`optimizer state '${n}' has ${s.length} entries, the model has ${length} parameters`);
  }
}
