// Learning-rate schedules as pure functions of (schedule, η0, where we are, what was measured).
// Plateau keeps no hidden state: its reductions are recounted from the evaluation history each time.
// References: torch.optim.lr_scheduler (MultiStepLR, ExponentialLR, LambdaLR, ReduceLROnPlateau).
import type { ScheduleSpec } from './spec.js';

/** One evaluation the plateau schedule reads: validation loss (or error) after `step` updates. */
export interface ScheduleEval {
  step: number;
  error: number;
}

export interface ScheduleAt {
  /** 0-based index of the update about to be taken. */
  step: number;
  /** 0-based epoch the update belongs to. */
  epoch: number;
  stepsPerEpoch: number;
  /** Evaluations so far; only the plateau schedule reads them. */
  history?: readonly ScheduleEval[];
}

/** η for the update at `at.step`. */
export function learningRate(schedule: ScheduleSpec, lr0: number, at: ScheduleAt): number {
  switch (schedule.kind) {
    case 'constant':
      return lr0;
    case 'piecewise': {
      // values are absolute rates: values[i] applies once epoch ≥ boundaries[i−1].
      let i = 0;
      while (i < schedule.boundaries.length && at.epoch >= schedule.boundaries[i]) i++;
      return schedule.values[Math.min(i, schedule.values.length - 1)];
    }
    case 'exponential':
      return lr0 * Math.pow(schedule.d, -at.step / schedule.r);
    case 'power':
      return lr0 * Math.pow(1 + at.step / schedule.r, -schedule.c);
    case 'plateau':
      return Math.max(schedule.min, lr0 * Math.pow(schedule.factor, plateauReductions(schedule, at)));
  }
}

/**
 * How many times the plateau schedule has cut η before update `at.step`: at each evaluation taken at a multiple
 * of `every` steps (0 included) whose error differs from the previous such evaluation by less than ε.
 * An evaluation after s updates governs update s onwards.
 */
export function plateauReductions(schedule: Extract<ScheduleSpec, { kind: 'plateau' }>, at: ScheduleAt): number {
  const checks = (at.history ?? []).filter((h) => h.step % schedule.every === 0 && h.step <= at.step);
  // Evaluations can be recorded twice at one step (epoch end and eval tick coincide); keep one per step.
  const byStep = new Map<number, number>();
  for (const h of checks) byStep.set(h.step, h.error);
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  let cuts = 0;
  for (let k = 1; k < steps.length; k++) {
    if (Math.abs(byStep.get(steps[k])! - byStep.get(steps[k - 1])!) < schedule.epsilon) cuts++;
  }
  return cuts;
}

/** η for updates 0..steps−1 with no evaluations (what `show schedule` plots). */
export function scheduleCurve(schedule: ScheduleSpec, lr0: number, steps: number, stepsPerEpoch: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < steps; s++) out.push(learningRate(schedule, lr0, { step: s, epoch: Math.floor(s / stepsPerEpoch), stepsPerEpoch }));
  return out;
}
