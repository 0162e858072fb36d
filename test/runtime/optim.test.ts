// Closed-form checks of each optimizer update in the chapter's form, on plain vectors and a quadratic.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../runtime/optim/index.js';
import { flatParams, twoLayers } from './optim-helpers.js';

const sgd = (lr: number, momentum = 0, nesterov = false) => ({ kind: 'sgd' as const, lr, momentum, nesterov });
const adam = (lr: number) => ({ kind: 'adam' as const, lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

describe('sgd', () => {
  it('moves each weight by −η·g', () => {
    const f = twoLayers();
    f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
    f.gradBuf.set([0.5, -1, 2, 0, 1, -3, 0.25]);
    createOptimizer(sgd(0.1), f.params, f.paramBuf, f.gradBuf).step(0.1);
    expect(Array.from(f.paramBuf)).toEqual([1 - 0.05, 2 + 0.1, 3 - 0.2, 4, 5 - 0.1, 6 + 0.3, 7 - 0.025]);
  });

  it('momentum follows v ← μv − ηg, θ ← θ + v exactly with a changing gradient and lr', () => {
    const f = flatParams([{ layer: 'a', kind: 'weight', size: 1, decay: true }]);
    const opt = createOptimizer(sgd(0.1, 0.9), f.params, f.paramBuf, f.gradBuf);
    let theta = 2;
    let v = 0;
    f.paramBuf[0] = theta;
    for (let k = 0; k < 6; k++) {
      const lr = 0.1 / (k + 1);
      const g = 3 * theta - 1 + k; // gradient of an arbitrary moving target
      f.gradBuf[0] = g;
      v = 0.9 * v - lr * g;
      theta = theta + v;
      opt.step(lr);
      expect(f.paramBuf[0]).toBe(theta);
    }
  });
});

describe('nesterov', () => {
  // L(θ) = ½·a·θ², ∇L = aθ. The chapter's form evaluates the gradient at the look-ahead θ + μv.
  const a = 2.5;
  const mu = 0.9;
  const lr = 0.05;
  function chapter(steps: number): { theta: number[]; v: number[] } {
    let theta = 1;
    let v = 0;
    const out = { theta: [] as number[], v: [] as number[] };
    for (let k = 0; k < steps; k++) {
      v = mu * v - lr * a * (theta + mu * v);
      theta = theta + v;
      out.theta.push(theta);
      out.v.push(v);
    }
    return out;
  }

  it('matches the chapter formula: stored weights are the look-ahead θ + μv', () => {
    const f = flatParams([{ layer: 'a', kind: 'weight', size: 1, decay: true }]);
    const opt = createOptimizer(sgd(lr, mu, true), f.params, f.paramBuf, f.gradBuf);
    f.paramBuf[0] = 1; // φ0 = θ0 + μ·0
    const ref = chapter(8);
    for (let k = 0; k < 8; k++) {
      f.gradBuf[0] = a * f.paramBuf[0]; // the loop computes the gradient at the stored (look-ahead) weights
      opt.step(lr);
      expect(f.paramBuf[0]).toBeCloseTo(ref.theta[k] + mu * ref.v[k], 14);
      expect(opt.getState().slots.velocity[0]).toBeCloseTo(ref.v[k], 14);
    }
  });

  it('equals momentum on step 1 and differs on step 2', () => {
    const run = (nesterov: boolean) => {
      const f = flatParams([{ layer: 'a', kind: 'weight', size: 1, decay: true }]);
      const opt = createOptimizer(sgd(lr, mu, nesterov), f.params, f.paramBuf, f.gradBuf);
      f.paramBuf[0] = 1;
      const velocities: number[] = [];
      for (let k = 0; k < 2; k++) {
        f.gradBuf[0] = a * f.paramBuf[0];
        opt.step(lr);
        velocities.push(opt.getState().slots.velocity[0]);
      }
      return velocities;
    };
    const m = run(false);
    const n = run(true);
    expect(n[0]).toBe(m[0]);
    expect(Math.abs(n[1] - m[1])).toBeGreaterThan(1e-3);
    expect(n[1]).toBeCloseTo(chapter(2).v[1], 14);
  });
});

describe('adam', () => {
  it('one step moves every weight by ≈ lr against the gradient sign, whatever the gradient scale', () => {
    const f = twoLayers();
    f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
    f.gradBuf.set([1e-3, -50, 7, 0.2, -1e-4, 3, -0.5]);
    createOptimizer(adam(0.01), f.params, f.paramBuf, f.gradBuf).step(0.01);
    const before = [1, 2, 3, 4, 5, 6, 7];
    const grads = [1e-3, -50, 7, 0.2, -1e-4, 3, -0.5];
    before.forEach((b, i) => {
      expect(f.paramBuf[i] - b).toBeCloseTo(-0.01 * Math.sign(grads[i]), 5);
    });
  });

  it('follows the bias-corrected recurrence for several steps', () => {
    const f = flatParams([{ layer: 'a', kind: 'weight', size: 1, decay: true }]);
    const opt = createOptimizer(adam(0.1), f.params, f.paramBuf, f.gradBuf);
    let theta = 1;
    let m = 0;
    let s = 0;
    f.paramBuf[0] = theta;
    for (let t = 1; t <= 5; t++) {
      const g = Math.sin(t) + theta;
      f.gradBuf[0] = g;
      m = 0.9 * m + 0.1 * g;
      s = 0.999 * s + 0.001 * g * g;
      theta -= (0.1 * (m / (1 - 0.9 ** t))) / (Math.sqrt(s / (1 - 0.999 ** t)) + 1e-8);
      opt.step(0.1);
      expect(f.paramBuf[0]).toBeCloseTo(theta, 13);
    }
    expect(opt.t).toBe(5);
  });

  it('adamw shrinks weights (not biases) by 1 − η·wd before the step', () => {
    const f = twoLayers();
    f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
    const opt = createOptimizer(
      { kind: 'adamw', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 },
      f.params,
      f.paramBuf,
      f.gradBuf,
    );
    opt.step(0.1); // zero gradient: only the decay acts
    expect(Array.from(f.paramBuf)).toEqual([1 * 0.95, 2 * 0.95, 3 * 0.95, 4, 5, 6 * 0.95, 7 * 0.95]);
  });
});

describe('weight decay and masks', () => {
  it('decoupled decay with zero gradient shrinks weights by β = 1 − λ each step and leaves biases', () => {
    const f = twoLayers();
    f.paramBuf.set([1, -2, 3, 4, 5, 6, 7]);
    const opt = createOptimizer(sgd(0.1, 0.9), f.params, f.paramBuf, f.gradBuf, { weightDecay: { mode: 'decoupled', value: 0.1 } });
    for (let k = 1; k <= 3; k++) {
      opt.step(0.1);
      expect(f.paramBuf[0]).toBeCloseTo(0.9 ** k, 14);
      expect(f.paramBuf[1]).toBeCloseTo(-2 * 0.9 ** k, 14);
      expect(f.paramBuf[3]).toBe(4);
      expect(f.paramBuf[6]).toBeCloseTo(7 * 0.9 ** k, 14);
    }
  });

  it('l2 adds λθ to the gradient of weights only', () => {
    const f = twoLayers();
    f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
    f.gradBuf.set([1, 1, 1, 1, 1, 1, 1]);
    createOptimizer(sgd(0.1), f.params, f.paramBuf, f.gradBuf, { weightDecay: { mode: 'l2', value: 0.01 } }).step(0.1);
    const want = [1, 2, 3, 4, 5, 6, 7].map((th, i) => th - 0.1 * (1 + (i === 3 || i === 4 ? 0 : 0.01 * th)));
    want.forEach((w, i) => expect(f.paramBuf[i]).toBeCloseTo(w, 15));
  });

  it('l2 through adam changes the moments by the decay term', () => {
    const f = flatParams([{ layer: 'a', kind: 'weight', size: 1, decay: true }]);
    f.paramBuf[0] = 2;
    const opt = createOptimizer(adam(0.1), f.params, f.paramBuf, f.gradBuf, { weightDecay: { mode: 'l2', value: 0.5 } });
    opt.step(0.1);
    expect(opt.getState().slots.m[0]).toBeCloseTo(0.1 * (0 + 0.5 * 2), 15);
  });

  for (const spec of [
    sgd(0.1),
    sgd(0.1, 0.9),
    sgd(0.1, 0.9, true),
    adam(0.1),
    { kind: 'adamw' as const, lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 },
  ]) {
    it(`frozen layers never change (${spec.kind}${'nesterov' in spec && spec.nesterov ? ' nesterov' : ''})`, () => {
      const f = twoLayers();
      f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
      const opt = createOptimizer(spec, f.params, f.paramBuf, f.gradBuf, {
        frozen: ['fc'],
        weightDecay: { mode: 'decoupled', value: 0.1 },
      });
      for (let k = 0; k < 3; k++) {
        f.gradBuf.set([1, -1, 2, -2, 3, 0.5, -0.5]);
        opt.step(0.1);
      }
      expect(Array.from(f.paramBuf.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
      expect(f.paramBuf[5]).not.toBe(6);
      expect(f.paramBuf[6]).not.toBe(7);
    });
  }

  it('state round-trips: a restored optimizer continues exactly as the original', () => {
    const run = (restoreAt: number | null) => {
      const f = twoLayers();
      f.paramBuf.set([1, 2, 3, 4, 5, 6, 7]);
      let opt = createOptimizer(adam(0.05), f.params, f.paramBuf, f.gradBuf);
      for (let k = 0; k < 6; k++) {
        if (k === restoreAt) {
          const saved = structuredClone(opt.getState());
          opt = createOptimizer(adam(0.05), f.params, f.paramBuf, f.gradBuf);
          opt.setState(saved);
        }
        for (let i = 0; i < 7; i++) f.gradBuf[i] = Math.cos(k + i) * f.paramBuf[i];
        opt.step(0.05);
      }
      return Array.from(f.paramBuf);
    };
    expect(run(3)).toEqual(run(null));
  });

  it('rejects a state from another optimizer kind', () => {
    const f = twoLayers();
    const a = createOptimizer(adam(0.1), f.params, f.paramBuf, f.gradBuf);
    const s = createOptimizer(sgd(0.1, 0.9), f.params, f.paramBuf, f.gradBuf);
    expect(() => s.setState(a.getState())).toThrow(/adam/);
  });
});

describe('an update applied in spans (as pool lanes do)', () => {
  // Cuts fall inside tensors and at their edges; a frozen layer and both decay modes are in play.
  const layers = [
    { layer: 'conv', kind: 'weight', size: 37, decay: true },
    { layer: 'conv', kind: 'bias', size: 5, decay: false },
    { layer: 'frozen', kind: 'weight', size: 11, decay: true },
    { layer: 'fc', kind: 'weight', size: 29, decay: true },
    { layer: 'fc', kind: 'bias', size: 3, decay: false },
  ];
  const specs = [
    sgd(0.05, 0.9),
    sgd(0.05, 0.9, true),
    sgd(0.05),
    adam(0.01),
    { kind: 'adamw' as const, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 },
  ];
  const decays = [undefined, { mode: 'l2' as const, value: 0.01 }, { mode: 'decoupled' as const, value: 0.02 }];
  for (const spec of specs) {
    for (const weightDecay of decays) {
      it(`${spec.kind}${'nesterov' in spec && spec.nesterov ? ' nesterov' : ''}${weightDecay ? ` with ${weightDecay.mode} decay` : ''}: same bits as whole steps`, () => {
        const whole = flatParams(layers),
          split = flatParams(layers);
        const opts = { frozen: ['frozen'], weightDecay };
        const a = createOptimizer(spec, whole.params, whole.paramBuf, whole.gradBuf, opts);
        const b = createOptimizer(spec, split.params, split.paramBuf, split.gradBuf, opts);
        const P = whole.paramBuf.length;
        for (let i = 0; i < P; i++) whole.paramBuf[i] = split.paramBuf[i] = Math.sin(i + 1);
        for (let t = 1; t <= 4; t++) {
          for (let i = 0; i < P; i++) whole.gradBuf[i] = split.gradBuf[i] = Math.cos(i * t);
          const lr = 0.05 / t;
          a.step(lr);
          // The master counts the update on its own span; the other spans apply update number t.
          b.step(lr, 0, 20);
          b.update(lr, b.t, 20, 45);
          b.update(lr, b.t, 45, P);
        }
        expect(b.t).toBe(4);
        expect(Array.from(split.paramBuf)).toEqual(Array.from(whole.paramBuf));
        expect(b.getState()).toEqual(a.getState());
        // The frozen layer never moved.
        expect(Array.from(split.paramBuf.subarray(42, 53))).toEqual(Array.from({ length: 11 }, (_, i) => Math.sin(43 + i)));
      });
    }
  }
});
