// `data NAME = source(...)`: load (or subset) a dataset and bind it; a failed load binds nothing.
import type { Statement } from '../../dsl/program.js';
import type { Dataset } from '../../runtime/data/dataset.js';
import { loadData } from '../../runtime/data/load.js';
import { Interrupted, StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { shrinkData } from './small.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

/** ` (T-shirt/top, Trouser, …)`; nothing when the names are just the labels (digits 0–9). */
function namesText(d: Dataset): string {
  const names = d.classNames;
  if (!names || names.every((n, i) => n === String(i))) return '';
  return ` (${names.length > 12 ? [...names.slice(0, 12), '…'].join(', ') : names.join(', ')})`;
}

export function describeData(name: string, d: Dataset): string {
  const { c, h, w } = d.shape;
  return `${name}: ${d.source} — ${d.train.count} train / ${d.test.count} test images of ${h}×${w}×${c}, ${d.classes} classes${namesText(d)}, sha256 ${d.hash.slice(0, 12)}`;
}

export async function execData(s: Of<'data'>, ctx: ExecContext): Promise<void> {
  const { spec, note } = shrinkData(s.spec);
  if (note) ctx.io.stream(`${note}\n`, 'stderr');
  const loaded = await loadData(spec, (n) => ctx.state.data.get(n), ctx.state.baseDir, ctx.interrupt);
  if (!loaded.ok && loaded.error.interrupted)
    throw new Interrupted(`loading ${s.name} was interrupted (${loaded.error.message}); ${s.name} was not bound`);
  if (!loaded.ok)
    throw new StatementError(
      `${loaded.error.file ? `${loaded.error.file}: ` : ''}${loaded.error.message}`,
      s.range,
      'DataError',
      loaded.error.file || undefined,
    );
  ctx.state.data.set(s.name, loaded.value);
  ctx.io.stream(`${describeData(s.name, loaded.value)}\n`);
}
