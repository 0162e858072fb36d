// `explain …`: the table from an explain form to the function that works it out (session/exec/explain-*.ts);
// the result is plain data (render/explain.ts) shown as text/plain and HTML with a PNG picture.
import type { ExplainSpec, SourceRange, Statement } from '../../dsl/program.js';
import { explanationBundle, type Explanation } from '../../render/explain.js';
import type { SessionState } from '../state.js';
import type { ExecContext } from './context.js';
import { explainGradient } from './explain-backprop.js';
import { explainConvolve1d, explainConvolve2d, explainSize, explainUnit } from './explain-conv.js';
import { explainStep, explainWeightDecay } from './explain-optim.js';
import { explainDropout, explainEarlyStop, explainSchedule } from './explain-run.js';

type Explainer<F extends ExplainSpec['form']> = (
  s: Extract<ExplainSpec, { form: F }>,
  state: SessionState,
  range: SourceRange,
) => Explanation;

export const explainers: { [F in ExplainSpec['form']]: Explainer<F> } = {
  unit: explainUnit,
  convolve1d: (s) => explainConvolve1d(s),
  convolve2d: explainConvolve2d,
  size: explainSize,
  gradient: explainGradient,
  weight_decay: explainWeightDecay,
  dropout: explainDropout,
  early_stop: explainEarlyStop,
  step: explainStep,
  schedule: explainSchedule,
};

/** Works out an explain statement's spec (what the tests call too). */
export function explain(spec: ExplainSpec, state: SessionState, range: SourceRange): Explanation {
  return (explainers[spec.form] as Explainer<ExplainSpec['form']>)(spec, state, range);
}

export async function execExplain(s: Extract<Statement, { kind: 'explain' }>, ctx: ExecContext): Promise<void> {
  ctx.io.display(explanationBundle(explain(s.spec, ctx.state, s.range)));
}
