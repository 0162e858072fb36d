// One truth for the fixed filters: the matrix the reference (docs/language.md and Shift+Tab) shows for
// sobel_x, sobel_y, edge, … is the kernel the runtime convolves with, entry by entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtins } from '../../dsl/builtins.js';
import { inspect } from '../../dsl/inspect.js';
import { emptyEnv } from '../../dsl/program.js';
import { filterKernel, filters, type FilterName } from '../../runtime/filters.js';

/** "[[−1,0,1],[−2,0,2]]" → [[-1,0,1],[-2,0,2]], reading the typographic minus the reference uses. */
function parseMatrix(formula: string): number[][] {
  return JSON.parse(formula.replace(/−/g, '-')) as number[][];
}

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'language.md'), 'utf8');
const matrixRows = builtins.filter((b) => b.category === 'filter' && b.formula?.startsWith('[['));

describe('fixed filter matrices', () => {
  it('covers the filters the issue named', () => {
    expect(matrixRows.map((b) => b.name)).toEqual(expect.arrayContaining(['sobel_x', 'sobel_y', 'edge']));
  });
  for (const b of matrixRows) {
    it(`${b.name}: documented matrix equals the kernel`, () => {
      expect(b.name in filters).toBe(true);
      const k = filterKernel(b.name as FilterName);
      const m = parseMatrix(b.formula as string);
      expect([m.length, m[0].length]).toEqual([k.h, k.w]);
      expect(m.flat()).toEqual(Array.from(k.data));
      expect(doc).toContain(`Formula: \`${b.formula}\``);
      const word = `convolve d.test[0] with ${b.name}`;
      expect(inspect(word, word.length - 1, emptyEnv()).plain).toContain(b.formula);
    });
  }
  it('sobel_x is positive where brightness rises to the right (correlation)', () => {
    expect(parseMatrix(builtins.find((b) => b.name === 'sobel_x')?.formula as string)[1]).toEqual([-2, 0, 2]);
  });
});
