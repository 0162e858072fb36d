// NPY loader: uint8/float32/float64 images in NCHW, NHWC, (n,h,w) and flat layouts, int64 labels,
// seeded split, and every error (magic, Fortran order, truncation, counts, label range, dtypes).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNpy } from '../../runtime/data/npy.js';
import { f32Bytes, i64Bytes, npyBytes, tempDir, writeNpy, writeRaw } from './data-fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const path = (ext = 'npy') => join(dir, `f${k++}.${ext}`);

const labels3 = writeNpy(path(), '<i8', [3], i64Bytes([0, 2, 1]));

async function ok(images: string, labels = labels3, test?: number) {
  const r = await loadNpy(images, labels, { seed: 9, test });
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  return r.value;
}
async function err(images: string, labels = labels3) {
  const r = await loadNpy(images, labels, { seed: 9 });
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('loadNpy', () => {
  it('uint8 (n,h,w) images with int64 labels', async () => {
    const px = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
    const d = await ok(writeNpy(path(), '|u1', [3, 2, 2], px));
    expect(d.shape).toEqual({ c: 1, h: 2, w: 2 });
    expect(d.train.images).toBeInstanceOf(Uint8Array);
    expect(Array.from(d.train.images)).toEqual(Array.from(px));
    expect(Array.from(d.train.labels)).toEqual([0, 2, 1]);
    expect(d.classes).toBe(3);
  });
  it('float32 NCHW kept as floats; float64 too', async () => {
    const vals = Array.from({ length: 3 * 3 * 1 * 2 }, (_, i) => i / 17);
    const d = await ok(writeNpy(path(), '<f4', [3, 3, 1, 2], f32Bytes(vals)));
    expect(d.shape).toEqual({ c: 3, h: 1, w: 2 });
    expect(d.train.images).toBeInstanceOf(Float32Array);
    expect(Array.from(d.train.images)).toEqual(vals.map(Math.fround));
    const f64 = new Uint8Array(new Float64Array(vals).buffer);
    const e = await ok(writeNpy(path(), '<f8', [3, 3, 1, 2], f64));
    expect(e.hash).toBe(d.hash);
  });
  it('NHWC is transposed to NCHW', async () => {
    // one RGB 2×2 image stored channels-last: pixel p = (10p+1, 10p+2, 10p+3)
    const lab = writeNpy(path(), '<i4', [1], new Uint8Array(new Int32Array([0]).buffer));
    const hwc = Uint8Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3) + 1);
    const d = await ok(writeNpy(path(), '|u1', [1, 2, 2, 3], hwc), lab);
    expect(d.shape).toEqual({ c: 3, h: 2, w: 2 });
    expect(Array.from(d.train.images)).toEqual([1, 11, 21, 31, 2, 12, 22, 32, 3, 13, 23, 33]);
  });
  it('an ambiguous 4-D shape is read as NCHW, the runtime layout', async () => {
    const lab = writeNpy(path(), '<i4', [1], new Uint8Array(new Int32Array([0]).buffer));
    const d = await ok(writeNpy(path(), '|u1', [1, 3, 5, 3], new Uint8Array(45)), lab);
    expect(d.shape).toEqual({ c: 3, h: 5, w: 3 });
  });
  it('flat (n, h·w) rows become square images; (n,1) labels accepted; big-endian read', async () => {
    const lab = writeNpy(path(), '>i2', [3, 1], Uint8Array.from([0, 1, 0, 0, 0, 1]));
    const d = await ok(writeNpy(path(), '|u1', [3, 9], new Uint8Array(27)), lab);
    expect(d.shape).toEqual({ c: 1, h: 3, w: 3 });
    expect(Array.from(d.train.labels)).toEqual([1, 0, 1]);
  });
  it('seeded test split', async () => {
    const n = 10;
    const lab = writeNpy(path(), '<i8', [n], i64Bytes(Array.from({ length: n }, (_, i) => i % 2)));
    const img = writeNpy(
      path(),
      '|u1',
      [n, 1, 1],
      Uint8Array.from({ length: n }, (_, i) => i),
    );
    const d = await ok(img, lab, 0.3);
    expect([d.train.count, d.test.count]).toEqual([7, 3]);
    const all = [...d.train.images, ...d.test.images].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('wrong magic number', async () => {
    const f = writeRaw(path(), new TextEncoder().encode('PK\x03\x04 this is a zip'));
    const e = await err(f);
    expect(e.file).toBe(f);
    expect(e.message).toMatch(/wrong magic number \(50 4b 03 04 20 74\): not a NumPy \.npy file/);
  });
  it('Fortran order', async () => {
    const f = writeNpy(path(), '|u1', [3, 1, 1], new Uint8Array(3), true);
    expect((await err(f)).message).toMatch(/Fortran order/);
  });
  it('truncated data and extra bytes', async () => {
    const full = npyBytes('|u1', [3, 2, 2], new Uint8Array(12));
    const f = writeRaw(path(), full.subarray(0, full.length - 4));
    expect((await err(f)).message).toMatch(/truncated: shape \(3, 2, 2\) of 1-byte items needs 12 data bytes, file has 8/);
    const g = writeRaw(path(), full.subarray(0, 20));
    expect((await err(g)).message).toMatch(/truncated: header declares/);
  });
  it('images and labels of different counts', async () => {
    const f = writeNpy(path(), '|u1', [4, 1, 1], new Uint8Array(4));
    const e = await err(f);
    expect(e.file).toBe(labels3);
    expect(e.message).toMatch(/has 3 labels but .* has 4 images/);
  });
  it('labels outside 0..255, float labels, 2-D labels', async () => {
    const img = writeNpy(path(), '|u1', [3, 1, 1], new Uint8Array(3));
    const neg = writeNpy(path(), '<i8', [3], i64Bytes([0, -1, 1]));
    expect((await err(img, neg)).message).toMatch(/label -1 of example 1 is outside the class range 0\.\.255/);
    const big = writeNpy(path(), '<i8', [3], i64Bytes([0, 1, 256]));
    expect((await err(img, big)).message).toMatch(/label 256 of example 2/);
    const fl = writeNpy(path(), '<f4', [3], f32Bytes([0, 1, 2]));
    expect((await err(img, fl)).message).toMatch(/labels must be an integer array/);
    const two = writeNpy(path(), '|u1', [3, 2], new Uint8Array(6));
    expect((await err(img, two)).message).toMatch(/labels must have shape \(n\) or \(n, 1\)/);
  });
  it('pixel values out of range: floats above 1, ints above 255', async () => {
    const f = writeNpy(path(), '<f4', [3, 1, 1], f32Bytes([0, 255, 0]));
    expect((await err(f)).message).toMatch(/value 255 at flat index 1 is out of range: float pixels must be in \[0, 1\]/);
    const g = writeNpy(path(), '<i8', [3, 1, 1], i64Bytes([0, 0, 300]));
    expect((await err(g)).message).toMatch(/value 300 .* integer pixels must be 0\.\.255/);
    const nan = writeNpy(path(), '<f4', [3, 1, 1], f32Bytes([0, NaN, 0]));
    expect((await err(nan)).message).toMatch(/value NaN/);
  });
  it('shapes that are not an image batch; unsupported dtype', async () => {
    expect((await err(writeNpy(path(), '|u1', [3, 5], new Uint8Array(15)))).message).toMatch(/5 values per example is not a square image/);
    expect((await err(writeNpy(path(), '|u1', [3, 2, 2, 2], new Uint8Array(24)))).message).toMatch(/no channel axis/);
    expect((await err(writeNpy(path(), '<c8', [3, 1, 1], new Uint8Array(24)))).message).toMatch(/no simple 'descr'/);
    expect((await err(writeNpy(path(), '<f2', [3, 1, 1], new Uint8Array(6)))).message).toMatch(/unsupported dtype '<f2'/);
  });
  it('unreadable file', async () => {
    const e = await err(join(dir, 'missing.npy'));
    expect(e.message).toBe('cannot read file: no such file');
  });
});

describe('loadNpy on files written by numpy (np.save; scripts/fixtures/make_filter_fixtures.py)', () => {
  const fixture = (f: string) => new URL(`../fixtures/data/${f}`, import.meta.url).pathname;
  const expected = JSON.parse(readFileSync(fixture('npy-expected.json'), 'utf8')) as { rgb: number[]; gray: number[] };
  it('uint8 NHWC images with int64 labels', async () => {
    const d = await ok(fixture('rgb-nhwc-u8.npy'), fixture('labels-i64.npy'));
    expect(d.shape).toEqual({ c: 3, h: 4, w: 3 });
    expect(Array.from(d.train.images)).toEqual(expected.rgb);
    expect(Array.from(d.train.labels)).toEqual([3, 0, 1, 2, 1]);
    expect(d.classes).toBe(4);
  });
  it('float32 NCHW images with (n, 1) uint8 labels', async () => {
    const d = await ok(fixture('gray-nchw-f32.npy'), fixture('labels-u8-col.npy'));
    expect(d.shape).toEqual({ c: 1, h: 3, w: 2 });
    expect(Array.from(d.train.images)).toEqual(expected.gray);
    expect(Array.from(d.train.labels)).toEqual([1, 0, 0, 1, 1]);
  });
});
