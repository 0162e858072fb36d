// Reading bound values with the table's defaults filled in: the one place a default becomes a value.
import type { Bound } from './bind.js';
import { paramOf, type Builtin } from './builtins.js';

/** The bound value of a parameter, else its default from the table (undefined when it has none). */
export function valueOr<T>(row: Builtin, bound: Bound, name: string): T {
  const b = bound[name];
  if (b !== undefined) return b.value as T;
  const p = paramOf(row, name);
  if (p === undefined) throw new Error(`built-in ${row.name} has no parameter ${name}`);
  const d = p.default;
  return (Array.isArray(d) ? [...d] : d === null ? undefined : d) as T;
}

/** Like valueOr, but leaves the key out entirely when there is neither a value nor a default. */
export function optional<T>(row: Builtin, bound: Bound, name: string, key: string = name): Record<string, T> {
  const v = valueOr<T | undefined>(row, bound, name);
  return v === undefined ? {} : { [key]: v };
}
