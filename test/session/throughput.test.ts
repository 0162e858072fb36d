// The dashboard's throughput is wall-clock over recent steps, and its ETA ignores the slow warm-up steps.
import { describe, expect, it } from 'vitest';
import { createRateMeter } from '../../session/exec/throughput.js';

describe('createRateMeter', () => {
  it('reports images/s over the recent window, pauses included', () => {
    const m = createRateMeter({ batch: 32, windowMs: 1000 });
    expect(m.imagesPerSec()).toBeUndefined();
    // 10 ms per step, then one 200 ms evaluation pause before step 40.
    for (let s = 0; s < 40; s++) m.record(s, s * 10);
    m.record(40, 39 * 10 + 200);
    for (let s = 41; s <= 60; s++) m.record(s, 590 + (s - 40) * 10);
    // Window covers the last ~1000 ms: steps from about 0 to 60 spread over 790 ms → includes the pause.
    const ips = m.imagesPerSec() as number;
    expect(ips).toBeLessThan(32 / 0.01); // slower than one batch's compute time suggests
    expect(ips).toBeCloseTo((60 * 32 * 1000) / 790, 0);
  });
  it('forgets old steps beyond the window', () => {
    const m = createRateMeter({ batch: 10, windowMs: 100 });
    for (let s = 0; s <= 10; s++) m.record(s, s * 100); // 100 ms per step
    for (let s = 11; s <= 30; s++) m.record(s, 1000 + (s - 10) * 10); // then 10 ms per step
    expect(m.imagesPerSec()).toBeCloseTo(1000, 0);
  });
  it('computes the ETA from the step rate after warm-up', () => {
    const m = createRateMeter({ batch: 32, warmupSteps: 5 });
    // Warm-up: the first 5 steps take 1 s each; afterwards 20 ms a step.
    for (let s = 0; s <= 5; s++) m.record(s, s * 1000);
    expect(m.etaSec(1000)).toBeUndefined();
    for (let s = 6; s <= 100; s++) m.record(s, 5000 + (s - 5) * 20);
    // 900 steps left at 20 ms → 18 s; averaging over the whole run would say ≈ 2.4 minutes.
    expect(m.etaSec(1000)).toBeCloseTo(18, 6);
    expect(m.etaSec(100)).toBe(0);
  });
});
