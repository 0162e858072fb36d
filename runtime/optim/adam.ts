// Adam (Kingma & Ba 2015, arXiv:1412.6980) with bias correction, and AdamW (Loshchilov & Hutter 2019,
// arXiv:1711.05101) which differs only in decaying the weights directly instead of through the gradient:
//   m ← β1·m + (1−β1)·g,  s ← β2·s + (1−β2)·g²,  m̂ = m/(1−β1^t),  ŝ = s/(1−β2^t),  θ ← θ − η·m̂/(√ŝ + ε)
// AdamW's own decay follows torch.optim.AdamW: θ ← θ·(1 − η·wd) before the Adam step.
import type { OptimizerSpec } from '../spec.js';
import {
  applyDecoupledDecay,
  checkState,
  forSpans,
  l2Lambda,
  type Optimizer,
  type OptimizerParts,
  type OptimizerState,
} from './optimizer.js';

type AdamSpec = Extract<OptimizerSpec, { kind: 'adam' } | { kind: 'adamw' }>;

export function createAdam(spec: AdamSpec, parts: OptimizerParts): Optimizer {
  const { params: p, grads: g, ranges, weightDecay } = parts;
  const { beta1, beta2, eps } = spec;
  const ownDecay = spec.kind === 'adamw' ? spec.weightDecay : 0;
  const m = parts.slots('m', p.length);
  const s = parts.slots('s', p.length);
  let t = 0;

  function update(lr: number, t: number, from: number, to: number): void {
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    const shrink = 1 - lr * ownDecay;
    forSpans(ranges, from, to, (r, start, end) => {
      const lambda = l2Lambda(r, weightDecay);
      const decayHere = ownDecay !== 0 && r.decay;
      for (let i = start; i < end; i++) {
        const grad = g[i] + lambda * p[i];
        m[i] = beta1 * m[i] + (1 - beta1) * grad;
        s[i] = beta2 * s[i] + (1 - beta2) * grad * grad;
        const theta = decayHere ? p[i] * shrink : p[i];
        p[i] = theta - (lr * (m[i] / c1)) / (Math.sqrt(s[i] / c2) + eps);
      }
    });
    applyDecoupledDecay(parts, from, to);
  }

  return {
    spec,
    get t() {
      return t;
    },
    step(lr: number, from = 0, to = p.length) {
      t++;
      update(lr, t, from, to);
    },
    update,
    getState: (): OptimizerState => ({ kind: spec.kind, t, slots: { m: m.slice(), s: s.slice() } }),
    setState(state: OptimizerState) {
      checkState(state, spec.kind, ['m', 's'], p.length);
      m.set(state.slots.m);
      s.set(state.slots.s);
      t = state.t;
    },
  };
}
