// `model NAME(input: …) { … }` and `model NAME from BASE …`: build the network (seeded init), copy the
// transferred layers' weights, bind it, and show its summary. A failure binds nothing.
import type { Statement } from '../../dsl/program.js';
import { buildModel } from '../../runtime/index.js';
import type { ModelSpec } from '../../runtime/spec.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execModel(s: Of<'model'>, ctx: ExecContext): Promise<void> {
  const spec: ModelSpec = s.spec;
  // A base gone since the cell compiled is a NameError here; the runtime words what remains (shapes, transfer).
  const base = spec.initFrom ? getModel(ctx.state, spec.initFrom.model, s.range).net : undefined;
  const built = buildModel(spec, { seed: spec.seed ?? 0, lookup: () => base });
  if (!built.ok) throw new StatementError(built.error, s.range, 'ShapeError');
  const net = built.net;
  ctx.state.models.set(s.name, { spec, net, runs: [], made: spec.initFrom ? 'transferred' : 'initialised' });
  ctx.io.display(summaryBundle(s.name, spec, net));
}

export async function execShowSummary(s: Of<'show_summary'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  ctx.io.display(summaryBundle(s.model, m.spec, m.net, m.runs));
}
