// The by-hand demos: `convolve IMAGE with FILTER`, `convolve [series] with [kernel]`, `maxpool/avgpool IMAGE`.
// runtime/filters computes (as correlation, like the layers); render/convolve lays the result out.
import type { FilterRef, Statement } from '../../dsl/program.js';
import { convolveBundle, movingAverageBundle, poolBundle } from '../../render/convolve.js';
import { convolve1d, convolve2d, filterKernel, filters, pool2d, type FilterName, type Kernel } from '../../runtime/filters.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getImage } from './names.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export function kernelOf(f: FilterRef): { kernel: Kernel; name: string } {
  if (f.kind === 'literal') {
    const w = f.rows[0]?.length ?? 0;
    return { kernel: { data: Float32Array.from(f.rows.flat()), h: f.rows.length, w }, name: 'kernel' };
  }
  const name = f.name as FilterName;
  if (!(name in filters)) throw new Error(`unknown filter ${f.name}`);
  return { kernel: filterKernel(name, { size: f.size, sigma: f.sigma }), name: f.name };
}

export async function execConvolve(s: Of<'convolve'>, ctx: ExecContext): Promise<void> {
  const img = getImage(ctx.state, s.image, s.range);
  let k: { kernel: Kernel; name: string };
  let result: ReturnType<typeof convolve2d>;
  try {
    k = kernelOf(s.filter);
    result = convolve2d({ data: img.data, shape: img.shape }, k.kernel, { stride: s.stride, padding: s.padding });
  } catch (e) {
    throw new StatementError((e as Error).message, s.range, 'ValueError');
  }
  const rows = Array.from({ length: k.kernel.h }, (_, r) => Array.from(k.kernel.data.subarray(r * k.kernel.w, (r + 1) * k.kernel.w)));
  ctx.io.display(
    convolveBundle({
      input: { data: img.data, shape: img.shape },
      filter: rows,
      filterName: k.name,
      result,
      stride: s.stride,
      padding: s.padding,
    }),
  );
}

export async function execConvolve1d(s: Of<'convolve1d'>, ctx: ExecContext): Promise<void> {
  let out: Float32Array;
  try {
    out = convolve1d(s.series, s.kernel);
  } catch (e) {
    throw new StatementError((e as Error).message, s.range, 'ValueError');
  }
  ctx.io.display(await movingAverageBundle(s.series, s.kernel, Array.from(out)));
}

export async function execPool(s: Of<'pool'>, ctx: ExecContext): Promise<void> {
  const img = getImage(ctx.state, s.image, s.range);
  let output: ReturnType<typeof pool2d>;
  try {
    output = pool2d({ data: img.data, shape: img.shape }, s.op, s.size, s.stride);
  } catch (e) {
    throw new StatementError((e as Error).message, s.range, 'ValueError');
  }
  ctx.io.display(poolBundle({ input: { data: img.data, shape: img.shape }, output, op: s.op, size: s.size, stride: s.stride }));
}
