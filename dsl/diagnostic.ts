// Rendering a diagnostic for a student: "line 3, column 8: message", the source line, and a caret
// line under the offending token (tabs kept so the carets line up in any terminal or notebook).
import { lineText } from './lines.js';
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
  more: 'the count of further diagnostics past the first 20 of a cell, which are not shown',
};

/** At most this many diagnostics per cell; the rest are counted in one last "and N more" entry. */
export const maxDiagnostics = 20;
/** A message longer than this is cut (a 5,000-character string quoted back helps nobody). */
export const maxMessage = 400;
/** Source lines in a caret display are clipped to this many characters around the caret. */
export const maxShownLine = 160;

function clipMessage(m: string): string {
  return m.length <= maxMessage ? m : `${m.slice(0, maxMessage - 1)}…`;
}

/**
 * The diagnostics a cell reports: sorted as given, messages cut to maxMessage, and past
 * maxDiagnostics one summary entry (code 'more', at the first one left out) saying how many remain.
 */
export function capDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const out = ds.slice(0, maxDiagnostics).map((d) => (d.message.length > maxMessage ? { ...d, message: clipMessage(d.message) } : d));
  const rest = ds.slice(maxDiagnostics);
  if (rest.length === 0) return out;
  const errors = rest.filter((d) => d.severity === 'error').length;
  const what = errors === rest.length ? 'error' : 'problem';
  const message = `and ${rest.length} more ${what}${rest.length === 1 ? '' : 's'} after this point, not shown; fix the ones above first`;
  out.push({ severity: rest[0].severity, code: 'more', message, range: rest[0].range, omitted: rest.length });
  return out;
}

/** The part of a long line around [start, end): at most maxShownLine characters, '…' where cut. */
function clipLine(text: string, start: number, end: number): { text: string; start: number; end: number } {
  if (text.length <= maxShownLine) return { text, start, end };
  const from = Math.max(0, Math.min(start - Math.floor(maxShownLine / 3), text.length - maxShownLine));
  const to = Math.min(text.length, from + maxShownLine);
  const left = from > 0 ? '…' : '';
  const right = to < text.length ? '…' : '';
  const shift = left.length - from;
  return { text: left + text.slice(from, to) + right, start: start + shift, end: Math.min(end, to) + shift };
}

export function renderDiagnostic(source: string, d: Diagnostic): string[] {
  const { line, column, endLine, endColumn } = d.range;
  const full = lineText(source, line);
  const start0 = Math.max(0, column - 1);
  const end0 = endLine === line ? Math.max(endColumn - 1, start0 + 1) : Math.max(full.length, start0 + 1);
  const { text, start, end } = clipLine(full, start0, end0);
  const width = Math.max(1, Math.min(end, Math.max(text.length, start + 1)) - start);
  const pad = text.slice(0, start).replace(/[^\t]/g, ' ') + ' '.repeat(Math.max(0, start - text.length));
  const label = d.severity === 'warning' ? 'warning: ' : '';
  const out = [`line ${line}, column ${column}: ${label}${clipMessage(d.message)}`, text, pad + '^'.repeat(width)];
  if (d.hint) out.push(clipMessage(d.hint));
  return out;
}

/** All diagnostics of a cell, rendered and separated by blank lines. */
export function renderDiagnostics(source: string, ds: Diagnostic[]): string {
  return ds.map((d) => renderDiagnostic(source, d).join('\n')).join('\n\n');
}
