// Runs one cell: compile against the session, then execute its statements in order.
// A cell that does not compile changes nothing; a failing statement stops the cell at that statement.
import { compile } from '../dsl/index.js';
import { compileError, internalError, interruptError, Interrupted, StatementError, statementError } from './errors.js';
import { executors } from './executors.js';
import type { ExecContext } from './exec/context.js';
import type { CellError } from './protocol.js';
import { sessionEnv } from './state.js';

export async function runCell(code: string, ctx: ExecContext): Promise<CellError | undefined> {
  const compiled = compile(code, sessionEnv(ctx.state));
  if (!compiled.ok) return compileError(code, compiled.diagnostics);
  for (const w of compiled.warnings) ctx.io.stream(`warning: line ${w.range.line}: ${w.message}\n`, 'stderr');
  for (const stmt of compiled.program.statements) {
    try {
      ctx.checkInterrupt();
      // The table is keyed by statement kind; each executor narrows its own statement type.
      await (executors[stmt.kind] as (s: typeof stmt, c: ExecContext) => Promise<void>)(stmt, ctx);
    } catch (e) {
      if (e instanceof Interrupted) return interruptError(e.detail);
      if (e instanceof StatementError) return statementError(code, e);
      return internalError(e);
    }
  }
  return undefined;
}
