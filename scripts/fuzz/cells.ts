// Generated convbook cells for fuzzing the language (fast-check arbitraries) and the checks every
// cell must pass. Shared by test/dsl/fuzz.test.ts (a few thousand seeded inputs) and
// scripts/fuzz-compile.ts (a long run that also times each input); times are never checked here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compile } from '../../dsl/compile.js';
import { complete } from '../../dsl/complete.js';
import { maxMessage, renderDiagnostics } from '../../dsl/diagnostic.js';
import { inspect } from '../../dsl/inspect.js';
import { isComplete } from '../../dsl/is-complete.js';
import { emptyEnv, type Diagnostic, type SessionEnv } from '../../dsl/program.js';
import { compileError } from '../../session/errors.js';

/** Bound on everything a failing cell sends back (evalue plus traceback), whatever its size. */
export const maxErrorChars = 32_000;

const words = [
  'data',
  'model',
  'train',
  'evaluate',
  'show',
  'compare',
  'convolve',
  'maxpool',
  'avgpool',
  'predict',
  'save',
  'load',
  'print',
  'on',
  'from',
  'freeze',
  'with',
  'where',
  'of',
  'conv',
  'dense',
  'flatten',
  'dropout',
  'batchnorm',
  'relu',
  'softmax',
  'kernel',
  'stride',
  'padding',
  'same',
  'valid',
  'as',
  'epochs',
  'batch',
  'bacth',
  'optimizer',
  'sgd',
  'adam',
  'lr',
  'schedule',
  'seed',
  'piecewise',
  'augment',
  'shift',
  'flip',
  'mnist',
  'digits',
  'lenet',
  'digits.test[7]',
  'lenet.filters',
  'conv1..conv2',
  '5x5',
  '28x28x1',
  '0',
  '1',
  '6',
  '0.5',
  '-1',
  '1e-3',
  '1/3',
  '0..4',
  '"s"',
  '"unterminated',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '=',
  '.',
  '..',
  '/',
  '\n',
  '#c\n',
  '@',
  '\t',
  'classes',
  'train:',
  'test:',
  'input:',
  'every',
  'steps',
  '"x.cnm"',
];

/** The golden cells of test/dsl/golden, all with \n line breaks. */
export function goldenCells(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cnn'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').replace(/\r\n?/g, '\n'));
}

/** A session with a model `lenet` and a dataset `digits`, as cells usually see it. */
export function fuzzSession(): SessionEnv {
  const e = emptyEnv();
  const r = compile('data digits = mnist(train: 100, test: 10)\nmodel lenet { conv 4 relu\n maxpool 2x2\n dense 10 softmax }');
  if (r.ok) {
    for (const s of r.program.statements) {
      if (s.kind === 'model') e.models[s.name] = s.spec;
      if (s.kind === 'data') e.data[s.name] = { shape: { c: 1, h: 28, w: 28 }, classes: 10, train: 100, test: 10 };
    }
  }
  return e;
}

/** Words of the language joined by spaces or newlines. */
export const soup: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '', '  ', '\n')), { maxLength: 60 })
  .map((ws) => ws.map(([w, sep]) => w + sep).join(''));

/** A real cell with a few characters deleted and tokens inserted at random places. */
export function mutated(cells: string[]): fc.Arbitrary<string> {
  const insert = fc.constantFrom(
    '',
    ' ',
    '\n',
    '(',
    ')',
    '}',
    '{',
    ',',
    ':',
    'x',
    '0',
    '"',
    '[',
    ']',
    '.',
    '..',
    'bacth',
    'optimizer:',
    '=',
  );
  return fc
    .tuple(fc.constantFrom(...cells), fc.array(fc.tuple(fc.nat(), fc.nat(3), insert), { maxLength: 6 }))
    .map(([src, edits]) =>
      edits.reduce((s, [at, del, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice((at % (s.length + 1)) + del), src),
    );
}

/** Inputs that stress size and depth: deep or unclosed brackets, very long lines, many errors, big cells. */
export function stress(cells: string[]): fc.Arbitrary<string> {
  const n = fc.integer({ min: 1, max: 4000 });
  return fc.oneof(
    n.map((k) => `show ${'['.repeat(k)}1${']'.repeat(k)}`),
    n.map((k) => `data d = mnist(train: ${'('.repeat(k)}`),
    n.map((k) => `print ${'['.repeat(k)}`),
    n.map((k) => `train lenet on digits { epochs 2 ${'7 '.repeat(k)}}`),
    n.map((k) => `model m {\n${'  conv 6 kernal 5x5\n'.repeat(Math.ceil(k / 10))}}`),
    n.map((k) => `print "${'a'.repeat(k * 5)}`),
    n.map((k) => `${'@ '.repeat(k)}`),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom(...cells)).map(([k, c]) => Array.from({ length: k }, () => c).join('\n')),
    // Thousands of short broken lines: each is a statement of its own with its own error.
    fc
      .tuple(n, fc.constantFrom('}', 'x:', 'model m', '(', '5', 'lenet', 'x', 'train m on d { a: 1 }', 'show', '@', 'conv 6', 'data = '))
      .map(([k, line]) => `${line}\n`.repeat(k)),
    fc
      .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('[', '(', '{', '}', ']', ')', ',', '"'))
      .map(([k, ch]) => `show digits.test[7] ${ch.repeat(k)} ${'x '.repeat(k)}`),
  );
}

export type LineBreak = '\n' | '\r\n' | '\r';
export const lineBreaks: LineBreak[] = ['\n', '\r\n', '\r'];

/** The same cell with its line breaks written as `br`. */
export const withBreaks = (source: string, br: LineBreak): string => source.replace(/\r\n?|\n/g, br);

/** What can go wrong with a cell, by kind; an empty list means it passed. */
export type FailureKind =
  | 'throw'
  | 'internal'
  | 'range-outside'
  | 'wrong-position'
  | 'line-break-mismatch'
  | 'message-size'
  | 'message-line-break'
  | 'error-size'
  | 'no-error'
  | 'slow';

export interface Failure {
  kind: FailureKind;
  detail: string;
}

/** Independent of dsl/lines.ts: 1-based line and column of an offset, counting \r\n, \r and \n as one break each. */
function expectedPosition(source: string, offset: number): [number, number] {
  const parts = source.slice(0, offset).split(/\r\n|\r|\n/);
  return [parts.length, parts[parts.length - 1].length + 1];
}

function checkDiagnostics(source: string, ds: Diagnostic[], out: Failure[]): void {
  for (const d of ds) {
    const r = d.range;
    if (d.code === 'internal') out.push({ kind: 'internal', detail: d.message });
    if (!(r.startOffset >= 0 && r.startOffset <= r.endOffset && r.endOffset <= source.length)) {
      out.push({ kind: 'range-outside', detail: `[${r.startOffset}, ${r.endOffset}) in a cell of ${source.length}: ${d.message}` });
      continue;
    }
    const [line, column] = expectedPosition(source, r.startOffset);
    const [endLine, endColumn] = expectedPosition(source, r.endOffset);
    if (r.line !== line || r.column !== column || r.endLine !== endLine || r.endColumn !== endColumn) {
      out.push({
        kind: 'wrong-position',
        detail: `${r.line}:${r.column}-${r.endLine}:${r.endColumn}, expected ${line}:${column}-${endLine}:${endColumn}: ${d.message}`,
      });
    }
    if (d.message.length === 0 || d.message.length > maxMessage)
      out.push({ kind: 'message-size', detail: `${d.message.length} characters: ${d.message.slice(0, 80)}` });
    // A message is one line: a line break in it would break the "line N, column M: message" layout.
    if (/[\r\n]/.test(d.message)) out.push({ kind: 'message-line-break', detail: JSON.stringify(d.message.slice(0, 200)) });
  }
}

type Summary = string[];

/** Compile one cell and check what comes back; the summary (position, code, message) compares line-break variants. */
export function checkCompile(source: string, env: SessionEnv, out: Failure[]): Summary | undefined {
  let r: ReturnType<typeof compile>;
  try {
    r = compile(source, env, { totalMemory: 2 ** 33 });
  } catch (e) {
    out.push({ kind: 'throw', detail: `compile: ${String(e)}` });
    return undefined;
  }
  const ds = r.ok ? r.warnings : r.diagnostics;
  checkDiagnostics(source, ds, out);
  if (!r.ok) {
    if (!r.diagnostics.some((d) => d.severity === 'error')) out.push({ kind: 'no-error', detail: 'a failed compile without an error' });
    const e = compileError(source, r.diagnostics);
    const size = e.evalue.length + e.traceback.reduce((n, l) => n + l.length + 1, 0);
    if (size > maxErrorChars) out.push({ kind: 'error-size', detail: `${size} characters of error for a cell of ${source.length}` });
    if (renderDiagnostics(source, r.diagnostics).length > maxErrorChars)
      out.push({ kind: 'error-size', detail: 'rendered diagnostics too long' });
  }
  return ds.map((d) => `${d.range.line}:${d.range.column}-${d.range.endLine}:${d.range.endColumn} ${d.code} ${d.message}`);
}

/** Completion, inspect and isComplete at a cursor: they must not throw. */
export function checkServices(source: string, cursor: number, env: SessionEnv, out: Failure[]): void {
  try {
    const c = complete(source, cursor, env);
    if (!(c.cursorStart <= c.cursorEnd && c.cursorEnd <= source.length))
      out.push({ kind: 'range-outside', detail: `completion ${c.cursorStart}..${c.cursorEnd}` });
    inspect(source, cursor, env);
    isComplete(source);
  } catch (e) {
    out.push({ kind: 'throw', detail: `services: ${String(e)}` });
  }
}

/**
 * Every check on a cell written with \n breaks: the cell itself and its \r\n and \r variants must
 * compile safely and report the same diagnostics at the same lines and columns.
 */
export function checkCell(source: string, env: SessionEnv, cursor?: number): Failure[] {
  const out: Failure[] = [];
  const summaries = lineBreaks.map((br) => checkCompile(withBreaks(source, br), env, out));
  const [lf, crlf, cr] = summaries.map((s) => JSON.stringify(s));
  if (summaries.every((s) => s !== undefined) && (lf !== crlf || lf !== cr)) {
    out.push({ kind: 'line-break-mismatch', detail: `\\n: ${lf.slice(0, 200)}\n\\r\\n: ${crlf.slice(0, 200)}\n\\r: ${cr.slice(0, 200)}` });
  }
  if (cursor !== undefined) {
    for (const br of lineBreaks) {
      const s = withBreaks(source, br);
      checkServices(s, cursor % (s.length + 1), env, out);
    }
  }
  return out;
}
