// Schedule formulas at chosen points, and the plateau schedule's reductions recounted from history.
import { describe, expect, it } from 'vitest';
import { learningRate, scheduleCurve } from '../../runtime/schedules.js';

const at = (step: number, stepsPerEpoch = 10, history: { step: number; error: number }[] = []) => ({
  step,
  epoch: Math.floor(step / stepsPerEpoch),
  stepsPerEpoch,
  history,
});

describe('schedules', () => {
  it('constant', () => {
    expect(learningRate({ kind: 'constant' }, 0.3, at(1234))).toBe(0.3);
  });

  it('piecewise switches at the given epochs', () => {
    const s = { kind: 'piecewise' as const, boundaries: [2, 5], values: [0.1, 0.01, 0.001] };
    const curve = scheduleCurve(s, 99, 70, 10);
    expect(curve[0]).toBe(0.1);
    expect(curve[19]).toBe(0.1);
    expect(curve[20]).toBe(0.01);
    expect(curve[49]).toBe(0.01);
    expect(curve[50]).toBe(0.001);
    expect(curve[69]).toBe(0.001);
  });

  it('exponential η0·d^(−t/r): divides by d every r steps', () => {
    const s = { kind: 'exponential' as const, d: 10, r: 100 };
    expect(learningRate(s, 0.5, at(0))).toBe(0.5);
    expect(learningRate(s, 0.5, at(100))).toBeCloseTo(0.05, 15);
    expect(learningRate(s, 0.5, at(250))).toBeCloseTo(0.5 / 10 ** 2.5, 15);
  });

  it('power η0·(1+t/r)^(−c)', () => {
    const s = { kind: 'power' as const, r: 20, c: 1 };
    expect(learningRate(s, 0.4, at(0))).toBe(0.4);
    expect(learningRate(s, 0.4, at(20))).toBeCloseTo(0.2, 15);
    expect(learningRate(s, 0.4, at(60))).toBeCloseTo(0.1, 15);
    expect(learningRate({ kind: 'power', r: 10, c: 0.5 }, 1, at(30))).toBeCloseTo(0.5, 15);
  });

  it('plateau cuts η when validation error changed by less than ε between checks, and only then', () => {
    const s = { kind: 'plateau' as const, every: 10, factor: 0.5, epsilon: 0.01, min: 0.01 };
    const history = [
      { step: 0, error: 2.0 },
      { step: 5, error: 1.9 }, // not a multiple of `every`: ignored
      { step: 10, error: 1.5 }, // improved by 0.5: no cut
      { step: 20, error: 1.495 }, // changed by 0.005 < ε: cut
      { step: 20, error: 1.495 }, // recorded twice (epoch end): counted once
      { step: 30, error: 1.2 }, // no cut
      { step: 40, error: 1.2 }, // cut
      { step: 50, error: 1.205 }, // cut
      { step: 60, error: 1.2049 }, // cut, but clamped at min
    ];
    const lr = (step: number) => learningRate(s, 0.1, at(step, 10, history));
    expect(lr(19)).toBe(0.1);
    expect(lr(20)).toBe(0.05);
    expect(lr(39)).toBe(0.05);
    expect(lr(40)).toBe(0.025);
    expect(lr(50)).toBe(0.0125);
    expect(lr(60)).toBe(0.01);
    // A schedule with no history never cuts (pure: same input, same output).
    expect(learningRate(s, 0.1, at(60))).toBe(0.1);
  });
});
