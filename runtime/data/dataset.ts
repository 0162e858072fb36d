// The in-memory dataset every loader produces: NCHW pixels (Uint8 = value/255, or Float32 in [0,1]),
// class-index labels, and the helpers that split, subset and convert it. Loaders live beside this
// file, one per format; nothing here touches the file system.
import { createHash } from 'node:crypto';
import type { Shape3 } from '../spec.js';
import { unitPixels } from '../train/split-view.js';

/** One split. images: (count, c, h, w) NCHW; a Uint8Array stores pixel·255, a Float32Array stores pixels as-is. */
export interface Split {
  images: Uint8Array | Float32Array;
  /** (count) class indices 0..classes-1; one-hot vectors are made by the loss, never stored. */
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  name: string;
  shape: Shape3;
  classes: number;
  classNames?: string[];
  train: Split;
  test: Split;
  /** Human-readable origin: package, directory or file paths. */
  source: string;
  /** sha256 hex of train images, train labels, test images, test labels (raw bytes, in that order). */
  hash: string;
}

/** A loader's failure: which file and what is wrong with it. */
export interface DataError {
  file: string;
  message: string;
  /** The read stopped because the user interrupted it (not a problem with the file). */
  interrupted?: true;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DataError };

export function fail<T>(file: string, message: string): Result<T> {
  return { ok: false, error: { file, message } };
}

export function emptySplit(float: boolean): Split {
  return { images: float ? new Float32Array(0) : new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
}

function exampleSize(split: Split): number {
  return split.count === 0 ? 0 : split.images.length / split.count;
}

/** Copies examples start..start+n-1 as float32 pixels in [0,1] into dst (n, c, h, w); allocates nothing. */
export function toFloat(split: Split, start: number, n: number, dst: Float32Array): void {
  const size = exampleSize(split);
  if (start < 0 || n < 0 || start + n > split.count)
    throw new RangeError(`toFloat: examples ${start}..${start + n - 1} outside 0..${split.count - 1}`);
  if (dst.length < n * size) throw new RangeError(`toFloat: destination holds ${dst.length} values, need ${n * size}`);
  unitPixels(split.images, start * size, n * size, dst, 0);
}

/** Like toFloat for an arbitrary list of example indices (a shuffled batch): dst (indices.length, c, h, w). */
export function gatherFloat(split: Split, indices: ArrayLike<number>, dst: Float32Array): void {
  const size = exampleSize(split);
  if (dst.length < indices.length * size)
    throw new RangeError(`gatherFloat: destination holds ${dst.length} values, need ${indices.length * size}`);
  const src = split.images;
  for (let k = 0; k < indices.length; k++) {
    const e = indices[k];
    if (!(e >= 0 && e < split.count)) throw new RangeError(`gatherFloat: example ${e} outside 0..${split.count - 1}`);
    unitPixels(src, e * size, size, dst, k * size);
  }
}

/** Copies the listed examples into a new split (same element type). */
export function pick(split: Split, indices: ArrayLike<number>): Split {
  const size = exampleSize(split);
  const n = indices.length;
  const images = split.images instanceof Float32Array ? new Float32Array(n * size) : new Uint8Array(n * size);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const e = indices[k];
    images.set(split.images.subarray(e * size, (e + 1) * size), k * size);
    labels[k] = split.labels[e];
  }
  return { images, labels, count: n };
}

/**
 * Reorders a split in place so that new example k is old example order[k] (order a permutation of
 * 0..count-1). Follows cycles with one example of scratch, so a full shuffle of a large split needs
 * no second copy of its pixels.
 */
export function permuteInPlace(split: Split, order: ArrayLike<number>): void {
  const size = exampleSize(split);
  const im = split.images;
  const lb = split.labels;
  const done = new Uint8Array(split.count);
  const tmp = im instanceof Float32Array ? new Float32Array(size) : new Uint8Array(size);
  for (let start = 0; start < split.count; start++) {
    if (done[start] || order[start] === start) continue;
    tmp.set(im.subarray(start * size, (start + 1) * size));
    const tmpLabel = lb[start];
    let j = start;
    for (;;) {
      done[j] = 1;
      const src = order[j];
      if (src === start) {
        im.set(tmp, j * size);
        lb[j] = tmpLabel;
        break;
      }
      im.copyWithin(j * size, src * size, (src + 1) * size);
      lb[j] = lb[src];
      j = src;
    }
  }
}

/**
 * Seeded permutation of 0..n-1 (Fisher–Yates over a splitmix32 stream). Local to the data layer so a
 * dataset's split depends only on its own seed, never on how other code consumes a shared generator.
 */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  let state = (seed >>> 0) ^ 0x9e3779b9;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  for (let i = n - 1; i > 0; i--) {
    // 32-bit × (i+1) / 2^32: bias below 2^-32·n, irrelevant for shuffling ≤ millions of examples
    const j = Math.floor((next() / 4294967296) * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A test size given as a fraction (0 < t < 1) or an example count (t ≥ 1) → a count out of n. */
export function testCount(t: number | undefined, n: number): number {
  if (t === undefined || t <= 0) return 0;
  return t < 1 ? Math.round(t * n) : Math.floor(t);
}

/**
 * Seeded disjoint split of one pool: a seeded permutation, the first `test` examples become the test
 * split and the next `train` (default: all the rest) the train split. Both keep the permuted order.
 * test may be a fraction (< 1) of the pool or a count.
 */
export function splitSeeded(all: Split, sizes: { train?: number; test?: number }, seed: number): Result<{ train: Split; test: Split }> {
  const nTest = testCount(sizes.test, all.count);
  const nTrain = sizes.train ?? all.count - nTest;
  if (nTrain < 0 || nTest + nTrain > all.count) {
    return fail('', `asked for ${nTrain} training + ${nTest} test examples but only ${all.count} are available`);
  }
  const p = seededPermutation(all.count, seed);
  return { ok: true, value: { test: pick(all, p.subarray(0, nTest)), train: pick(all, p.subarray(nTest, nTest + nTrain)) } };
}

export function hashSplits(train: Split, test: Split): string {
  const h = createHash('sha256');
  for (const a of [train.images, train.labels, test.images, test.labels]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** Checks every label of both splits is below `classes`; reports the first offender. */
export function checkLabels(split: Split, classes: number, file: string): DataError | undefined {
  for (let i = 0; i < split.count; i++) {
    if (split.labels[i] >= classes)
      return { file, message: `label ${split.labels[i]} of example ${i} is outside the class range 0..${classes - 1}` };
  }
  return undefined;
}

/** Builds the Dataset record (computing the hash) once both splits are complete. */
export function makeDataset(fields: Omit<Dataset, 'hash'>): Dataset {
  return { ...fields, hash: hashSplits(fields.train, fields.test) };
}

export interface SubsetOptions {
  /** Classes to keep, relabelled 0..k-1 in the order given. */
  classes?: number[];
  /** Keep the first n training / test examples (after class selection). */
  train?: number;
  test?: number;
}

function keep(split: Split, remap: Int16Array | undefined, limit: number | undefined): Split | number {
  const idx: number[] = [];
  for (let i = 0; i < split.count; i++) if (!remap || remap[split.labels[i]] >= 0) idx.push(i);
  if (limit !== undefined && limit > idx.length) return idx.length;
  const out = pick(split, limit === undefined ? idx : idx.slice(0, limit));
  if (remap) for (let i = 0; i < out.count; i++) out.labels[i] = remap[out.labels[i]];
  return out;
}

/** A dataset restricted to some classes (relabelled in the given order) and/or the first n examples. */
export function subset(ds: Dataset, opts: SubsetOptions): Result<Dataset> {
  let remap: Int16Array | undefined;
  if (opts.classes) {
    if (opts.classes.length === 0) return fail(ds.name, 'subset keeps no classes');
    remap = new Int16Array(256).fill(-1);
    for (let k = 0; k < opts.classes.length; k++) {
      const c = opts.classes[k];
      if (!Number.isInteger(c) || c < 0 || c >= ds.classes)
        return fail(ds.name, `class ${c} is outside the class range 0..${ds.classes - 1}`);
      if (remap[c] >= 0) return fail(ds.name, `class ${c} is listed twice`);
      remap[c] = k;
    }
  }
  const train = keep(ds.train, remap, opts.train);
  if (typeof train === 'number') return fail(ds.name, `subset asks for ${opts.train} training examples but only ${train} are available`);
  const test = keep(ds.test, remap, opts.test);
  if (typeof test === 'number') return fail(ds.name, `subset asks for ${opts.test} test examples but only ${test} are available`);
  const classes = opts.classes ? opts.classes.length : ds.classes;
  const classNames = ds.classNames && opts.classes ? opts.classes.map((c) => ds.classNames![c]) : ds.classNames;
  const parts = [
    opts.classes ? `classes ${opts.classes.join(',')}` : '',
    opts.train !== undefined ? `train ${opts.train}` : '',
    opts.test !== undefined ? `test ${opts.test}` : '',
  ].filter((s) => s);
  return {
    ok: true,
    value: makeDataset({
      name: ds.name,
      shape: ds.shape,
      classes,
      classNames,
      train,
      test,
      source: `subset of ${ds.name} (${parts.join('; ') || 'all'}) from ${ds.source}`,
    }),
  };
}

/** One example as float pixels, for `show`: data (c, h, w) in [0,1]. */
export function exampleImage(
  ds: Dataset,
  split: 'train' | 'test',
  index: number,
): { data: Float32Array; shape: Shape3; label: number; className?: string } {
  const s = ds[split];
  const size = ds.shape.c * ds.shape.h * ds.shape.w;
  const data = new Float32Array(size);
  toFloat(s, index, 1, data);
  const label = s.labels[index];
  return ds.classNames ? { data, shape: { ...ds.shape }, label, className: ds.classNames[label] } : { data, shape: { ...ds.shape }, label };
}
