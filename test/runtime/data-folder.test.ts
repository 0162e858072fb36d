// PNG-folder loader: class names from sorted subfolders, grayscale vs RGB, and the errors
// (mixed sizes, not a PNG, empty class folder, no class folders, missing directory).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../runtime/data/folder.js';
import { tempDir, writePng, writeText } from './data-fixtures.js';

const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

function gray(name: string) {
  const d = join(root, name);
  writePng(join(d, 'zebra', 'a.png'), 2, 2, [0, 64, 128, 255], false);
  writePng(join(d, 'apple', 'b.png'), 2, 2, [1, 2, 3, 4], false);
  writePng(join(d, 'apple', 'a.png'), 2, 2, [5, 6, 7, 8], false);
  writeText(join(d, 'apple', 'notes.txt'), 'ignored');
  writeText(join(d, 'README'), 'ignored too');
  return d;
}

async function err(d: string) {
  const r = await loadFolder(d, { seed: 1 });
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('loadFolder', () => {
  it('labels by sorted class folder, files in name order, grayscale', async () => {
    const r = await loadFolder(gray('g'), { seed: 1 });
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value;
    expect(d.classNames).toEqual(['apple', 'zebra']);
    expect(d.classes).toBe(2);
    expect(d.shape).toEqual({ c: 1, h: 2, w: 2 });
    expect(Array.from(d.train.labels)).toEqual([0, 0, 1]);
    expect(Array.from(d.train.images)).toEqual([5, 6, 7, 8, 1, 2, 3, 4, 0, 64, 128, 255]);
  });
  it('an RGB file makes the dataset RGB (planar), grays replicated', async () => {
    const d = gray('rgb');
    writePng(join(d, 'zebra', 'c.png'), 2, 2, [10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33], true);
    const r = await loadFolder(d, { seed: 1 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.shape).toEqual({ c: 3, h: 2, w: 2 });
    const im = r.value.train.images;
    expect(Array.from(im.subarray(0, 12))).toEqual([5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8]);
    expect(Array.from(im.subarray(36, 48))).toEqual([10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]);
  });
  it('a seeded test fraction', async () => {
    const d = join(root, 'many');
    for (let i = 0; i < 10; i++) writePng(join(d, i % 2 ? 'odd' : 'even', `${i}.png`), 1, 1, [i], false);
    const r = await loadFolder(d, { seed: 4, test: 0.2 });
    if (!r.ok) throw new Error(r.error.message);
    expect([r.value.train.count, r.value.test.count]).toEqual([8, 2]);
    for (let i = 0; i < 2; i++) expect(r.value.test.labels[i]).toBe(r.value.test.images[i] % 2 ? 1 : 0);
  });
  it('mixed image sizes', async () => {
    const d = gray('mixed');
    const f = writePng(join(d, 'zebra', 'big.png'), 3, 2, [0, 0, 0, 0, 0, 0], false);
    const e = await err(d);
    expect(e.file).toBe(f);
    expect(e.message).toMatch(/is 3×2 but .*a\.png is 2×2 \(mixed image sizes\)/);
  });
  it('a .png that is not a PNG', async () => {
    const d = gray('broken');
    const f = writeText(join(d, 'zebra', 'b.png'), 'definitely not a png');
    const e = await err(d);
    expect(e.file).toBe(f);
    expect(e.message).toMatch(/not a readable PNG image/);
  });
  it('an empty class folder, no class folders, a missing directory', async () => {
    const d = gray('empty');
    mkdirSync(join(d, 'ghost'));
    expect((await err(d)).message).toMatch(/class folder 'ghost' has no \.png images/);
    const flat = join(root, 'flat');
    writePng(join(flat, 'a.png'), 1, 1, [0], false);
    expect((await err(flat)).message).toMatch(/no class subfolders/);
    expect(await err(join(root, 'nowhere'))).toEqual({ file: join(root, 'nowhere'), message: 'no such directory' });
  });
});
