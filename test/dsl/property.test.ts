// Property tests: compile, complete, inspect and isComplete never throw, on arbitrary text, on token
// soup and on mutated real cells; every diagnostic's range lies inside the cell and agrees with its
// line and column; no input reaches the compiler's internal-error safety net.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { complete } from '../../dsl/complete.js';
import { inspect } from '../../dsl/inspect.js';
import { isComplete } from '../../dsl/is-complete.js';
import { rangeAt } from '../../dsl/lexer.js';
import { emptyEnv, type Diagnostic } from '../../dsl/program.js';
import { renderDiagnostic } from '../../dsl/diagnostic.js';

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
  'replicate',
  'as',
  'epochs',
  'batch',
  'optimizer',
  'sgd',
  'adam',
  'lr',
  'schedule',
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
  'replace',
  'append',
  'classes',
  'train:',
  'test:',
  'input:',
  'every',
  'steps',
];

const env = () => {
  const e = emptyEnv();
  const r = compile('data digits = mnist(train: 100, test: 10)\nmodel lenet { conv 4 relu\n maxpool 2x2\n dense 10 softmax }');
  if (r.ok) {
    for (const s of r.program.statements) {
      if (s.kind === 'model') e.models[s.name] = s.spec;
      if (s.kind === 'data') e.data[s.name] = { shape: { c: 1, h: 28, w: 28 }, classes: 10, train: 100, test: 10 };
    }
  }
  return e;
};
const session = env();

function validRange(source: string, d: Diagnostic): void {
  const r = d.range;
  expect(r.startOffset).toBeGreaterThanOrEqual(0);
  expect(r.startOffset).toBeLessThanOrEqual(r.endOffset);
  expect(r.endOffset).toBeLessThanOrEqual(source.length + 1);
  const at = rangeAt(source, r.startOffset, r.startOffset);
  expect([r.line, r.column]).toEqual([at.line, at.column]);
  expect(d.code).not.toBe('internal');
  expect(d.message.length).toBeGreaterThan(0);
  expect(renderDiagnostic(source, d).length).toBeGreaterThanOrEqual(3);
}

function compilesSafely(source: string): void {
  const r = compile(source, session, { totalMemory: 2 ** 33 });
  const ds = r.ok ? r.warnings : r.diagnostics;
  if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of ds) validRange(source, d);
}

function servicesSafe(source: string, cursor: number): void {
  const c = complete(source, cursor, session);
  expect(c.cursorStart).toBeLessThanOrEqual(c.cursorEnd);
  expect(Array.isArray(c.matches)).toBe(true);
  const i = inspect(source, cursor, session);
  expect(i.found === i.plain.length > 0).toBe(true);
  expect(['complete', 'incomplete', 'invalid']).toContain(isComplete(source).status);
}

const soup = fc
  .array(fc.constantFrom(...words), { maxLength: 40 })
  .chain((ws) =>
    fc
      .array(fc.constantFrom(' ', '', '  ', '\n'), { minLength: ws.length, maxLength: ws.length })
      .map((seps) => ws.map((w, i) => w + seps[i]).join('')),
  );
const goldens = readdirSync(join(import.meta.dirname, 'golden'))
  .filter((f) => f.endsWith('.cnn'))
  .map((f) => readFileSync(join(import.meta.dirname, 'golden', f), 'utf8'));
const mutated = fc
  .tuple(
    fc.constantFrom(...goldens),
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', ' ', '\n', '(', '}', ',', 'x', '0', '"', '[', '.', '..')), { maxLength: 4 }),
  )
  .map(([src, edits]) =>
    edits.reduce((s, [at, del, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice((at % (s.length + 1)) + del), src),
  );

describe('compile never throws', () => {
  it('on arbitrary text', () => fc.assert(fc.property(fc.string({ maxLength: 200 }), compilesSafely), { numRuns: 300 }));
  it('on arbitrary unicode text', () =>
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), compilesSafely), { numRuns: 150 }));
  it('on token soup', () => fc.assert(fc.property(soup, compilesSafely), { numRuns: 500 }));
  it('on mutated real cells', () => fc.assert(fc.property(mutated, compilesSafely), { numRuns: 300 }));
});

describe('editor services never throw', () => {
  it('on token soup at any cursor', () =>
    fc.assert(
      fc.property(soup, fc.nat(), (s, n) => servicesSafe(s, n % (s.length + 1))),
      { numRuns: 200 },
    ));
  it('on mutated real cells at any cursor', () =>
    fc.assert(
      fc.property(mutated, fc.nat(), (s, n) => servicesSafe(s, n % (s.length + 1))),
      { numRuns: 100 },
    ));
});
