// `export MODEL to "file.onnx" | "file.py"` and `import NAME = "file.onnx"`: models that leave convbook
// (ONNX, or PyTorch source with its weights) and networks that come in. A failed import binds nothing.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Statement } from '../../dsl/program.js';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { exportTorch } from '../../runtime/interop/torch-export.js';
import { StatementError } from '../errors.js';
import type { ExecContext } from './context.js';
import { getModel } from './names.js';
import { summaryBundle } from './summary.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

/** Written beside the final name first, so a failed write never leaves half a file under it. */
async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export async function execExport(s: Of<'export'>, ctx: ExecContext): Promise<void> {
  const m = getModel(ctx.state, s.model, s.range);
  const path = resolve(ctx.state.baseDir, s.path);
  try {
    if (s.format === 'onnx') {
      const bytes = exportOnnx(m.net, { version: ctx.version });
      await writeAtomic(path, bytes);
      ctx.io.stream(`exported ${s.model} to ${s.path} (ONNX opset 13, ${m.net.paramBuf.length} parameters, ${(bytes.length / 1024).toFixed(1)} KiB)\n`);
    } else {
      const weightsPath = path.replace(/\.py$/i, '') + '.safetensors';
      const t = exportTorch(m.net, basename(weightsPath), ctx.version);
      await writeAtomic(weightsPath, t.weights);
      await writeAtomic(path, t.source);
      ctx.io.stream(`exported ${s.model} to ${s.path} (PyTorch nn.Module ${t.className}) and its weights to ${s.path.replace(/\.py$/i, '')}.safetensors\n`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new StatementError(`cannot write ${path}: ${why}`, s.range, 'IOError');
  }
}

export async function execImport(s: Of<'import'>, ctx: ExecContext): Promise<void> {
  const path = resolve(ctx.state.baseDir, s.path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StatementError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${(e as Error).message}`, s.range, 'IOError');
  }
  const r = importOnnx(bytes, s.name);
  if (!r.ok) throw new StatementError(`${basename(path)}: ${r.error.message}`, s.range, 'ImportError');
  const built = netOfImport(r.value);
  if (!built.ok) throw new StatementError(`${basename(path)}: ${built.error}`, s.range, 'ImportError');
  const spec = built.net.spec;
  ctx.state.models.set(s.name, { spec, net: built.net, runs: [] });
  const origins = r.value.origins.filter((o) => o.node).map((o) => `${o.layer} ← ${o.node}`).join(', ');
  ctx.io.stream(`imported ${s.name} from ${s.path} (made by ${r.value.producer}): ${origins}\n`);
  ctx.io.display(summaryBundle(s.name, spec, built.net));
}
