// Dataset helpers: float conversion, seeded splits, hashing, subset relabelling, exampleImage.
import { describe, expect, it } from 'vitest';
import {
  exampleImage,
  gatherFloat,
  hashSplits,
  makeDataset,
  permuteInPlace,
  pick,
  seededPermutation,
  splitSeeded,
  subset,
  toFloat,
  type Dataset,
  type Split,
} from '../../runtime/data/dataset.js';

/** count examples of 2 pixels each; example i has pixels (i, 255-i) and label i % classes. */
function ramp(count: number, classes: number): Split & { images: Uint8Array } {
  const images = new Uint8Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images[2 * i] = i;
    images[2 * i + 1] = 255 - i;
    labels[i] = i % classes;
  }
  return { images, labels, count };
}

function tiny(): Dataset {
  return makeDataset({
    name: 'tiny',
    shape: { c: 1, h: 1, w: 2 },
    classes: 4,
    classNames: ['a', 'b', 'c', 'd'],
    train: ramp(40, 4),
    test: ramp(12, 4),
    source: 'test',
  });
}

describe('toFloat / gatherFloat', () => {
  it('divides bytes by 255 for the requested range only', () => {
    const s = ramp(10, 2);
    const dst = new Float32Array(8).fill(-1);
    toFloat(s, 3, 3, dst);
    expect(Array.from(dst.subarray(0, 6))).toEqual([3, 252, 4, 251, 5, 250].map((v) => Math.fround(v / 255)));
    expect(dst[6]).toBe(-1);
  });
  it('maps 0 → 0 and 255 → 1 exactly', () => {
    const s: Split = { images: new Uint8Array([0, 255]), labels: new Uint8Array([0]), count: 1 };
    const dst = new Float32Array(2);
    toFloat(s, 0, 1, dst);
    expect(Array.from(dst)).toEqual([0, 1]);
  });
  it('copies float splits unchanged', () => {
    const s: Split = { images: new Float32Array([0.1, 0.2, 0.3, 0.4]), labels: new Uint8Array([0, 1]), count: 2 };
    const dst = new Float32Array(2);
    toFloat(s, 1, 1, dst);
    expect(Array.from(dst)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
  it('rejects ranges past the end and short destinations', () => {
    const s = ramp(5, 2);
    expect(() => toFloat(s, 4, 2, new Float32Array(4))).toThrow(RangeError);
    expect(() => toFloat(s, 0, 3, new Float32Array(5))).toThrow(/need 6/);
  });
  it('gathers arbitrary indices in order', () => {
    const s = ramp(10, 2);
    const dst = new Float32Array(6);
    gatherFloat(s, [7, 0, 7], dst);
    expect(Array.from(dst)).toEqual([7, 248, 0, 255, 7, 248].map((v) => Math.fround(v / 255)));
  });
});

describe('seeded permutation and split', () => {
  it('is a permutation, deterministic per seed, different across seeds', () => {
    const a = seededPermutation(1000, 42);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(seededPermutation(1000, 42))).toEqual(Array.from(a));
    expect(Array.from(seededPermutation(1000, 43))).not.toEqual(Array.from(a));
  });
  it('permuteInPlace gives the same split as copying with pick', () => {
    for (const seed of [1, 2, 3]) {
      const order = seededPermutation(37, seed);
      const copied = pick(ramp(37, 5), order);
      const inPlace = ramp(37, 5);
      permuteInPlace(inPlace, order);
      expect(Array.from(inPlace.images)).toEqual(Array.from(copied.images));
      expect(Array.from(inPlace.labels)).toEqual(Array.from(copied.labels));
    }
  });
  it('makes disjoint train/test splits whose union is drawn from the pool', () => {
    const pool = ramp(200, 5); // pixel 0 identifies the example
    const r = splitSeeded(pool, { train: 120, test: 50 }, 7);
    if (!r.ok) throw new Error(r.error.message);
    const ids = (s: Split) => Array.from({ length: s.count }, (_, i) => s.images[2 * i]);
    const tr = ids(r.value.train);
    const te = ids(r.value.test);
    expect(tr.length).toBe(120);
    expect(te.length).toBe(50);
    expect(new Set([...tr, ...te]).size).toBe(170);
    // labels travel with their images
    r.value.train.labels.forEach((l, i) => expect(l).toBe(tr[i] % 5));
  });
  it('takes a fraction as the test size and the rest as train', () => {
    const r = splitSeeded(ramp(100, 2), { test: 0.25 }, 1);
    if (!r.ok) throw new Error(r.error.message);
    expect([r.value.train.count, r.value.test.count]).toEqual([75, 25]);
  });
  it('refuses more examples than the pool holds', () => {
    const r = splitSeeded(ramp(10, 2), { train: 8, test: 3 }, 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/8 training \+ 3 test .* only 10/);
  });
});

describe('hash', () => {
  it('is stable for equal content and changes with one pixel or one label', () => {
    const a = hashSplits(ramp(10, 2), ramp(3, 2));
    expect(hashSplits(ramp(10, 2), ramp(3, 2))).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    const px = ramp(10, 2);
    px.images[5] ^= 1;
    expect(hashSplits(px, ramp(3, 2))).not.toBe(a);
    const lb = ramp(3, 2);
    lb.labels[0] = 1;
    expect(hashSplits(ramp(10, 2), lb)).not.toBe(a);
  });
  it('matches sha256 of the concatenated bytes', async () => {
    const { createHash } = await import('node:crypto');
    const tr = ramp(4, 2);
    const te = ramp(2, 2);
    const expected = createHash('sha256')
      .update(Buffer.concat([tr.images, tr.labels, te.images, te.labels]))
      .digest('hex');
    expect(hashSplits(tr, te)).toBe(expected);
  });
});

describe('subset', () => {
  it('keeps the listed classes relabelled in the given order, with class names', () => {
    const ds = tiny();
    const r = subset(ds, { classes: [3, 1] });
    if (!r.ok) throw new Error(r.error.message);
    const s = r.value;
    expect(s.classes).toBe(2);
    expect(s.classNames).toEqual(['d', 'b']);
    expect(s.train.count).toBe(20);
    for (let i = 0; i < s.train.count; i++) {
      const original = s.train.images[2 * i] % 4; // example id → original label
      expect(original === 3 || original === 1).toBe(true);
      expect(s.train.labels[i]).toBe(original === 3 ? 0 : 1);
    }
    expect(s.hash).not.toBe(ds.hash);
  });
  it('takes the first n examples after class selection', () => {
    const r = subset(tiny(), { classes: [2], train: 3, test: 1 });
    if (!r.ok) throw new Error(r.error.message);
    expect(Array.from(r.value.train.images.filter((_, k) => k % 2 === 0))).toEqual([2, 6, 10]);
    expect(Array.from(r.value.train.labels)).toEqual([0, 0, 0]);
    expect(r.value.test.count).toBe(1);
  });
  it('reports bad classes and too-large counts', () => {
    const bad = (o: Parameters<typeof subset>[1]) => {
      const r = subset(tiny(), o);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(bad({ classes: [4] })).toMatch(/class 4 is outside the class range 0\.\.3/);
    expect(bad({ classes: [1, 1] })).toMatch(/listed twice/);
    expect(bad({ classes: [] })).toMatch(/no classes/);
    expect(bad({ classes: [0], train: 11 })).toMatch(/11 training examples but only 10/);
  });
  it('returns the same hash for the same subset', () => {
    const a = subset(tiny(), { classes: [0, 2], train: 5 });
    const b = subset(tiny(), { classes: [0, 2], train: 5 });
    expect(a.ok && b.ok && a.value.hash === b.value.hash).toBe(true);
  });
});

describe('exampleImage', () => {
  it('returns float pixels, shape, label and class name', () => {
    const img = exampleImage(tiny(), 'test', 6);
    expect(Array.from(img.data)).toEqual([6, 249].map((v) => Math.fround(v / 255)));
    expect(img.shape).toEqual({ c: 1, h: 1, w: 2 });
    expect(img.label).toBe(2);
    expect(img.className).toBe('c');
  });
});
