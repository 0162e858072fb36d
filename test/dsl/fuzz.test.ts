// The language's seeded fuzz (scripts/fuzz/cells.ts): a few thousand generated, mutated and stress
// cells, each in its \n, \r\n and \r forms, must compile without throwing, put every diagnostic
// inside the cell at the line and column an independent count gives, report the same diagnostics
// for the three line-break forms, and keep every message and error reply bounded. No time is
// checked here (the machine may be busy); scripts/fuzz-compile.ts checks the time bound.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCell, fuzzSession, goldenCells, mutated, soup, stress, withBreaks, type Failure } from '../../scripts/fuzz/cells.js';
import { compile } from '../../dsl/compile.js';
import { maxDiagnostics } from '../../dsl/diagnostic.js';

const goldens = goldenCells(join(import.meta.dirname, 'golden'));
const env = fuzzSession();
const seed = 12;

function passes(source: string, cursor?: number): void {
  const failures: Failure[] = checkCell(source, env, cursor);
  expect(failures, JSON.stringify(source.slice(0, 200))).toEqual([]);
}

describe('fuzz: every cell is safe in \\n, \\r\\n and \\r forms', () => {
  it('token soup', () => fc.assert(fc.property(soup, fc.nat(), passes), { numRuns: 800, seed }));
  it('mutated golden cells', () => fc.assert(fc.property(mutated(goldens), fc.nat(), passes), { numRuns: 800, seed }));
  it('arbitrary text', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => passes(s)),
      { numRuns: 400, seed },
    ));
  it('deep, long and huge cells', () =>
    fc.assert(
      fc.property(stress(goldens), (s) => passes(s)),
      { numRuns: 60, seed },
    ));
});

describe('fuzz checks can fail', () => {
  it('a diagnostic on the wrong line is caught', () => {
    // The check recomputes positions itself: a cell whose \r\n counted twice would not pass.
    const src = withBreaks('data d = mnist()\nmodel m {\n  dens 10\n}', '\r\n');
    const r = compile(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => [d.range.line, d.range.column])).toEqual([[3, 3]]);
  });

  it('thousands of errors are capped with a count of the rest', () => {
    const src = `train lenet on digits { epochs 2 ${'@ '.repeat(3000)}}`;
    const r = compile(src, env);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics).toHaveLength(maxDiagnostics + 1);
      expect(r.diagnostics[maxDiagnostics]).toMatchObject({ code: 'more', omitted: 2980 });
    }
  });
});

describe('names that are also JavaScript object methods', () => {
  // Found by the fuzz: `valueOf` under the cursor found Object.prototype.valueOf as a "model".
  for (const name of ['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`'${name}' is an undefined name like any other`, () => {
      const r = compile(name, env);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics[0].message).toMatch(new RegExp(`^no model or dataset is named '${name}'`));
      passes(`${name}\nshow ${name}.filters conv1\ntrain ${name} on ${name}`, 3);
    });
  }

  it('a model may be named __proto__ and is found by the next statement', () => {
    const r = compile('model __proto__(input: 28x28x1) { dense 10 softmax }\nshow __proto__', env);
    expect(r.ok).toBe(true);
  });
});
