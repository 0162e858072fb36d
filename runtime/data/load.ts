// The one table from DataSpec kind to loader, and loadData: a DataSpec (paths relative to baseDir,
// `subset` naming an already-loaded dataset) → a Dataset or the error as data. Never throws for bad files.
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { DataSpec } from '../spec.js';
import { loadCsv } from './csv.js';
import { fail, subset, type Dataset, type Result } from './dataset.js';
import type { ReadAbort } from './read-file.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadFolder } from './folder.js';
import { loadIdx } from './idx.js';
import { loadMnist } from './mnist.js';
import { loadNpy } from './npy.js';

type Of<K extends DataSpec['kind']> = Extract<DataSpec, { kind: K }>;

export interface LoadContext {
  /** Looks up an already-loaded dataset by its session name (for `subset`). */
  resolve: (name: string) => Dataset | undefined;
  /** Makes a spec path absolute (relative to the notebook's directory). */
  path: (p: string) => string;
  /** The interrupt flag: file reads stop between chunks when it is set. */
  abort?: ReadAbort;
}

type Loader<K extends DataSpec['kind']> = (spec: Of<K>, ctx: LoadContext) => Promise<Result<Dataset>>;

export const loaders: { [K in DataSpec['kind']]: Loader<K> } = {
  mnist: (s) => loadMnist({ train: s.train, test: s.test, seed: s.seed }),
  fashion_mnist: (s, ctx) =>
    loadFashionMnist({
      train: s.train,
      test: s.test,
      seed: s.seed,
      dir: s.dir === undefined ? undefined : ctx.path(s.dir),
      abort: ctx.abort,
    }),
  idx: (s, ctx) =>
    loadIdx(ctx.path(s.images), ctx.path(s.labels), {
      testImages: s.testImages === undefined ? undefined : ctx.path(s.testImages),
      testLabels: s.testLabels === undefined ? undefined : ctx.path(s.testLabels),
      test: s.test,
      seed: s.seed,
      abort: ctx.abort,
      ...(s.classNames ? { classes: s.classNames.length, classNames: s.classNames } : {}),
    }),
  csv: (s, ctx) =>
    loadCsv(ctx.path(s.path), {
      testPath: s.testPath === undefined ? undefined : ctx.path(s.testPath),
      header: s.header,
      width: s.width,
      height: s.height,
      test: s.test,
      seed: s.seed,
      abort: ctx.abort,
    }),
  folder: (s, ctx) => loadFolder(ctx.path(s.path), { test: s.test, seed: s.seed, abort: ctx.abort }),
  npy: (s, ctx) => loadNpy(ctx.path(s.images), ctx.path(s.labels), { test: s.test, seed: s.seed, abort: ctx.abort }),
  subset: async (s, ctx) => {
    const from = ctx.resolve(s.from);
    if (!from) return fail(s.from, `no dataset named '${s.from}' is loaded`);
    return subset(from, { classes: s.classes, train: s.train, test: s.test });
  },
};

export async function loadData(
  spec: DataSpec,
  resolve: (name: string) => Dataset | undefined,
  baseDir: string,
  abort?: ReadAbort,
): Promise<Result<Dataset>> {
  const ctx: LoadContext = { resolve, path: (p) => (isAbsolute(p) ? p : resolvePath(baseDir, p)), abort };
  const loader = loaders[spec.kind] as Loader<DataSpec['kind']>;
  try {
    return await loader(spec, ctx);
  } catch (e) {
    // A loader bug (not a bad file) still reaches the user as data rather than killing the worker.
    return fail(spec.kind, `internal error while loading: ${e instanceof Error ? e.message : String(e)}`);
  }
}
