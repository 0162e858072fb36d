// Runs one cell: compile against the session, then execute its statements in order.
// A cell that does not compile changes nothing. A statement that fails while running stops the cell
// there, as in a Python cell: the statements before it keep their effect, the error says which ran.
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
  const statements = compiled.program.statements;
  for (const [index, stmt] of statements.entries()) {
    try {
      ctx.checkInterrupt();
      // The table is keyed by statement kind; each executor narrows its own statement type.
      await (executors[stmt.kind] as (s: typeof stmt, c: ExecContext) => Promise<void>)(stmt, ctx);
    } catch (e) {
      const progress = { ran: statements.slice(0, index).map((x) => x.range), after: statements.length - index - 1 };
      if (e instanceof Interrupted) return interruptError(e.detail, progress);
      if (e instanceof StatementError) return statementError(code, e, progress);
      return internalError(e);
    }
  }
  return undefined;
}
