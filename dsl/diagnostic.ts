// Rendering a diagnostic for a student: "line 3, column 8: message", the source line, and a caret
// line under the offending token (tabs kept so the carets line up in any terminal or notebook).
import type { Diagnostic } from './program.js';

/** The codes compile() puts on diagnostics, and what each means (for the session's error names). */
export const diagnosticCodes: Record<string, string> = {
  syntax: 'the text does not parse: a bad character, an unclosed string or bracket, a misplaced word',
  'unknown-name': 'a statement, layer, option, setting, built-in, model, dataset or layer name that does not exist',
  type: 'a value of the wrong kind (a name where a number goes, 2.5 where a whole number goes)',
  range: 'a value outside its allowed range, or an image index past the end of a split',
  missing: 'a required value is missing',
  duplicate: 'a name or option given twice, or a name used for both a model and a dataset',
  arity: 'the wrong number of values (e.g. piecewise boundaries and values)',
  conflict: 'two settings that exclude each other (weight_decay and l2)',
  shape: 'a layer whose output would be empty or whose stride does not divide its input, or a model and dataset that do not fit',
  memory: 'a model or training run that needs more memory than the machine has',
  empty: 'a model without layers',
  config: 'a setting that has no effect as written (warning)',
  loss: 'a last layer that does not suit the loss (warning)',
  internal: 'a bug in the compiler (never expected)',
};

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
