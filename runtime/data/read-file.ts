// Reading a data or model file into memory with the failure as data (naming the file): only regular
// files (a FIFO, a device or a directory is refused before anything is read), only what fits in the
// memory available, in bounded chunks that stop on interrupt; gzip (magic 0x1f 0x8b) is unpacked
// with the same memory bound (data over 64 MB in chunks that stop on interrupt too).
import { constants as bufferLimits } from 'node:buffer';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { availableMemory, formatBytes } from '../memory.js';
import type { Result } from './dataset.js';

/** Read this much between two looks at the interrupt flag. */
export const CHUNK_BYTES = 8 << 20;

const gunzipAsync = promisify(gunzip);

/**
 * Data up to this size is unpacked in one zlib call into one buffer (about 0.2 s at most here, the fastest
 * way and the smallest peak); larger data is unpacked in chunks of CHUNK_BYTES with a look at the
 * interrupt flag after each, at the cost of a few chunks' garbage.
 */
export const UNPACK_IN_ONE = 64 << 20;

/** An interrupt flag as the training loop takes it: Int32Array slot 0 ≠ 0, or { aborted }. */
export type ReadAbort = Int32Array | { readonly aborted: boolean };

export interface ReadOptions {
  abort?: ReadAbort;
  /** Refuse files larger than this (default: the memory available now). */
  limit?: number;
}

export function aborted(flag: ReadAbort | undefined): boolean {
  if (flag === undefined) return false;
  return flag instanceof Int32Array ? Atomics.load(flag, 0) !== 0 : flag.aborted;
}

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ENOTDIR') return 'a folder on its path is a file';
  if (code === 'ELOOP') return 'too many symbolic links';
  return e instanceof Error ? e.message : String(e);
}

function fail(file: string, message: string, interrupted = false): Result<never> {
  return { ok: false, error: { file, message, ...(interrupted ? { interrupted: true } : {}) } };
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function kindOf(s: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function readAll(fh: FileHandle, file: string, size: number, abort: ReadAbort | undefined): Promise<Result<Buffer>> {
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    if (aborted(abort)) return fail(file, `reading was interrupted after ${formatBytes(at)} of ${formatBytes(size)}`, true);
    const { bytesRead } = await fh.read(buf, at, Math.min(CHUNK_BYTES, size - at), at);
    if (bytesRead === 0) break; // the file shrank while we read it
    at += bytesRead;
  }
  return { ok: true, value: at === size ? buf : buf.subarray(0, at) };
}

/** The raw bytes of a regular file. */
export async function readRaw(file: string, opts: ReadOptions = {}): Promise<Result<Buffer>> {
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(file, `cannot read file: ${reason(e)}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return fail(file, `cannot read file: it is ${kindOf(st)}, not a regular file`);
    const limit = opts.limit ?? availableMemory();
    if (st.size > limit) {
      return fail(file, `cannot read file: it is ${formatBytes(st.size)} and only ${formatBytes(limit)} of memory is available`);
    }
    if (st.size > bufferLimits.MAX_LENGTH) {
      return fail(
        file,
        `cannot read file: it is ${formatBytes(st.size)}, more than the ${formatBytes(bufferLimits.MAX_LENGTH)} one file can be`,
      );
    }
    return await readAll(fh, file, st.size, opts.abort);
  } catch (e) {
    return fail(file, `cannot read file: ${reason(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The file's bytes, decompressed if gzipped. */
export async function readBytes(file: string, opts: ReadOptions = {}): Promise<Result<Buffer>> {
  const r = await readRaw(file, opts);
  if (!r.ok || !isGzip(r.value)) return r;
  const raw = r.value;
  // One Buffer holds at most MAX_LENGTH bytes (4 GB), whatever the memory.
  const limit = Math.min(bufferLimits.MAX_LENGTH, Math.max(0, (opts.limit ?? availableMemory()) - raw.length));
  // The gzip trailer holds the uncompressed size (mod 2^32); one output chunk of that size spares
  // zlib hundreds of 16 KB chunks and the final concatenation (about 2× faster on Fashion-MNIST).
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  if (isize > limit) {
    return fail(file, `cannot unpack: it holds ${formatBytes(isize)} of data and only ${formatBytes(limit)} of memory is available`);
  }
  if (aborted(opts.abort)) return fail(file, 'reading was interrupted before unpacking', true);
  if (isize > UNPACK_IN_ONE) return gunzipChunked(file, raw, limit, isize, opts.abort);
  try {
    const chunkSize = Math.min(Math.max(isize + 1, 1 << 16), 1 << 30);
    return { ok: true, value: await gunzipAsync(raw, { chunkSize, maxOutputLength: Math.max(1, limit) }) };
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(file, limit);
    return fail(file, `corrupt or truncated gzip data: ${reason(e)}`);
  }
}

const tooLarge = (file: string, limit: number) =>
  fail(file, `cannot unpack: it holds more than the ${formatBytes(limit)} of memory available`);

/** gzip data unpacked by zlib (off this thread) in output chunks, looking at the interrupt flag as each arrives; at most `limit` bytes. */
function gunzipChunked(file: string, raw: Buffer, limit: number, isize: number, abort: ReadAbort | undefined): Promise<Result<Buffer>> {
  return new Promise((resolve) => {
    const z = createGunzip({ chunkSize: CHUNK_BYTES });
    // The trailer's size (when it fits) sizes one output buffer that the chunks are copied into, so the
    // peak is the data plus a chunk, not twice the data; a trailer that lies falls back to a list.
    let out: Buffer | undefined = isize > 0 && isize <= limit ? Buffer.allocUnsafe(isize) : undefined;
    let parts: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (r: Result<Buffer>) => {
      if (done) return;
      done = true;
      z.destroy();
      resolve(r);
    };
    z.on('data', (b: Buffer) => {
      const at = total;
      total += b.length;
      if (total > limit) return finish(tooLarge(file, limit));
      if (out && total <= out.length) b.copy(out, at);
      else {
        if (out) parts = [out.subarray(0, at)];
        out = undefined;
        parts.push(b);
      }
      if (aborted(abort))
        finish(fail(file, `unpacking was interrupted after ${formatBytes(total)}${isize ? ` of ${formatBytes(isize)}` : ''}`, true));
    });
    z.on('end', () => finish({ ok: true, value: out ? out.subarray(0, total) : Buffer.concat(parts, total) }));
    z.on('error', (e) => finish(fail(file, `corrupt or truncated gzip data: ${reason(e)}`)));
    z.end(raw);
  });
}
