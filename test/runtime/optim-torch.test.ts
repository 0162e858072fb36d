// Optimizer trajectories and schedule sequences against PyTorch (fixtures made by
// scripts/fixtures/make_optim_fixtures.py, committed so no torch is needed here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOptimizer, type WeightDecay } from '../../runtime/optim/index.js';
import { learningRate } from '../../runtime/schedules.js';
import type { OptimizerSpec, ScheduleSpec } from '../../runtime/spec.js';
import { flatParams } from './optim-helpers.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/torch-optim/${name}.json`, import.meta.url), 'utf8'));
const optim = fixture('optimizers') as {
  problem: { weight0: number[]; bias0: number[]; a: number[]; c: number[]; b: number };
  cases: { name: string; spec: OptimizerSpec; weightDecay: WeightDecay | null; trajectory: number[][]; momentumBuffer: number[][] }[];
};
const sched = fixture('schedules');

/** ∇L for L(θ) = Σ aᵢ/2 (θᵢ − cᵢ)² + b/4 Σ θᵢ⁴, the fixture's problem. */
function gradient(theta: Float64Array, g: Float64Array): void {
  const { a, c, b } = optim.problem;
  for (let i = 0; i < theta.length; i++) g[i] = a[i] * (theta[i] - c[i]) + b * theta[i] ** 3;
}

describe('optimizers vs PyTorch', () => {
  expect(optim.cases.length).toBe(7);
  for (const k of optim.cases) {
    it(`${k.name}: ${k.trajectory.length} steps match torch.optim`, () => {
      const f = flatParams([
        { layer: 'fc', kind: 'weight', size: optim.problem.weight0.length, decay: true },
        { layer: 'fc', kind: 'bias', size: optim.problem.bias0.length, decay: false },
      ]);
      f.paramBuf.set([...optim.problem.weight0, ...optim.problem.bias0]);
      const opt = createOptimizer(k.spec, f.params, f.paramBuf, f.gradBuf, { weightDecay: k.weightDecay ?? undefined });
      k.trajectory.forEach((want, step) => {
        gradient(f.paramBuf, f.gradBuf);
        opt.step(k.spec.lr);
        want.forEach((w, i) => expect(f.paramBuf[i]).toBeCloseTo(w, 12));
        // PyTorch keeps buf with v = −η·buf (η constant): the documented relation between the two forms.
        if (k.momentumBuffer.length) {
          const v = opt.getState().slots.velocity;
          k.momentumBuffer[step].forEach((b, i) => expect(v[i]).toBeCloseTo(-k.spec.lr * b, 12));
        }
      });
    });
  }
});

describe('schedules vs torch.optim.lr_scheduler', () => {
  for (const name of ['exponential', 'power', 'piecewise']) {
    it(`${name} gives the same rate at every step`, () => {
      const c = sched[name] as { spec: ScheduleSpec; lrs: number[]; stepsPerEpoch?: number };
      const spe = c.stepsPerEpoch ?? 10;
      expect(c.lrs.length).toBeGreaterThan(20);
      c.lrs.forEach((want, step) => {
        expect(learningRate(c.spec, sched.lr0, { step, epoch: Math.floor(step / spe), stepsPerEpoch: spe })).toBeCloseTo(want, 14);
      });
    });
  }

  it('plateau reduces like ReduceLROnPlateau(patience 0, abs threshold) on a decreasing metric', () => {
    const c = sched.plateau as { spec: Extract<ScheduleSpec, { kind: 'plateau' }>; metrics: number[]; lrs: number[] };
    const history = c.metrics.map((error, k) => ({ step: k * c.spec.every, error }));
    c.lrs.forEach((want, k) => {
      // the rate after the evaluation at step k·every governs the updates from that step on
      const step = k * c.spec.every;
      expect(learningRate(c.spec, sched.lr0, { step, epoch: 0, stepsPerEpoch: 1000, history })).toBeCloseTo(want, 14);
    });
  });
});
