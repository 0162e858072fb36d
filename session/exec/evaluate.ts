// `evaluate MODEL on DATA.test`: the runtime's evaluation report (accuracy, loss, confusion matrix, the
// misclassified examples; interrupts checked between chunks), computed on the session's lanes, displayed
// and summed up in one line.
import type { Statement } from '../../dsl/program.js';
import type { Shape3 } from '../../runtime/spec.js';
import { outputSize } from '../../runtime/train/metrics.js';
import { evaluateReport, reportFromOutputs, type EvalReport } from '../../runtime/train/report.js';
import type { SplitView } from '../../runtime/train/split-view.js';
import type { Net } from '../../runtime/types.js';
import { measureOnLanes } from '../lanes.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { evaluationDisplay } from './eval-render.js';
import { checkTakes, getData, getModel } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execEvaluate(s: Of<'evaluate'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const d = getData(ctx.state, s.data, s.range);
  checkTakes(s.model, m.spec.input, s.data, d.shape, s.range);
  const split = d[s.split];
  if (split.count === 0) throw new StatementError(`${s.data}.${s.split} is empty`, s.range, 'DataError');
  if (m.made && m.runs.length === 0) ctx.io.stream(`${untrainedNote(s.model, m.made, m.spec.initFrom?.model, d.classes)}\n`, 'stderr');
  const report = await evaluateOnLanes(ctx, m.net, split, d.shape, d.classes);
  ctx.io.display(evaluationDisplay(s.model, s.data, s.split, report, d));
  ctx.io.stream(`${s.model} on ${s.data}.${s.split}: accuracy ${(100 * report.accuracy).toFixed(2)}%, loss ${report.loss.toFixed(4)}\n`);
}

/** The runtime's report, from outputs the session's lanes computed (a float64 net is measured here alone). */
async function evaluateOnLanes(ctx: ExecContext, net: Net, split: SplitView, shape: Shape3, classes: number): Promise<EvalReport> {
  const beforeChunk = () => ctx.checkInterrupt();
  if (net.dtype !== 'float32') return evaluateReport(net, split, shape, classes, beforeChunk);
  const idx = Int32Array.from({ length: split.count }, (_, i) => i);
  const r = await measureOnLanes(ctx.state, net, split, shape, idx, { beforeChunk });
  return reportFromOutputs(split, classes, outputSize(net), r.outputs, r.loss);
}

/** Said before evaluating a model no run has trained, so a chance-level accuracy is not a surprise. */
export function untrainedNote(model: string, made: 'initialised' | 'transferred', base: string | undefined, classes: number): string {
  return made === 'transferred'
    ? `note: ${model} has not been trained since it was made from ${base}: the layers it did not take from ${base} still have their random initial weights`
    : `note: ${model} has not been trained: these are its random initial weights, so expect about chance accuracy (${(100 / classes).toFixed(0)}% for ${classes} classes)`;
}
