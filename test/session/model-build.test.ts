// The model statement's failures that the checker cannot see (a base model gone or changed since the cell
// compiled, a spec the runtime refuses): each is a StatementError in plain words, and nothing is bound.
import { describe, expect, it } from 'vitest';
import type { SourceRange, Statement } from '../../dsl/program.js';
import type { ModelSpec } from '../../runtime/spec.js';
import { StatementError } from '../../session/errors.js';
import { createContext } from '../../session/exec/context.js';
import { execModel } from '../../session/exec/model.js';
import { ioFromSink } from '../../session/output.js';
import { createState } from '../../session/state.js';
import { toyModel } from '../runtime/train-helpers.js';

const range: SourceRange = { startOffset: 0, endOffset: 5, line: 1, column: 1, endLine: 1, endColumn: 6 };

function context() {
  const state = createState(process.cwd());
  return createContext(
    state,
    ioFromSink(() => {}),
    new Int32Array(new SharedArrayBuffer(4)),
    'test',
  );
}

async function failure(spec: ModelSpec, ctx = context()): Promise<StatementError> {
  const s: Extract<Statement, { kind: 'model' }> = { kind: 'model', name: spec.name, spec, range };
  const e = await execModel(s, ctx).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof StatementError)) throw new Error(`expected a StatementError, got ${String(e)}`);
  expect(ctx.state.models.has(spec.name)).toBe(false);
  return e;
}

describe('model statement failures', () => {
  it('a base model that is not in the session is a NameError', async () => {
    const e = await failure({ ...toyModel(), name: 'copy', initFrom: { model: 'gone', layers: ['conv1'] } });
    expect([e.ename, e.message]).toEqual(['NameError', "no model named 'gone' in this session"]);
  });

  it('layers that cannot be copied from the base are a ShapeError that names the base', async () => {
    const ctx = context();
    await execModel({ kind: 'model', name: 'toy', spec: toyModel(), range }, ctx);
    const wide = toyModel();
    wide.layers[0] = { ...wide.layers[0], filters: 6 } as ModelSpec['layers'][number];
    const e = await failure({ ...wide, name: 'copy', initFrom: { model: 'toy', layers: ['conv1'] } }, ctx);
    expect([e.ename, e.message]).toEqual(['ShapeError', 'cannot reuse toy: conv1.weight is 4×1×3×3 in toy but 6×1×3×3 in copy']);
  });

  it('a spec the runtime refuses is a ShapeError with its reason', async () => {
    const e = await failure({ ...toyModel(), input: { c: 1, h: 0, w: 8 } });
    expect(e.ename).toBe('ShapeError');
    expect(e.message).toBe('model toy: input shape 1×0×8 must be at least 1×1×1');
  });
});
