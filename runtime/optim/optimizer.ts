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
  /** One update from the gradients currently in gradBuf, with learning rate lr (the schedule decides it). */
  step(lr: number): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

/** What every family's constructor receives. */
export interface OptimizerParts {
  params: Buf;
  grads: Buf;
  ranges: ParamRange[];
  weightDecay?: WeightDecay;
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

/** Decoupled decay (eq. 8): θ ← βθ with β = 1 − λ, after the update, weights only. */
export function applyDecoupledDecay(parts: OptimizerParts): void {
  const wd = parts.weightDecay;
  if (!wd || wd.mode !== 'decoupled' || wd.value === 0) return;
  const beta = 1 - wd.value;
  const p = parts.params;
  for (const r of parts.ranges) {
    if (!r.decay) continue;
    for (let i = r.offset, end = r.offset + r.size; i < end; i++) p[i] = beta * p[i];
  }
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
