// `model NAME(input: …) { … }` and `model NAME from BASE …`: build the network (seeded init), copy the
// transferred layers' weights, bind it, and show its summary. A failure binds nothing.
import type { Statement } from '../../dsl/program.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { transferLayers } from '../../runtime/transfer.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { Net } from '../../runtime/types.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execModel(s: Of<'model'>, ctx: ExecContext): Promise<void> {
  const spec: ModelSpec = s.spec;
  let net: Net;
  try {
    net = createNet(spec, { rng: createRng(spec.seed ?? 0) });
  } catch (e) {
    throw new StatementError((e as Error).message, s.range, 'ShapeError');
  }
  if (spec.initFrom) {
    const base = getModel(ctx.state, spec.initFrom.model, s.range);
    const copied = transferLayers(net, base.net, spec.initFrom.layers);
    if (!copied.ok) throw new StatementError(`cannot reuse ${spec.initFrom.model}: ${copied.error}`, s.range, 'ShapeError');
  }
  ctx.state.models.set(s.name, { spec, net, runs: [], made: spec.initFrom ? 'transferred' : 'initialised' });
  ctx.io.display(summaryBundle(s.name, spec, net));
}

export async function execShowSummary(s: Of<'show_summary'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  ctx.io.display(summaryBundle(s.model, m.spec, m.net, m.runs));
}
