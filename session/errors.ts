// Cell errors as data: what a failed statement reports, and how it becomes a Jupyter error
// (ename, evalue, traceback with the cell's source line and a caret under the problem).
import { rangeAt, renderDiagnostic } from '../dsl/index.js';
import type { Diagnostic, SourceRange } from '../dsl/program.js';
import type { CellError } from './protocol.js';

/** Thrown by executors for an expected failure at a statement (bad file, shape mismatch, …). */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
    readonly ename = 'ConvbookError',
    /** The file the failure is about: the caret goes under its "string" in the statement. */
    readonly file?: string,
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

/** The range of the "string" in a statement that names `file` (written relative or absolute), if any. */
export function fileRange(source: string, range: SourceRange, file: string): SourceRange | undefined {
  const text = source.slice(range.startOffset, range.endOffset);
  for (const m of text.matchAll(/"((?:[^"\\\r\n]|\\.)*)"/g)) {
    const written = m[1].replace(/\\(.)/g, '$1');
    if (written.length > 0 && (file === written || file.endsWith(`/${written.replace(/^\.\//, '')}`))) {
      const start = range.startOffset + (m.index ?? 0);
      return rangeAt(source, start, start + m[0].length);
    }
  }
  return undefined;
}

/** Where a cell stood when a statement failed: the ranges of the statements that ran, and how many were left. */
export interface CellProgress {
  ran: SourceRange[];
  after: number;
}

/** "line 3", "lines 1, 2 and 4", "lines 1–40": the lines statements start on, short whatever their number. */
function linesText(lines: number[]): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  if (lines.length <= 4) return `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
  return `lines ${lines[0]}–${lines[lines.length - 1]}`;
}

/** What ran before the failure and what did not (the cell keeps the first, as a Python cell does). */
export function progressText(p: CellProgress): string {
  const n = p.ran.length;
  const ran =
    n === 0
      ? 'nothing before it ran'
      : n === 1
        ? `the statement before it (${linesText(p.ran.map((r) => r.line))}) ran and keeps its effect`
        : `the ${n} statements before it (${linesText(p.ran.map((r) => r.line))}) ran and keep their effect`;
  const rest = p.after === 0 ? '' : `; the ${p.after === 1 ? 'statement' : `${p.after} statements`} after it did not run`;
  return `the cell stopped at this statement: ${ran}${rest}`;
}

/** A statement that failed while running: its source line with a caret, the message, and what ran. */
export function statementError(source: string, err: StatementError, progress?: CellProgress): CellError {
  const range = (err.file !== undefined ? fileRange(source, err.range, err.file) : undefined) ?? err.range;
  const d: Diagnostic = { severity: 'error', message: err.message, range, code: 'runtime' };
  const note = progress !== undefined && (progress.ran.length > 0 || progress.after > 0) ? [progressText(progress)] : [];
  return {
    ename: err.ename,
    evalue: err.message,
    traceback: [`${RED}${err.ename}${RESET}: ${err.message}`, '', ...renderDiagnostic(source, d), ...note],
  };
}

export function interruptError(detail: string, progress?: CellProgress): CellError {
  const note = progress !== undefined && (progress.ran.length > 0 || progress.after > 0) ? [progressText(progress)] : [];
  return { ename: 'KeyboardInterrupt', evalue: detail, traceback: [`${RED}KeyboardInterrupt${RESET}: ${detail}`, ...note] };
}

/** A bug, not a user error: keep the stack so it can be reported. */
export function internalError(e: unknown): CellError {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    ename: 'InternalError',
    evalue: err.message,
    traceback: [`${RED}InternalError${RESET}: ${err.message}`, ...(err.stack ?? '').split('\n').slice(1)],
  };
}
