// The optimizer forms of explain: weight decay (eq. 8–10) and two steps of momentum (13a–b), Nesterov
// (14a–b) and Adam on one conv weight, with this run's η (and momentum or betas) and the gradient of a
// backward pass on one example. The worked steps are float64 formulas; the runtime's come from its own
// optimizers (runtime/optim) applied to a one-element copy of the weight.
import type { ExplainSpec, SourceRange } from '../../dsl/program.js';
import type { ExplainBlock, Explanation } from '../../render/explain.js';
import { createOptimizer } from '../../runtime/optim/index.js';
import type { OptimizerSpec, TrainSpec } from '../../runtime/spec.js';
import type { Param } from '../../runtime/types.js';
import { StatementError } from '../errors.js';
import type { SessionState } from '../state.js';
import { checkAt, lastRun, probe, windowOf } from './explain-probe.js';

type Spec<F extends ExplainSpec['form']> = Extract<ExplainSpec, { form: F }>;
const n6 = (v: number) => String(Number(v.toPrecision(6)));
const n10 = (v: number) => String(Number(v.toPrecision(10)));

/** The runtime's optimizer on a single float32 weight with a fixed gradient: the weight after each step. */
export function runtimeSteps(
  spec: OptimizerSpec,
  w: number,
  g: number,
  lr: number,
  steps: number,
  weightDecay?: TrainSpec['weightDecay'],
): number[] {
  const value = Float32Array.of(w);
  const grad = Float32Array.of(g);
  const param: Param = { name: 'w', layer: 'w', shape: [1], offset: 0, size: 1, value, grad, decay: true };
  const opt = createOptimizer(spec, [param], value, grad, weightDecay ? { weightDecay } : {});
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    opt.step(lr);
    out.push(value[0]);
  }
  return out;
}

/** The weight, its gradient on the example, and the run it was trained in. */
function weightAndGrad(s: Spec<'step' | 'weight_decay'>, state: SessionState, range: SourceRange) {
  const p = probe(state, s.model, s.layer, s.image, range, true);
  const win = windowOf(p.layer);
  const { c: C } = p.inShape;
  const F = p.outShape.c;
  checkAt(s.at, { map: F, channel: C, row: win.kh, col: win.kw }, `${s.layer}.weight (${F}×${C}×${win.kh}×${win.kw})`, range);
  const k = ((s.at.map * C + s.at.channel) * win.kh + s.at.row) * win.kw + s.at.col;
  const param = p.net.params.find((q) => q.name === `${s.layer}.weight`)!;
  const run = lastRun(p.entry, s.model, range, s.form);
  const name = `${s.layer}.weight[${s.at.map},${s.at.channel},${s.at.row},${s.at.col}]`;
  const frozen = p.entry.spec.frozen.includes(s.layer) ? ` (${s.layer} is frozen: training never changed it)` : '';
  return { w: param.value[k], g: param.grad[k], run, name, what: p.what, frozen };
}

/** explain step lenet.conv1 of digits.test[7] at map 0, channel 0, row 1, col 1 */
export function explainStep(s: Spec<'step'>, state: SessionState, range: SourceRange): Explanation {
  const { w, g, run, name, what, frozen } = weightAndGrad(s, state, range);
  const o = run.train.optimizer;
  const lr = o.lr;
  const mu = o.kind === 'sgd' && o.momentum > 0 ? o.momentum : 0.9;
  const muFrom =
    o.kind === 'sgd' && o.momentum > 0
      ? 'this run'
      : `the usual value (this run used ${o.kind}${o.kind === 'sgd' ? ' without momentum' : ''})`;
  const adam = o.kind === 'adam' || o.kind === 'adamw' ? o : { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  const adamFrom = o.kind === 'adam' || o.kind === 'adamw' ? 'this run' : 'the defaults';
  // Worked in float64 from the equations, with the same gradient g at both steps.
  let v = 0,
    wm = w;
  const mom: string[][] = [];
  const momW: number[] = [];
  for (let t = 1; t <= 2; t++) {
    const vNew = mu * v - lr * g;
    mom.push([`momentum step ${t}`, `v = ${n6(mu)}·${n6(v)} − ${n6(lr)}·${n6(g)} = ${n6(vNew)}`, n10(wm), n10(wm + vNew)]);
    v = vNew;
    wm += vNew;
    momW.push(wm);
  }
  let vn = 0,
    wn = w;
  const nes: string[][] = [];
  const nesW: number[] = [];
  for (let t = 1; t <= 2; t++) {
    const vNew = mu * vn - lr * g;
    // Stored weights are the look-ahead point φ = θ + μv (sgd.ts): φ ← φ + μ·v_new − η·g.
    const wNew = wn + mu * vNew - lr * g;
    nes.push([`Nesterov step ${t}`, `v = ${n6(mu)}·${n6(vn)} − ${n6(lr)}·${n6(g)} = ${n6(vNew)}; φ += μ·v − η·g`, n10(wn), n10(wNew)]);
    vn = vNew;
    wn = wNew;
    nesW.push(wn);
  }
  let m = 0,
    sq = 0,
    wa = w;
  const ad: string[][] = [];
  const adW: number[] = [];
  for (let t = 1; t <= 2; t++) {
    m = adam.beta1 * m + (1 - adam.beta1) * g;
    sq = adam.beta2 * sq + (1 - adam.beta2) * g * g;
    const mh = m / (1 - Math.pow(adam.beta1, t));
    const sh = sq / (1 - Math.pow(adam.beta2, t));
    const wNew = wa - (lr * mh) / (Math.sqrt(sh) + adam.eps);
    ad.push([`Adam step ${t}`, `m = ${n6(m)}, s = ${n6(sq)}, m̂ = ${n6(mh)}, ŝ = ${n6(sh)}`, n10(wa), n10(wNew)]);
    wa = wNew;
    adW.push(wa);
  }
  const rtMom = runtimeSteps({ kind: 'sgd', lr, momentum: mu, nesterov: false }, w, g, lr, 2);
  const rtNes = runtimeSteps({ kind: 'sgd', lr, momentum: mu, nesterov: true }, w, g, lr, 2);
  const rtAdam = runtimeSteps({ kind: 'adam', lr, beta1: adam.beta1, beta2: adam.beta2, eps: adam.eps }, w, g, lr, 2);
  const rows = [
    ...mom.map((r, i) => [...r, n10(rtMom[i])]),
    ...nes.map((r, i) => [...r, n10(rtNes[i])]),
    ...ad.map((r, i) => [...r, n10(rtAdam[i])]),
  ];
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `${name} = ${n10(w)}${frozen}; its gradient on ${what} is g = ${n10(g)} (one backward pass, float32). Both steps use this same g, as if the loss were linear near w, so the recurrences are easy to follow.`,
    },
    {
      kind: 'text',
      text: `η = ${lr} (this run's η₀${run.train.schedule.kind === 'constant' ? '' : `; its ${run.train.schedule.kind} schedule lowers it later`}); μ = ${mu} from ${muFrom}; Adam β1 = ${adam.beta1}, β2 = ${adam.beta2}, ε = ${adam.eps} from ${adamFrom}. Each optimizer starts from zero state (v = 0; m = s = 0).`,
    },
    {
      kind: 'table',
      title: 'two steps (worked in float64; the runtime updates a float32 weight)',
      header: ['step', 'state', 'w before', 'w after', 'runtime'],
      rows,
    },
    {
      kind: 'check',
      what: 'momentum after step 2',
      worked: momW[1],
      workedIn: 'float64',
      runtime: rtMom[1],
      runtimeIn: "float32, the runtime's sgd",
    },
    {
      kind: 'check',
      what: 'Nesterov after step 2',
      worked: nesW[1],
      workedIn: 'float64',
      runtime: rtNes[1],
      runtimeIn: "float32, the runtime's sgd nesterov",
    },
    {
      kind: 'check',
      what: 'Adam after step 2',
      worked: adW[1],
      workedIn: 'float64',
      runtime: rtAdam[1],
      runtimeIn: "float32, the runtime's adam",
    },
    {
      kind: 'text',
      text: `Adam's first step moves w by about η (${lr}) whatever the size of g, because m̂/√ŝ = g/|g| at t = 1; momentum's second step is larger than its first (v accumulates); Nesterov's stored weight is the look-ahead point w + μv, so it leads momentum by μ·v.`,
    },
  ];
  return {
    title: `one step of momentum, Nesterov and Adam on ${s.model}.${name}`,
    equation: [
      'momentum: v ← μv − η·g (13a), w ← w + v (13b)',
      'Nesterov: v ← μv − η·∇L(w + μv) (14a), w ← w + v (14b); run as φ = w + μv: φ ← φ + μ·v − η·g',
      'Adam: m ← β1·m + (1−β1)·g, s ← β2·s + (1−β2)·g², m̂ = m/(1−β1^t), ŝ = s/(1−β2^t), w ← w − η·m̂/(√ŝ + ε)',
    ],
    blocks,
  };
}

/** explain weight_decay lenet.conv1 of digits.test[7] at map 0, channel 0, row 1, col 1 */
export function explainWeightDecay(s: Spec<'weight_decay'>, state: SessionState, range: SourceRange): Explanation {
  const { w, g, run, name, what, frozen } = weightAndGrad(s, state, range);
  const wd = run.train.weightDecay;
  if (wd === undefined || wd.value === 0)
    throw new StatementError(
      `the last run of ${s.model} used no weight decay; add weight_decay 0.0005 (decoupled, w ← βw) or l2 0.0005 (a gradient term) to its train block and train again`,
      range,
    );
  const o = run.train.optimizer;
  const lr = o.lr;
  const lambda = wd.value;
  const sgd: OptimizerSpec = { kind: 'sgd', lr, momentum: 0, nesterov: false };
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `${name} = ${n10(w)}${frozen}; its gradient on ${what} is g = ${n10(g)}. This run: ${o.kind}, η = ${lr}, ${wd.mode === 'decoupled' ? 'weight_decay' : 'l2'} λ = ${lambda}.`,
    },
  ];
  if (wd.mode === 'decoupled') {
    const beta = 1 - lambda;
    const plain = runtimeSteps(sgd, w, g, lr, 1)[0];
    const decayed = runtimeSteps(sgd, w, g, lr, 1, wd)[0];
    const worked = beta * (w - lr * g);
    blocks.push(
      {
        kind: 'text',
        text: `equation 8: after each update, w ← β·w with β = 1 − λ = 1 − ${lambda} = ${n10(beta)} (weights only, not biases).`,
      },
      {
        kind: 'text',
        text: `one plain-SGD step then the decay: w − η·g = ${n10(w)} − ${lr}·${n10(g)} = ${n10(w - lr * g)}; × β = ${n10(worked)}. Without the gradient, decay alone shrinks w to ${n10(beta * w)} per step, and to β^1000 = ${n6(Math.pow(beta, 1000))} of itself in 1000 steps.`,
      },
      {
        kind: 'check',
        what: 'w after one SGD step with decay',
        worked,
        workedIn: 'float64',
        runtime: decayed,
        runtimeIn: "float32, the runtime's sgd with weight_decay",
      },
      { kind: 'text', text: `the same step without decay gives ${n10(plain)} in the runtime; the ratio is ${n10(decayed / plain)} ≈ β.` },
    );
  } else {
    const beta = 1 - lr * lambda;
    const worked = beta * w - lr * g;
    const rt = runtimeSteps(sgd, w, g, lr, 1, wd)[0];
    blocks.push(
      {
        kind: 'text',
        text: `equations 9–10: the loss gains (λ/2)·Σw², so the gradient gains λw: g + λw = ${n10(g)} + ${lambda}·${n10(w)} = ${n10(g + lambda * w)}.`,
      },
      {
        kind: 'text',
        text: `with plain SGD, w ← w − η(g + λw) = (1 − ηλ)·w − η·g: β = 1 − ηλ = 1 − ${lr}·${lambda} = ${n10(beta)}, so w ← ${n10(beta)}·${n10(w)} − ${lr}·${n10(g)} = ${n10(worked)}.`,
      },
      {
        kind: 'check',
        what: 'w after one SGD step with l2',
        worked,
        workedIn: 'float64',
        runtime: rt,
        runtimeIn: "float32, the runtime's sgd with l2",
      },
    );
    if (o.kind !== 'sgd' || o.momentum > 0)
      blocks.push({
        kind: 'text',
        text: `this run used ${o.kind}${o.kind === 'sgd' ? ' with momentum' : ''}: there λw joins g inside the ${o.kind === 'sgd' ? 'velocity' : 'moment estimates'}, so β = 1 − ηλ describes plain SGD only.`,
      });
  }
  return {
    title: `weight decay on ${s.model}.${name}`,
    equation: [
      'decoupled: w ← β·w, β = 1 − λ (8)',
      'L2: E′(w) = E(w) + (λ/2)·Σ w² (9),  ∂E′/∂w = ∂E/∂w + λ·w (10),  so SGD gives w ← (1 − ηλ)·w − η·∂E/∂w',
    ],
    blocks,
  };
}
