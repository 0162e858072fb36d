// The bounded reader behind every data and model file: regular files only (devices, FIFOs and
// directories refused before a byte is read), a memory bound with the size in the message, chunked
// reads that stop on interrupt, and gzip unpacked under the same bound.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadData } from '../../runtime/data/load.js';
import { CHUNK_BYTES, readBytes, readRaw, UNPACK_IN_ONE } from '../../runtime/data/read-file.js';
import { cgroupHeadroom, formatBytes } from '../../runtime/memory.js';

const dir = mkdtempSync(join(tmpdir(), 'convbook-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): string {
  if (r.ok) throw new Error('expected a failure');
  return r.error.message;
}

describe('readRaw', () => {
  it.each([
    ['/dev/zero', /a character device, not a regular file/],
    ['/dev/urandom', /a character device, not a regular file/],
    [tmpdir(), /a directory, not a regular file/],
  ])('refuses %s at once, reading nothing', async (file, why) => {
    const before = process.memoryUsage.rss();
    const t0 = Date.now();
    expect(message(await readRaw(file))).toMatch(why);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage.rss() - before).toBeLessThan(64 << 20);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(message(await readRaw(fifo))).toMatch(/a named pipe \(FIFO\), not a regular file/);
  });

  it('says how big a file is that would not fit', async () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, Buffer.alloc(3 << 20));
    expect(message(await readRaw(file, { limit: 1 << 20 }))).toBe('cannot read file: it is 3.0 MB and only 1.0 MB of memory is available');
    expect((await readRaw(file, { limit: 4 << 20 })).ok).toBe(true);
  });

  it('reads in chunks and stops on interrupt between them', async () => {
    const file = join(dir, 'chunks.bin');
    const data = Buffer.alloc(3 * CHUNK_BYTES + 5, 7);
    writeFileSync(file, data);
    let looks = 0;
    const abort = {
      get aborted() {
        return ++looks > 2;
      },
    };
    const r = await readRaw(file, { abort });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.interrupted).toBe(true);
      expect(r.error.message).toBe(`reading was interrupted after ${formatBytes(2 * CHUNK_BYTES)} of ${formatBytes(data.length)}`);
    }
    const whole = await readRaw(file);
    expect(whole.ok && whole.value.equals(data)).toBe(true);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    expect(message(await readRaw(file, { abort: flag }))).toMatch(/interrupted after 0 bytes/);
  });

  it('names a missing file plainly', async () => {
    expect(message(await readRaw(join(dir, 'nope.csv')))).toBe('cannot read file: no such file');
  });
});

describe('readBytes (gzip)', () => {
  it('refuses to unpack more than fits, from the gzip trailer or while unpacking', async () => {
    const file = join(dir, 'bomb.gz');
    writeFileSync(file, gzipSync(Buffer.alloc(8 << 20)));
    expect(message(await readBytes(file, { limit: 1 << 20 }))).toMatch(
      /^cannot unpack: it holds 8\.0 MB of data and only .* of memory is available$/,
    );
    // A trailer that lies (says 1 byte) is caught by zlib's output bound instead.
    const lying = gzipSync(Buffer.alloc(8 << 20));
    lying.writeUInt32LE(1, lying.length - 4);
    writeFileSync(file, lying);
    expect(message(await readBytes(file, { limit: 1 << 20 }))).toMatch(/^cannot unpack: it holds more than the .* of memory available$/);
    writeFileSync(file, gzipSync(Buffer.from('1,2,3\n')));
    const ok = await readBytes(file);
    expect(ok.ok && ok.value.toString()).toBe('1,2,3\n');
  });

  it('unpacks data over UNPACK_IN_ONE in chunks and stops on interrupt between them', async () => {
    const file = join(dir, 'chunks.gz');
    const data = Buffer.alloc(UNPACK_IN_ONE + 2 * CHUNK_BYTES + 5);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    writeFileSync(file, gzipSync(data));
    // Look 1: before the (single) read chunk; look 2: before unpacking; then one per output chunk (3rd stops).
    let looks = 0;
    const abort = {
      get aborted() {
        return ++looks > 4;
      },
    };
    const r = await readBytes(file, { abort });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.interrupted).toBe(true);
      expect(r.error.message).toBe(`unpacking was interrupted after ${formatBytes(3 * CHUNK_BYTES)} of ${formatBytes(data.length)}`);
    }
    const whole = await readBytes(file);
    expect(whole.ok && whole.value.equals(data)).toBe(true);
  });
});

describe('loaders on special files', () => {
  it.each([
    [{ kind: 'csv', path: '/dev/zero', header: 'auto', seed: 1 }, '/dev/zero'],
    [{ kind: 'idx', images: '/dev/urandom', labels: '/dev/urandom', seed: 1 }, '/dev/urandom'],
    [{ kind: 'npy', images: '/dev/zero', labels: '/dev/zero', seed: 1 }, '/dev/zero'],
  ])('%o is refused, naming the file', async (spec, file) => {
    const r = await loadData(spec as never, () => undefined, '/');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.file).toBe(file);
      expect(r.error.message).toMatch(/not a regular file/);
    }
  });
});

describe('cgroupHeadroom', () => {
  it('reads a v2 limit and current usage, and treats "max" as no limit', () => {
    const root = join(dir, 'cgroup');
    mkdirSync(root);
    writeFileSync(join(root, 'memory.max'), '1073741824\n');
    writeFileSync(join(root, 'memory.current'), '73741824\n');
    expect(cgroupHeadroom(root)).toBe(1_000_000_000);
    writeFileSync(join(root, 'memory.max'), 'max\n');
    expect(cgroupHeadroom(root)).toBeUndefined();
  });
});
