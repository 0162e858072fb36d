// Rendering a diagnostic for a student: "line 3, column 8: message", the source line, and a caret
// line under the offending token (tabs kept so the carets line up in any terminal or notebook).
import type { Diagnostic } from './program.js';

export function renderDiagnostic(source: string, d: Diagnostic): string[] {
  const { line, column, endLine, endColumn } = d.range;
  const lines = source.split('\n');
  const text = (lines[line - 1] ?? '').replace(/\r$/, '');
  const start = Math.max(0, column - 1);
  const end = endLine === line ? Math.max(endColumn - 1, start + 1) : Math.max(text.length, start + 1);
  const width = Math.max(1, Math.min(end, Math.max(text.length, start + 1)) - start);
  const pad = text.slice(0, start).replace(/[^\t]/g, ' ') + ' '.repeat(Math.max(0, start - text.length));
  const label = d.severity === 'warning' ? 'warning: ' : '';
  const out = [`line ${line}, column ${column}: ${label}${d.message}`, text, pad + '^'.repeat(width)];
  if (d.hint) out.push(d.hint);
  return out;
}

/** All diagnostics of a cell, rendered and separated by blank lines. */
export function renderDiagnostics(source: string, ds: Diagnostic[]): string {
  return ds.map((d) => renderDiagnostic(source, d).join('\n')).join('\n\n');
}
