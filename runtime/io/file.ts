// Reading and writing model files on disk: the only part of runtime/io that touches the file system.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { decodeModel, type DecodeOptions } from './decode.js';
import { encodeModel } from './encode.js';
import type { LoadResult } from './format.js';
import type { ModelFile } from './model-file.js';

/** Writes atomically (temp file + rename) so an interrupted save never leaves a half file under the name. */
export async function saveModelFile(path: string, file: ModelFile): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, encodeModel(file));
  await rename(tmp, path);
}

/** The operating system's reason in plain words (Node's message repeats the path and the call). */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return e instanceof Error ? e.message : String(e);
}

export async function loadModelFile(path: string, opts: DecodeOptions = {}): Promise<LoadResult<ModelFile>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, error: { code: 'io', message: `cannot read the model file ${path}: ${reason(e)}` } };
  }
  return decodeModel(bytes, opts);
}
