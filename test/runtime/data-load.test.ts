// loadData: the DataSpec-kind table, paths relative to baseDir, subset by name, errors as data.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../runtime/data/dataset.js';
import { loadData, loaders } from '../../runtime/data/load.js';
import { f32Bytes, i64Bytes, tempDir, writeIdx, writeNpy, writePng, writeText } from './data-fixtures.js';

const base = tempDir();
afterAll(() => rmSync(base, { recursive: true, force: true }));
writeIdx(join(base, 'd', 'img.gz'), [4, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8], { gzip: true });
writeIdx(join(base, 'd', 'lab'), [4], [0, 1, 2, 1]);
writeText(join(base, 'd', 'x.csv'), 'label,a,b,c,d\n1,0,0,0,0\n0,9,9,9,9\n');
writeNpy(join(base, 'd', 'x.npy'), '<f4', [2, 1, 1], f32Bytes([0.25, 0.5]));
writeNpy(join(base, 'd', 'y.npy'), '<i8', [2], i64Bytes([1, 0]));
writePng(join(base, 'd', 'pics', 'cat', '1.png'), 1, 1, [7], false);

const none = () => undefined;

describe('loadData', () => {
  it('has one loader per DataSpec kind', () => {
    expect(Object.keys(loaders).sort()).toEqual(['csv', 'fashion_mnist', 'folder', 'idx', 'mnist', 'npy', 'subset']);
  });
  it('resolves relative paths against baseDir for every file kind', async () => {
    const idx = await loadData({ kind: 'idx', images: 'd/img.gz', labels: 'd/lab', seed: 1 }, none, base);
    expect(idx.ok && idx.value.shape).toEqual({ c: 1, h: 1, w: 2 });
    const csv = await loadData({ kind: 'csv', path: 'd/x.csv', header: 'auto', seed: 1 }, none, base);
    expect(csv.ok && csv.value.train.count).toBe(2);
    const npy = await loadData({ kind: 'npy', images: join(base, 'd/x.npy'), labels: 'd/y.npy', seed: 1 }, none, base);
    expect(npy.ok && Array.from(npy.value.train.images)).toEqual([0.25, 0.5]);
    const folder = await loadData({ kind: 'folder', path: 'd/pics', seed: 1 }, none, base);
    expect(folder.ok && folder.value.classNames).toEqual(['cat']);
  });
  it('returns the failing file (absolute) and message as data', async () => {
    const r = await loadData({ kind: 'idx', images: 'd/missing', labels: 'd/lab', seed: 1 }, none, base);
    expect(r).toEqual({ ok: false, error: { file: join(base, 'd/missing'), message: 'cannot read file: no such file' } });
  });
  it('subset resolves its source by name and relabels', async () => {
    const idx = await loadData({ kind: 'idx', images: 'd/img.gz', labels: 'd/lab', seed: 1 }, none, base);
    if (!idx.ok) throw new Error(idx.error.message);
    const named = new Map<string, Dataset>([['digits', idx.value]]);
    const r = await loadData({ kind: 'subset', from: 'digits', classes: [1] }, (n) => named.get(n), base);
    if (!r.ok) throw new Error(r.error.message);
    expect(Array.from(r.value.train.images)).toEqual([3, 4, 7, 8]);
    expect(Array.from(r.value.train.labels)).toEqual([0, 0]);
    const missing = await loadData({ kind: 'subset', from: 'nope' }, (n) => named.get(n), base);
    expect(missing.ok ? '' : missing.error.message).toBe("no dataset named 'nope' is loaded");
  });
  it('mnist through the table', async () => {
    const r = await loadData({ kind: 'mnist', train: 50, test: 10, seed: 3 }, none, base);
    expect(r.ok && [r.value.name, r.value.train.count, r.value.test.count]).toEqual(['mnist', 50, 10]);
  });
});
