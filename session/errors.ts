// Cell errors as data: what a failed statement reports, and how it becomes a Jupyter error
// (ename, evalue, traceback with the cell's source line and a caret under the problem).
import { renderDiagnostic } from '../dsl/index.js';
import type { Diagnostic, SourceRange } from '../dsl/program.js';
import type { CellError } from './protocol.js';

/** Thrown by executors for an expected failure at a statement (bad file, shape mismatch, …). */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
    readonly ename = 'ConvbookError',
  ) {
    super(message);
  }
}

/** Thrown when the interrupt flag is seen; the session keeps what was completed. */
export class Interrupted extends Error {
  constructor(readonly detail = 'interrupted by the user') {
    super(detail);
  }
}

const RED = '\u001b[31m';
const RESET = '\u001b[0m';

/** Diagnostics of a cell that did not compile: every one, each with its source line and caret. */
export function compileError(source: string, diagnostics: Diagnostic[]): CellError {
  // compile() caps the list: a last 'more' entry counts what it left out.
  const more = diagnostics.find((d) => d.code === 'more');
  const hidden = more?.omitted ?? 0;
  const errors = diagnostics.filter((d) => d.severity === 'error' && d.code !== 'more');
  const first = errors[0] ?? diagnostics[0];
  const lines: string[] = [];
  for (const d of errors) lines.push(...renderDiagnostic(source, d), '');
  if (more !== undefined) lines.push(...renderDiagnostic(source, more), '');
  const kind = first?.code === 'syntax' ? 'SyntaxError' : first?.code === 'shape' ? 'ShapeError' : 'CompileError';
  const total = errors.length + hidden;
  const count = total > 1 ? ` (and ${total - 1} more)` : '';
  return {
    ename: kind,
    evalue: `${first ? `line ${first.range.line}, column ${first.range.column}: ${first.message}` : 'invalid cell'}${count}`,
    traceback: [`${RED}${kind}${RESET}: ${total} error${total === 1 ? '' : 's'} in this cell; nothing was run`, '', ...lines],
  };
}

/** A statement that failed while running: its source line with a caret, then the message. */
export function statementError(source: string, err: StatementError): CellError {
  const d: Diagnostic = { severity: 'error', message: err.message, range: err.range, code: 'runtime' };
  return { ename: err.ename, evalue: err.message, traceback: [`${RED}${err.ename}${RESET}: ${err.message}`, '', ...renderDiagnostic(source, d)] };
}

export function interruptError(detail: string): CellError {
  return { ename: 'KeyboardInterrupt', evalue: detail, traceback: [`${RED}KeyboardInterrupt${RESET}: ${detail}`] };
}

/** A bug, not a user error: keep the stack so it can be reported. */
export function internalError(e: unknown): CellError {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ename: 'InternalError', evalue: err.message, traceback: [`${RED}InternalError${RESET}: ${err.message}`, ...(err.stack ?? '').split('\n').slice(1)] };
}
