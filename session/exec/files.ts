// `save MODEL "file"` and `load NAME = "file"`: the versioned model file of runtime/io (spec, weights,
// batch-norm state, last run's history). A file that fails its checks binds nothing.
import { resolve } from 'node:path';
import type { Statement } from '../../dsl/program.js';
import { loadModelFile, modelFileOf, SaveError, saveModelFile } from '../../runtime/io/index.js';
import { arithmeticUnavailable } from '../../runtime/kernels/wasm-module.js';
import { createNet } from '../../runtime/net.js';
import { Interrupted, StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export async function execSave(s: Of<'save'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const path = resolve(ctx.state.baseDir, s.path);
  const last = m.runs[m.runs.length - 1];
  let overwrote: boolean;
  try {
    ({ overwrote } = await saveModelFile(
      path,
      { ...modelFileOf(m.net, { history: last?.history }), convbook: ctx.version },
      { abort: ctx.interrupt },
    ));
  } catch (e) {
    if (e instanceof SaveError && e.interrupted)
      throw new Interrupted(`saving ${s.model} to ${path} was interrupted before the file was replaced; it is unchanged`);
    throw new StatementError(`cannot save to ${path}: ${(e as Error).message}`, s.range, 'IOError', path);
  }
  // The path as the cell wrote it: a shared notebook should not print the folder of whoever ran it.
  ctx.io.stream(
    `saved ${s.model} (${m.net.paramBuf.length} parameters) to ${s.path}${overwrote ? ' (overwrote the file that was there)' : ''}\n`,
  );
}

export async function execLoad(s: Of<'load'>, ctx: ExecContext): Promise<void> {
  const path = resolve(ctx.state.baseDir, s.path);
  const loaded = await loadModelFile(path, { abort: ctx.interrupt });
  if (!loaded.ok) ctx.checkInterrupt();
  // An io message names the path itself; a decoding error (a corrupt or foreign file) does not.
  if (!loaded.ok)
    throw new StatementError(
      loaded.error.code === 'io' ? loaded.error.message : `${path}: ${loaded.error.message}`,
      s.range,
      'IOError',
      path,
    );
  const file = loaded.value;
  const spec = { ...file.spec, name: s.name };
  const net = createNet(spec, { params: Float32Array.from(file.params), state: Float32Array.from(file.state) });
  // A model trained with fused multiply-add keeps computing with it, where this machine can.
  if (file.history?.arithmetic === 'fused') {
    const why = arithmeticUnavailable('fused');
    if (why)
      ctx.io.stream(
        `${s.name} was trained with arithmetic fused, which cannot run here (${why}); it computes with portable arithmetic\n`,
        'stderr',
      );
    else net.arithmetic = 'fused';
  }
  const runs = file.history
    ? [{ label: file.history.label, history: file.history, reason: 'loaded', version: file.convbook ?? 'unknown' }]
    : [];
  ctx.state.models.set(s.name, { spec, net, runs });
  ctx.io.stream(`loaded ${s.name} from ${s.path}${file.convbook ? ` (written by convbook ${file.convbook})` : ''}\n`);
  ctx.io.display(summaryBundle(s.name, spec, net));
}
