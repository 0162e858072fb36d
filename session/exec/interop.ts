// `export MODEL to "file.onnx" | "file.py"` and `import NAME = "file.onnx"`: models that leave convbook
// (ONNX, or PyTorch source with its weights) and networks that come in. A failed import binds nothing.
import { basename, resolve } from 'node:path';
import type { Statement } from '../../dsl/program.js';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { exportTorch } from '../../runtime/interop/torch-export.js';
import { readRaw } from '../../runtime/data/read-file.js';
import { SaveError, writeFileAtomic } from '../../runtime/io/index.js';
import { Interrupted, StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

/** As `save`: temp file, fsync, rename; links and special files refused; interrupts leave the target as it was. */
async function writeAtomic(path: string, bytes: () => Uint8Array | string, ctx: ExecContext): Promise<string> {
  const { overwrote } = await writeFileAtomic(path, bytes, { abort: ctx.interrupt });
  return overwrote ? ' (overwrote the file that was there)' : '';
}

export async function execExport(s: Of<'export'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const path = resolve(ctx.state.baseDir, s.path);
  try {
    if (s.format === 'onnx') {
      const bytes = exportOnnx(m.net, { version: ctx.version });
      const note = await writeAtomic(path, () => bytes, ctx);
      ctx.io.stream(
        `exported ${s.model} to ${s.path} (ONNX opset 13, ${m.net.paramBuf.length} parameters, ${(bytes.length / 1024).toFixed(1)} KiB)${note}\n`,
      );
    } else {
      const weightsPath = path.replace(/\.py$/i, '') + '.safetensors';
      const t = exportTorch(m.net, basename(weightsPath), ctx.version);
      await writeAtomic(weightsPath, () => t.weights, ctx);
      await writeAtomic(path, () => t.source, ctx);
      ctx.io.stream(
        `exported ${s.model} to ${s.path} (PyTorch nn.Module ${t.className}) and its weights to ${s.path.replace(/\.py$/i, '')}.safetensors\n`,
      );
    }
  } catch (e) {
    if (e instanceof SaveError && e.interrupted)
      throw new Interrupted(`exporting ${s.model} to ${path} was interrupted before the file was replaced; it is unchanged`);
    throw new StatementError(`cannot write ${path}: ${(e as Error).message}`, s.range, 'IOError');
  }
}

export async function execImport(s: Of<'import'>, ctx: ExecContext): Promise<void> {
  const path = resolve(ctx.state.baseDir, s.path);
  const read = await readRaw(path, { abort: ctx.interrupt });
  if (!read.ok) {
    ctx.checkInterrupt();
    throw new StatementError(
      read.error.message === 'cannot read file: no such file' ? `${path}: no such file` : `${path}: ${read.error.message}`,
      s.range,
      'IOError',
    );
  }
  const r = importOnnx(read.value, s.name);
  if (!r.ok) throw new StatementError(`${basename(path)}: ${r.error.message}`, s.range, 'ImportError');
  const built = netOfImport(r.value);
  if (!built.ok) throw new StatementError(`${basename(path)}: ${built.error}`, s.range, 'ImportError');
  const spec = built.net.spec;
  ctx.state.models.set(s.name, { spec, net: built.net, runs: [] });
  const origins = r.value.origins
    .filter((o) => o.node)
    .map((o) => `${o.layer} ← ${o.node}`)
    .join(', ');
  ctx.io.stream(`imported ${s.name} from ${s.path} (made by ${r.value.producer}): ${origins}\n`);
  ctx.io.display(summaryBundle(s.name, spec, built.net));
}
