// `model NAME(input: …) { … }` and `model NAME from BASE …`: build the network (seeded init), copy the
// transferred layers' weights, bind it, and show its summary. A failure binds nothing.
import type { Statement } from '../../dsl/program.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { Net } from '../../runtime/types.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

/** Copies every parameter and state value of the named layers from `from` into `to`; the shapes must agree. */
export function copyLayers(from: Net, to: Net, layers: string[]): string | undefined {
  for (const layer of layers) {
    const src = from.params.filter((p) => p.layer === layer);
    for (const p of src) {
      const q = to.params.find((x) => x.name === p.name);
      if (!q) return `layer ${layer} has no parameter ${p.name} in the new model`;
      if (q.size !== p.size) return `${p.name} holds ${p.shape.join('×')} values in the base model but ${q.shape.join('×')} in the new one`;
      q.value.set(p.value);
    }
  }
  return undefined;
}

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
    const problem = copyLayers(base.net, net, spec.initFrom.layers);
    if (problem) throw new StatementError(`cannot reuse ${spec.initFrom.model}: ${problem}`, s.range, 'ShapeError');
  }
  ctx.state.models.set(s.name, { spec, net, runs: [] });
  ctx.io.display(summaryBundle(s.name, spec, net));
}

export async function execShowSummary(s: Of<'show_summary'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  ctx.io.display(summaryBundle(s.model, m.spec, m.net));
}
