// CSV loader: header auto-detection, square and given sizes, RGB rows, separate test file, and errors.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv, parseCsv, parseCsvBytes, scanCsvFast, type CsvOptions } from '../../runtime/data/csv.js';
import { tempDir, writeText } from './data-fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = ['1,0,10,20,255', '0,5,6,7,8', '2,9,9,9,9'];
const opts: CsvOptions = { header: 'auto', seed: 3 };

async function load(text: string, o: Partial<CsvOptions> = {}, name = 'f.csv') {
  const f = writeText(join(dir, name), text);
  return { file: f, r: await loadCsv(f, { ...opts, ...o }) };
}
async function err(text: string, o: Partial<CsvOptions> = {}) {
  const { file, r } = await load(text, o, `bad-${Math.abs(hashText(text + JSON.stringify(o)))}.csv`);
  if (r.ok) throw new Error('expected a failure');
  expect(r.error.file).toBe(file);
  return r.error.message;
}
function hashText(s: string): number {
  let h = 0;
  for (const ch of s) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describe('loadCsv', () => {
  it('reads label-first rows without header; square 2×2 inferred', async () => {
    const { r } = await load(rows.join('\n') + '\n');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.shape).toEqual({ c: 1, h: 2, w: 2 });
    expect(Array.from(r.value.train.labels)).toEqual([1, 0, 2]);
    expect(Array.from(r.value.train.images)).toEqual([0, 10, 20, 255, 5, 6, 7, 8, 9, 9, 9, 9]);
    expect(r.value.classes).toBe(3);
  });
  it('auto-detects a header line and gives the same data; CRLF accepted', async () => {
    const a = await load(rows.join('\n'), {}, 'a.csv');
    const b = await load(['label,p0,p1,p2,p3', ...rows].join('\r\n') + '\r\n', {}, 'b.csv');
    expect(a.r.ok && b.r.ok && a.r.value.hash === b.r.value.hash).toBe(true);
  });
  it('header: true skips a numeric first line', async () => {
    const { r } = await load(['9,9,9,9,9', ...rows].join('\n'), { header: true });
    expect(r.ok && r.value.train.count).toBe(3);
  });
  it('uses the given width and height, and reads 3 planes as RGB', async () => {
    const g = await load('0,1,2,3,4,5,6\n1,6,5,4,3,2,1', { width: 3, height: 2 }, 'wh.csv');
    expect(g.r.ok && g.r.value.shape).toEqual({ c: 1, h: 2, w: 3 });
    const c = await load('0,1,2,3\n1,4,5,6', { width: 1, height: 1 }, 'rgb.csv');
    expect(c.r.ok && c.r.value.shape).toEqual({ c: 3, h: 1, w: 1 });
  });
  it('holds out a seeded test count and reads a separate test file', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `${i % 2},${i},0,0,0`).join('\n');
    const { r } = await load(many, { test: 5 }, 'many.csv');
    if (!r.ok) throw new Error(r.error.message);
    expect([r.value.train.count, r.value.test.count]).toEqual([15, 5]);
    const t = writeText(join(dir, 'test.csv'), 'label,a,b,c,d\n1,1,1,1,1\n');
    const s = await load(rows.join('\n'), { testPath: t }, 'with-test.csv');
    expect(s.r.ok && [s.r.value.train.count, s.r.value.test.count]).toEqual([3, 1]);
  });

  it('the byte fast path and the string parser agree on valid files', () => {
    const cases: [string, Partial<CsvOptions>][] = [
      [rows.join('\n'), {}],
      [['label,a,b,c,d', ...rows].join('\r\n') + '\r\n\r\n', {}],
      ['\n  \n' + rows.join('\n\n') + '\n', { header: true }],
      ['0,1,2,3,4,5,6\n1,6,5,4,3,2,1', { width: 3, height: 2 }],
      ['3,0,255\n007,12,200', { width: 2, height: 1 }],
    ];
    for (const [text, o] of cases) {
      const bytes = new TextEncoder().encode(text);
      const a = parseCsvBytes(bytes, 'x.csv', { ...opts, ...o });
      const b = parseCsv(text, 'x.csv', { ...opts, ...o });
      if (!a.ok || !b.ok) throw new Error(`${text}: ${JSON.stringify([a, b])}`);
      expect(a.value.shape).toEqual(b.value.shape);
      expect(Array.from(a.value.split.images)).toEqual(Array.from(b.value.split.images));
      expect(Array.from(a.value.split.labels)).toEqual(Array.from(b.value.split.labels));
      expect(a.value.split.count).toBe(b.value.split.count);
    }
  });
  it('the fast path handles plain integer rows and declines anything unusual', () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    expect(scanCsvFast(enc('1,2,3\r\n0,4,5'), 0, 2)).toMatchObject({ count: 2 });
    for (const t of ['1,2,3\n0,4', '1,2, 3', '1,2,3.0', '1,2,-3', '1,2,256', '1,2,3,4']) expect(scanCsvFast(enc(t), 0, 2)).toBeUndefined();
  });
  it('stops parsing between rows when interrupted, on the fast path and the slow one', () => {
    // 5,000 rows of 4 pixels; the flag goes up at its third look (rows 0, 1024 and 2048 are looked at).
    const rows = Array.from({ length: 5000 }, (_, i) => `${i % 10},1,2,3,4`);
    const countingAbort = () => {
      let looks = 0;
      return {
        get aborted() {
          return ++looks > 2;
        },
      };
    };
    const fast = parseCsvBytes(new TextEncoder().encode(rows.join('\n')), 'x.csv', { ...opts, abort: countingAbort() });
    expect(fast).toEqual({ ok: false, error: { file: 'x.csv', message: 'parsing was interrupted after 2048 rows', interrupted: true } });
    // The slow path (which reports exact lines and columns) looks at the same rows.
    const slow = parseCsv(rows.join('\n'), 'x.csv', { ...opts, abort: countingAbort() });
    expect(slow).toEqual({ ok: false, error: { file: 'x.csv', message: 'parsing was interrupted after 2048 rows', interrupted: true } });
    expect(parseCsvBytes(new TextEncoder().encode(rows.join('\n')), 'x.csv', opts)).toMatchObject({
      ok: true,
      value: { split: { count: 5000 } },
    });
  });
  it('mixed image sizes (a short row)', async () => {
    expect(await err('1,0,10,20,255\n0,5,6,7')).toMatch(/line 2 has 3 pixel values, expected 4 .*mixed image sizes/);
  });
  it('a pixel that is not an integer 0..255', async () => {
    expect(await err('1,0,10,20,256')).toMatch(/line 1, column 5: pixel '256' is not an integer 0\.\.255/);
    expect(await err('1,0,1.5,20,2')).toMatch(/column 3: pixel '1.5'/);
    expect(await err('0,1,2,3,400\n1,0,0,0,0')).toMatch(/line 1, column 5: pixel '400' .*header of numbers, give header: true/);
    expect(await err('x,y,z,w,v\n1,0,,20,2')).toMatch(/line 2, column 3: pixel ''/);
  });
  it('a label that is not a class index, or outside the range', async () => {
    expect(await err('1,0,0,0,0\n-1,0,0,0,0')).toMatch(/line 2: label '-1' is not a class index/);
    expect(await err('300,0,0,0,0')).toMatch(/label 300 is outside the class range 0\.\.255/);
    expect(await err('5,0,0,0,0', { classes: 3 })).toMatch(/label 5 of example 0 is outside the class range 0\.\.2/);
  });
  it('a non-square row without width/height, and sizes that do not fit', async () => {
    expect(await err('1,0,0,0')).toMatch(/3 pixel values, not a square image; give width and height/);
    expect(await err('1,0,0,0,0,0', { width: 2, height: 2 })).toMatch(/5 pixel values, which is not 2×2/);
  });
  it('header: false with a text first line; a file with only a header; an empty file', async () => {
    expect(await err('label,a\n1,2', { header: false })).toMatch(/line 1, column 1: 'label' is not a number/);
    expect(await err('label,a,b,c,d\n')).toMatch(/header but no examples/);
    expect(await err('')).toMatch(/contains no examples/);
  });
  it('a test file whose rows differ in size from the training file', async () => {
    const t = writeText(join(dir, 'test9.csv'), '1,1,1,1,1,1,1,1,1,1\n');
    const f = writeText(join(dir, 'train.csv'), rows.join('\n'));
    const r = await loadCsv(f, { ...opts, testPath: t });
    expect(r.ok ? '' : `${r.error.file}: ${r.error.message}`).toBe(`${t}: rows have 9 pixel values but the training file's have 4`);
  });
  it('an unreadable file', async () => {
    const r = await loadCsv(join(dir, 'missing.csv'), opts);
    expect(r.ok ? '' : r.error.message).toBe('cannot read file: no such file');
  });
});
