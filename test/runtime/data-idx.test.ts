// IDX loader on files written by the test: plain and gzipped, separate test files, seeded test
// fraction, and every failure (magic, truncation, count mismatch, label range, unreadable file).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdx } from '../../runtime/data/idx.js';
import { idxBytes, tempDir, writeIdx, writeRaw } from './data-fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const N = 12;
/** example i: 2×3 image with pixel p = 10·i + p, label i % 3 */
const pixels = Array.from({ length: N * 6 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
const labels = Array.from({ length: N }, (_, i) => i % 3);
const img = writeIdx(join(dir, 'img'), [N, 2, 3], pixels);
const lab = writeIdx(join(dir, 'lab'), [N], labels);
const imgGz = writeIdx(join(dir, 'img.gz'), [N, 2, 3], pixels, { gzip: true });
const labGz = writeIdx(join(dir, 'lab.gz'), [N], labels, { gzip: true });

async function err(images: string, labelsFile: string, opts = {}) {
  const r = await loadIdx(images, labelsFile, { seed: 1, ...opts });
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('loadIdx', () => {
  it('loads images (n,h,w) as uint8 NCHW with labels, classes inferred', async () => {
    const r = await loadIdx(img, lab, { seed: 1 });
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value;
    expect(d.shape).toEqual({ c: 1, h: 2, w: 3 });
    expect(d.classes).toBe(3);
    expect(d.train.count).toBe(N);
    expect(d.train.images).toBeInstanceOf(Uint8Array);
    expect(Array.from(d.train.images)).toEqual(pixels);
    expect(Array.from(d.train.labels)).toEqual(labels);
    expect(d.test.count).toBe(0);
  });
  it('reads gzipped files to the same dataset and hash', async () => {
    const a = await loadIdx(img, lab, { seed: 1 });
    const b = await loadIdx(imgGz, labGz, { seed: 1 });
    expect(a.ok && b.ok && a.value.hash === b.value.hash).toBe(true);
  });
  it('holds out a seeded test fraction: disjoint, deterministic, seed-dependent', async () => {
    const load = (seed: number) => loadIdx(img, lab, { seed, test: 0.25 });
    const [a, b, c] = await Promise.all([load(5), load(5), load(6)]);
    if (!a.ok || !b.ok || !c.ok) throw new Error('load failed');
    expect([a.value.train.count, a.value.test.count]).toEqual([9, 3]);
    const ids = (imgs: Uint8Array | Float32Array, n: number) => Array.from({ length: n }, (_, i) => imgs[6 * i] / 10);
    const tr = ids(a.value.train.images, 9);
    const te = ids(a.value.test.images, 3);
    expect(new Set([...tr, ...te]).size).toBe(12);
    a.value.test.labels.forEach((l, i) => expect(l).toBe(te[i] % 3));
    expect(a.value.hash).toBe(b.value.hash);
    expect(c.value.hash).not.toBe(a.value.hash);
  });
  it('uses separate test files when given', async () => {
    const ti = writeIdx(join(dir, 'ti'), [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const tl = writeIdx(join(dir, 'tl'), [2], [2, 0]);
    const r = await loadIdx(img, lab, { seed: 1, testImages: ti, testLabels: tl });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.test.count).toBe(2);
    expect(Array.from(r.value.test.labels)).toEqual([2, 0]);
    expect(r.value.train.count).toBe(N);
  });

  it('wrong magic number: a labels file given as images', async () => {
    const e = await err(lab, lab);
    expect(e.file).toBe(lab);
    expect(e.message).toMatch(/wrong magic number 0x00000801.*expected 0x00000803.*labels file/);
  });
  it('wrong magic number: not an IDX file at all', async () => {
    const f = writeRaw(join(dir, 'junk'), new TextEncoder().encode('hello world, not idx'));
    const e = await err(f, lab);
    expect(e.file).toBe(f);
    expect(e.message).toMatch(/wrong magic number 0x68656c6c: not an IDX file/);
  });
  it('unsupported element type', async () => {
    const f = writeRaw(join(dir, 'float.idx'), idxBytes([1, 1, 1], [0, 0, 0, 0], 0x0d));
    expect((await err(f, lab)).message).toMatch(/element type float .* not supported/);
  });
  it('truncated images file (data cut short)', async () => {
    const full = idxBytes([N, 2, 3], pixels);
    const f = writeRaw(join(dir, 'trunc'), full.subarray(0, full.length - 5));
    const e = await err(f, lab);
    expect(e.file).toBe(f);
    expect(e.message).toMatch(/truncated: header declares 12×2×3 = 72 bytes of data, file has 67/);
  });
  it('truncated header and truncated gzip stream', async () => {
    const f = writeRaw(join(dir, 'short'), idxBytes([N, 2, 3], pixels).subarray(0, 9));
    expect((await err(f, lab)).message).toMatch(/truncated: header needs 16 bytes, file has 9/);
    const gz = (await import('node:zlib')).gzipSync(idxBytes([N, 2, 3], pixels));
    const g = writeRaw(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 12));
    const e = await err(g, lab);
    expect(e.file).toBe(g);
    expect(e.message).toMatch(/corrupt or truncated gzip/);
  });
  it('images and labels of different counts', async () => {
    const l = writeIdx(join(dir, 'lab11'), [11], labels.slice(0, 11));
    const e = await err(img, l);
    expect(e.file).toBe(l);
    expect(e.message).toMatch(/has 11 labels but .*img has 12 images/);
  });
  it('test images of another size than the training images', async () => {
    const ti = writeIdx(join(dir, 'ti33'), [1, 3, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const tl = writeIdx(join(dir, 'tl1'), [1], [0]);
    const e = await err(img, lab, { testImages: ti, testLabels: tl });
    expect(e.file).toBe(ti);
    expect(e.message).toMatch(/3×3 but the training images .* are 2×3/);
  });
  it('a label outside the class range', async () => {
    const bad = labels.slice();
    bad[4] = 10;
    const l = writeIdx(join(dir, 'lab-bad'), [N], bad);
    const e = await err(img, l, { classes: 10 });
    expect(e.file).toBe(l);
    expect(e.message).toMatch(/label 10 of example 4 is outside the class range 0\.\.9/);
  });
  it('unreadable file: missing, and a directory', async () => {
    const missing = join(dir, 'nope');
    const e = await err(missing, lab);
    expect(e).toEqual({ file: missing, message: 'cannot read file: no such file' });
    expect((await err(img, dir)).message).toMatch(/is a directory/);
  });
  it('extra bytes after the declared data', async () => {
    const f = join(dir, 'long');
    writeFileSync(f, Buffer.concat([idxBytes([N], labels), Buffer.from([1, 2])]));
    expect((await err(img, f)).message).toMatch(/2 unexpected bytes after/);
  });
});
