// SGD, momentum and Nesterov accelerated gradient, in the chapter's form:
//   momentum  v ← μv − η∇L(θ),       θ ← θ + v
//   Nesterov  v ← μv − η∇L(θ + μv),  θ ← θ + v
// Nesterov is run in the equivalent look-ahead form (Sutskever et al. 2013, §3.5): the stored weights are
// φ = θ + μv, the gradient the loop computes is ∇L(φ), and the update is φ ← φ + μv_new − η∇L(φ).
// PyTorch (torch.optim.SGD) keeps buf = −v/η instead, which is the same thing while η is constant.
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

type SgdSpec = Extract<OptimizerSpec, { kind: 'sgd' }>;

export function createSgd(spec: SgdSpec, parts: OptimizerParts): Optimizer {
  const { params: p, grads: g, ranges, weightDecay } = parts;
  const mu = spec.momentum;
  const v = parts.slots('velocity', p.length); // velocity, in the chapter's units (already multiplied by η)
  let t = 0;

  function update(lr: number, _t: number, from: number, to: number): void {
    forSpans(ranges, from, to, (r, start, end) => {
      const lambda = l2Lambda(r, weightDecay);
      // One loop per variant, so the hot loop carries no per-element branch.
      if (mu === 0) {
        for (let i = start; i < end; i++) p[i] = p[i] - lr * (g[i] + lambda * p[i]);
      } else if (!spec.nesterov) {
        for (let i = start; i < end; i++) {
          const vi = mu * v[i] - lr * (g[i] + lambda * p[i]);
          v[i] = vi;
          p[i] = p[i] + vi;
        }
      } else {
        for (let i = start; i < end; i++) {
          const grad = g[i] + lambda * p[i];
          const vi = mu * v[i] - lr * grad;
          v[i] = vi;
          p[i] = p[i] + mu * vi - lr * grad;
        }
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
    getState: (): OptimizerState => ({ kind: 'sgd', t, slots: { velocity: v.slice() } }),
    setState(state: OptimizerState) {
      checkState(state, 'sgd', ['velocity'], p.length);
      v.set(state.slots.velocity);
      t = state.t;
    },
  };
}
