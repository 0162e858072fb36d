// The forms of explain that read a layer's size or a run's record: dropout's count of thinned networks,
// early stopping replayed from the run's own evaluations, and the learning-rate schedule evaluated at
// given steps beside the η the training loop recorded for them.
import type { ExplainSpec, SourceRange } from '../../dsl/program.js';
import type { ExplainBlock, Explanation } from '../../render/explain.js';
import { learningRate, plateauReductions } from '../../runtime/schedules.js';
import { StatementError } from '../errors.js';
import type { SessionState } from '../state.js';
import { lastRun } from './explain-probe.js';
import { getModel } from './names.js';

type Spec<F extends ExplainSpec['form']> = Extract<ExplainSpec, { form: F }>;
const n10 = (v: number) => String(Number(v.toPrecision(10)));

/** C(n, k) exactly. */
export function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** A big count: all its digits when short, else the leading digits and the power of ten. */
function big(v: bigint): string {
  const s = v.toString();
  return s.length <= 15 ? s : `${s[0]}.${s.slice(1, 6)}e+${s.length - 1} (${s.length} digits)`;
}

/** explain dropout lenet.dropout1 */
export function explainDropout(s: Spec<'dropout'>, state: SessionState, range: SourceRange): Explanation {
  const entry = getModel(state, s.model, range);
  const index = entry.spec.layers.findIndex((l) => l.name === s.layer);
  const l = entry.spec.layers[index];
  if (l?.kind !== 'dropout') throw new StatementError(`${s.layer} is not a dropout layer`, range);
  const o = entry.net.info[index].out;
  const n = o.c * o.h * o.w;
  const ks = [...new Set([0, 1, 2, 3, Math.floor(n / 2), n - 1, n].filter((k) => k >= 0 && k <= n))].sort((a, b) => a - b);
  const name = (k: number) =>
    k === 0
      ? 'keep all'
      : k === 1
        ? 'n'
        : k === 2
          ? 'n(n−1)/2'
          : k === 3
            ? 'n(n−1)(n−2)/6'
            : k === n
              ? 'drop all'
              : k === Math.floor(n / 2)
                ? 'the peak, k = ⌊n/2⌋'
                : `C(n, ${k})`;
  const rows = ks.map((k) => [String(k), name(k), big(choose(n, k))]);
  let total = 0n;
  for (let k = 0; k <= n; k++) total += choose(n, k);
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `${s.layer} drops each of its n = ${n} units (${o.c}×${o.h}×${o.w}, from the runtime's shape) with probability p = ${l.rate} on every training example, so each example trains one of the thinned networks below, ${n * (1 - l.rate)} units kept on average; at test time every unit is kept (the kept ones were scaled by 1/(1 − p) = ${n10(1 / (1 - l.rate))} in training, so nothing changes in scale).`,
    },
    { kind: 'table', title: `networks with k of the ${n} units dropped`, header: ['k', 'formula', 'C(n, k)'], rows },
    {
      kind: 'text',
      text: `C(n, k) grows up to k = n/2 and falls symmetrically after it (C(n, k) = C(n, n − k)); summed over k = 0..n the count is 2^${n} = ${big(total)}.`,
    },
    {
      kind: 'check',
      what: `Σ_k C(${n}, k)`,
      worked: Number(total),
      workedIn: 'exact integers',
      runtime: Math.pow(2, n),
      runtimeIn: '2ⁿ in float64',
    },
  ];
  return {
    title: `dropout configurations of ${s.model}.${s.layer}`,
    equation: ['C(n, k) = n! / (k!·(n − k)!): the ways to drop k of n units;  Σ_k C(n, k) = 2ⁿ'],
    blocks,
  };
}

/** explain early_stop lenet */
export function explainEarlyStop(s: Spec<'early_stop'>, state: SessionState, range: SourceRange): Explanation {
  const entry = getModel(state, s.model, range);
  const run = lastRun(entry, s.model, range, 'early_stop');
  const es = run.train.earlyStop;
  if (!es)
    throw new StatementError(
      `the last run of ${s.model} did not use early stopping; add e.g. early_stop every 100 steps patience 3 to its train block`,
      range,
    );
  const h = run.history;
  const split = run.train.validation > 0 ? 'val' : 'test';
  const checks = h.evals.filter((e) => e.step > 0 && e.step % es.every === 0 && (e.val ?? e.test) !== undefined);
  const better = (a: number, b: number) => (es.metric === 'loss' ? a < b : a > b);
  let best: { step: number; value: number } | undefined;
  let bad = 0;
  let stoppedAt: number | undefined;
  const rows: string[][] = [];
  for (const e of checks) {
    const m = (e.val ?? e.test)!;
    const value = es.metric === 'loss' ? m.loss : m.acc;
    const improved = Number.isFinite(value) && (best === undefined || better(value, best.value));
    if (improved) {
      best = { step: e.step, value };
      bad = 0;
    } else bad++;
    rows.push([
      String(e.step),
      n10(m.loss),
      `${(m.acc * 100).toFixed(2)}%`,
      improved ? 'best so far: snapshot' : `no (${bad} of ${es.patience})`,
    ]);
    if (bad >= es.patience) {
      stoppedAt = e.step;
      break;
    }
  }
  const recorded = h.earlyStop;
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `every ${es.every} steps the ${split} ${es.metric} is checked; a check that is not ${es.metric === 'loss' ? 'lower' : 'higher'} than the best so far counts against a patience of ${es.patience}; restore ${es.restoreBest ? 'best' : 'last'}.`,
    },
    {
      kind: 'table',
      title: `the run's checks (${split} split)`,
      header: ['step', `${split} loss`, `${split} accuracy`, 'improved?'],
      rows,
    },
  ];
  if (stoppedAt !== undefined) {
    blocks.push({
      kind: 'text',
      text: `patience ran out at step ${stoppedAt}; ${es.restoreBest ? `the snapshot of step ${best?.step} (${es.metric} ${n10(best?.value ?? NaN)}) was restored` : 'the last weights were kept'}.`,
    });
  } else
    blocks.push({
      kind: 'text',
      text: `patience never ran out: training ran to the end (${h.steps.length} steps) and kept its last weights; the best check was step ${best?.step ?? '—'}.`,
    });
  if (recorded?.bestStep !== undefined && best !== undefined)
    blocks.push({
      kind: 'check',
      what: 'the best step',
      worked: best.step,
      workedIn: 'replayed from the checks',
      runtime: recorded.bestStep,
      runtimeIn: "the training loop's record",
    });
  if (recorded !== undefined && stoppedAt !== undefined)
    blocks.push({
      kind: 'check',
      what: 'the step training stopped',
      worked: stoppedAt,
      workedIn: 'replayed from the checks',
      runtime: recorded.step,
      runtimeIn: "the training loop's record",
    });
  return {
    title: `early stopping of ${s.model}'s last run (${run.label})`,
    equation: [
      `stop when ${es.patience === 1 ? 'a check does not improve' : `${es.patience} checks in a row do not improve`} on the best ${split} ${es.metric}; then restore the best snapshot`,
    ],
    blocks,
  };
}

/** explain schedule lenet at 0, 100, 1000 */
export function explainSchedule(s: Spec<'schedule'>, state: SessionState, range: SourceRange): Explanation {
  const entry = getModel(state, s.model, range);
  const run = lastRun(entry, s.model, range, 'schedule');
  const h = run.history;
  const sch = run.train.schedule;
  const lr0 = run.train.optimizer.lr;
  const total = h.steps.length;
  const steps = s.steps.length ? s.steps : [...new Set([0, Math.floor(total / 2), Math.max(0, total - 1)])];
  const spe = h.steps.length > 0 ? h.steps.filter((x) => x.epoch === h.steps[0].epoch).length : 1;
  const rows: string[][] = [];
  const blocks: ExplainBlock[] = [];
  const evals = h.evals.map((e) => ({ step: e.step, error: (e.val ?? e.test ?? e.train).loss }));
  for (const t of steps) {
    const epoch = t < total ? h.steps[t].epoch : Math.floor(t / Math.max(1, spe));
    let worked: number;
    let formula: string;
    switch (sch.kind) {
      case 'constant':
        worked = lr0;
        formula = `η₀ = ${lr0}`;
        break;
      case 'exponential':
        worked = lr0 * Math.pow(sch.d, -t / sch.r);
        formula = `${lr0}·${sch.d}^(−${t}/${sch.r})`;
        break;
      case 'power':
        worked = lr0 * Math.pow(1 + t / sch.r, -sch.c);
        formula = `${lr0}·(1 + ${t}/${sch.r})^(−${sch.c})`;
        break;
      case 'piecewise': {
        const i = sch.boundaries.filter((b) => epoch >= b).length;
        worked = sch.values[Math.min(i, sch.values.length - 1)];
        formula = `epoch ${epoch}: values[${i}]`;
        break;
      }
      case 'plateau': {
        const cuts = plateauReductions(sch, { step: t, epoch, stepsPerEpoch: spe, history: evals });
        worked = Math.max(sch.min, lr0 * Math.pow(sch.factor, cuts));
        formula = `max(${sch.min}, ${lr0}·${sch.factor}^${cuts})`;
        break;
      }
    }
    const used = t < total ? h.steps[t].lr : undefined;
    rows.push([String(t), formula, n10(worked), used === undefined ? 'not reached' : n10(used)]);
    if (used !== undefined && t === steps.filter((x) => x < total).slice(-1)[0]) {
      blocks.push({
        kind: 'check',
        what: `η at step ${t}`,
        worked,
        workedIn: 'the formula',
        runtime: used,
        runtimeIn: 'what training used',
      });
    }
  }
  const rt = steps
    .filter((t) => t < total)
    .map((t) => learningRate(sch, lr0, { step: t, epoch: h.steps[t].epoch, stepsPerEpoch: spe, history: evals }));
  const eq: Record<typeof sch.kind, string> = {
    constant: 'η_t = η₀',
    exponential: `η_t = η₀·d^(−t/r), η₀ = ${lr0}, d = ${sch.kind === 'exponential' ? sch.d : ''}, r = ${sch.kind === 'exponential' ? sch.r : ''}`,
    power: `η_t = η₀·(1 + t/r)^(−c), η₀ = ${lr0}, r = ${sch.kind === 'power' ? sch.r : ''}, c = ${sch.kind === 'power' ? sch.c : ''}`,
    piecewise: `η = values[i] once the epoch ≥ boundaries[i−1]: boundaries ${sch.kind === 'piecewise' ? sch.boundaries.join(', ') : ''}, values ${sch.kind === 'piecewise' ? sch.values.join(', ') : ''}`,
    plateau: `performance scheduling: η ← factor·η each check (every ${sch.kind === 'plateau' ? sch.every : ''} steps) whose error changed by less than ε`,
  };
  return {
    title: `${sch.kind} schedule of ${s.model}'s last run (${run.label}), ${total} steps`,
    equation: [eq[sch.kind], 't counts updates from 0; the run recorded the η of every update'],
    blocks: [
      { kind: 'table', title: 'η at each step', header: ['t', 'formula', 'η (formula)', 'η (training)'], rows },
      ...blocks,
      {
        kind: 'text',
        text: `the runtime's learningRate() gives ${rt.map(n10).join(', ') || 'nothing here (no step was reached)'} for the steps training reached.`,
      },
    ],
  };
}
