// Literal numbers and image filters as the by-hand statements write them: `[1, 2, 3]`, a kernel
// `[[1, 0, -1], …]`, or a named filter from the table (`sobel_x`, `gaussian(sigma: 1)`).
import type { Value } from './ast.js';
import { describe, type Binder } from './bind.js';
import { lookup, type Builtin } from './builtins.js';
import { valueOr } from './defaults.js';
import type { FilterRef } from './program.js';

export function numbersOf(v: Value, b: Binder, what: string): number[] | undefined {
  if (v.t !== 'list') return b.error(v.range, `${what} must be a list of numbers like [1, 2, 3], found ${describe(v)}`, 'type');
  const out: number[] = [];
  for (const it of v.items) {
    if (it.t !== 'num' || !Number.isFinite(it.value)) return b.error(it.range, `${what} must list numbers, found ${describe(it)}`, 'type');
    out.push(it.value);
  }
  if (out.length === 0) return b.error(v.range, `${what} is empty`, 'range');
  return out;
}

export function filterOf(v: Value, b: Binder): FilterRef | undefined {
  if (v.t === 'list') {
    const rowsAreLists = v.items.length > 0 && v.items.every((it) => it.t === 'list');
    const rows = rowsAreLists ? v.items.map((r) => numbersOf(r, b, 'each row of the kernel')) : [numbersOf(v, b, 'the kernel')];
    if (rows.some((r) => r === undefined)) return undefined;
    const width = (rows[0] as number[]).length;
    if (rows.some((r) => (r as number[]).length !== width))
      return b.error(v.range, 'every row of a kernel needs the same number of values', 'shape');
    return { kind: 'literal', rows: rows as number[][] };
  }
  const fam = b.family('filter', v);
  if (fam === undefined) return undefined;
  const row = lookup('filter', fam.name) as Builtin;
  const has = (n: string) => row.params.some((p) => p.name === n);
  return {
    kind: 'named',
    name: fam.name as Extract<FilterRef, { kind: 'named' }>['name'],
    size: has('size') ? valueOr(row, fam.args, 'size') : 3,
    sigma: has('sigma') ? valueOr(row, fam.args, 'sigma') : 0,
  };
}
