// The seeded generator: determinism, stream independence, and the moments of its distributions.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../runtime/rng.js';

describe('createRng', () => {
  it('repeats a sequence for the same seed and differs for another', () => {
    const a = createRng(123),
      b = createRng(123),
      c = createRng(124);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
    expect(sa.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('forks streams that depend only on (seed, stream), not on draws so far', () => {
    const a = createRng(7);
    const f1 = a.fork(3);
    a.next();
    a.normal();
    const f2 = a.fork(3);
    expect(f1.seed).toBe(f2.seed);
    expect([f1.next(), f1.next()]).toEqual([f2.next(), f2.next()]);
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => a.fork(i).seed));
    expect(seeds.size).toBe(1000);
    expect(a.fork(0).seed).not.toBe(a.seed);
  });

  it('has uniform mean 1/2, variance 1/12, and near-zero lag-1 correlation', () => {
    const r = createRng(99);
    const n = 200000;
    let s = 0,
      s2 = 0,
      lag = 0,
      prev = r.next();
    for (let i = 0; i < n; i++) {
      const v = r.next();
      s += v;
      s2 += v * v;
      lag += (v - 0.5) * (prev - 0.5);
      prev = v;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(Math.abs(lag / n) / (1 / 12)).toBeLessThan(0.01);
  });

  it('draws standard normals and fair integers', () => {
    const r = createRng(5);
    const n = 100000;
    let s = 0,
      s2 = 0,
      s4 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
      s4 += v ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(s2 / n).toBeCloseTo(1, 1);
    expect(s4 / n).toBeCloseTo(3, 0); // kurtosis of a normal
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });
});
