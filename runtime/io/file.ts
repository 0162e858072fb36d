// Reading and writing model files on disk: the only part of runtime/io that touches the file system.
// A save writes a temporary file beside the target, fsyncs it and renames it over the target, so an
// interrupted or killed save never leaves a half file under the name; it refuses symbolic links and
// special files as targets, and a journal lets the next kernel start remove temporary files left by
// a process that was killed mid-save.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, unlinkSync, type Stats } from 'node:fs';
import { lstat, open, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readRaw, type ReadAbort } from '../data/read-file.js';
import { decodeModel, type DecodeOptions } from './decode.js';
import { encodeModel } from './encode.js';
import type { LoadResult } from './format.js';
import type { ModelFile } from './model-file.js';

/** Where in-progress saves are recorded (one small file each, holding the temporary file's path). */
export function defaultJournalDir(): string {
  let who = 'user';
  try {
    who = String(userInfo().uid);
  } catch {
    // no passwd entry: keep the generic name
  }
  return join(tmpdir(), `convbook-saves-${who}`);
}

const TMP_MARK = '.convbook-tmp-';

/** `.NAME.convbook-tmp-PID-RANDOM` beside the target: hidden, and recognisably ours. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

export class SaveError extends Error {
  /** True when the save stopped because of an interrupt (the target was left as it was). */
  constructor(
    message: string,
    readonly interrupted = false,
  ) {
    super(message);
  }
}

function describeTarget(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link; convbook does not replace links (give the path of the file it points to)';
  if (st.isDirectory()) return 'is a directory';
  if (st.isFile()) return undefined;
  return 'is a device, pipe or socket, not a regular file; convbook only replaces regular files';
}

export interface SaveResult {
  /** True when a file of that name existed and was replaced. */
  overwrote: boolean;
}

export interface SaveOptions {
  journalDir?: string;
  /** Checked once the bytes are written, before the rename: an interrupt then leaves the target untouched. */
  abort?: ReadAbort;
}

function aborted(flag: ReadAbort | undefined): boolean {
  if (flag === undefined) return false;
  return flag instanceof Int32Array ? Atomics.load(flag, 0) !== 0 : flag.aborted;
}

/** Writes atomically (temp file + fsync + rename); throws SaveError with a plain message. */
export async function saveModelFile(path: string, file: ModelFile, opts: SaveOptions = {}): Promise<SaveResult> {
  return writeFileAtomic(path, () => encodeModel(file), opts);
}

/**
 * Any file written from a cell (model files, exports): refuses links and special files as targets, writes a
 * temporary file beside the target, fsyncs and renames it; removes it on every failure. `bytes` runs after
 * the target is checked, so nothing is encoded for a target that will be refused.
 */
export async function writeFileAtomic(path: string, bytes: () => Uint8Array | string, opts: SaveOptions = {}): Promise<SaveResult> {
  let existing: Stats | undefined;
  try {
    existing = await lstat(path);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw new SaveError(plain(e, path));
  }
  const refusal = existing && describeTarget(existing);
  if (refusal) throw new SaveError(refusal);
  const data = bytes();
  const tmp = tempPathFor(path);
  const journal = await record(tmp, opts.journalDir ?? defaultJournalDir());
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (aborted(opts.abort)) throw new SaveError('interrupted before the file was replaced; it is unchanged', true);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (e instanceof SaveError) throw e;
    throw new SaveError(plain(e, path));
  } finally {
    if (journal) await unlink(journal).catch(() => undefined);
  }
  return { overwrote: existing !== undefined };
}

function plain(e: unknown, path: string): string {
  const code = (e as { code?: string }).code;
  const known: Record<string, string> = {
    ENOENT: `the folder ${dirname(path)} does not exist`,
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exceeded',
    EISDIR: 'is a directory',
    ENOTDIR: 'a folder on its path is a file',
    EXDEV: 'cannot move the temporary file into place',
  };
  return (code && known[code]) ?? (e instanceof Error ? e.message : String(e));
}

/** Notes an in-progress save; a failure to note it never stops the save. */
async function record(tmp: string, dir: string): Promise<string | undefined> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const entry = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(entry, tmp, { mode: 0o600 });
    return entry;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * At kernel start: removes the temporary files of saves whose process is gone (killed mid-save),
 * as recorded in the journal. Only files named like ours are touched. Returns the paths removed.
 */
export function cleanStaleSaves(journalDir = defaultJournalDir()): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(journalDir);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const pid = Number(entry.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    const file = join(journalDir, entry);
    try {
      const tmp = readFileSync(file, 'utf8');
      if (basename(tmp).includes(`${TMP_MARK}${pid}-`) && lstatSync(tmp, { throwIfNoEntry: false })?.isFile()) {
        unlinkSync(tmp);
        removed.push(tmp);
      }
    } catch {
      // unreadable entry or already gone: drop the entry anyway
    }
    try {
      unlinkSync(file);
    } catch {
      // someone else cleaned it
    }
  }
  return removed;
}

export async function loadModelFile(path: string, opts: DecodeOptions & { abort?: ReadAbort } = {}): Promise<LoadResult<ModelFile>> {
  const read = await readRaw(path, { abort: opts.abort });
  // The reader's reason without its generic prefix, after the path once: "cannot read the model file /x.cnm: no such file".
  if (!read.ok)
    return {
      ok: false,
      error: { code: 'io', message: `cannot read the model file ${path}: ${read.error.message.replace(/^cannot read file: /, '')}` },
    };
  return decodeModel(read.value, opts);
}
