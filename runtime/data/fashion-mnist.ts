// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, https://github.com/zalandoresearch/fashion-mnist) from the
// four IDX files that Debian's dataset-fashion-mnist package installs; no download. Train examples are a
// seeded pick of the 60,000-image training file; the test split is the first `test` images of the
// 10,000-image test file in its official order, so fashion.test[0] is the benchmark's test image 0.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkLabels,
  fail,
  makeDataset,
  permuteInPlace,
  pick,
  seededPermutation,
  type Dataset,
  type Result,
  type Split,
} from './dataset.js';
import { readIdxPair } from './idx.js';
import type { ReadAbort } from './read-file.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** The file as installed: gzipped by Debian, but an unpacked copy is accepted too. */
function locate(dir: string, stem: string): string {
  const plain = join(dir, stem);
  return existsSync(plain) ? plain : `${plain}.gz`;
}

/** The first n of a seeded permutation; when that is everything, reorder the file's own buffer instead of copying it. */
function choose(split: Split, n: number, seed: number): Split {
  const order = seededPermutation(split.count, seed);
  if (n < split.count) return pick(split, order.subarray(0, n));
  permuteInPlace(split, order);
  return split;
}

export interface FashionMnistOptions {
  train: number;
  test: number;
  seed: number;
  /** Directory holding the four IDX files; default the Debian package's. */
  dir?: string;
  /** Stops the reads between chunks. */
  abort?: ReadAbort;
}

export async function loadFashionMnist(opts: FashionMnistOptions): Promise<Result<Dataset>> {
  const dir = opts.dir ?? FASHION_MNIST_DIR;
  if (!existsSync(dir))
    return fail(dir, 'Fashion-MNIST directory not found (install the Debian package dataset-fashion-mnist, or give dir)');
  const files = {
    trainImages: locate(dir, 'train-images-idx3-ubyte'),
    trainLabels: locate(dir, 'train-labels-idx1-ubyte'),
    testImages: locate(dir, 't10k-images-idx3-ubyte'),
    testLabels: locate(dir, 't10k-labels-idx1-ubyte'),
  };
  const [tr, te] = await Promise.all([
    readIdxPair(files.trainImages, files.trainLabels, opts.abort),
    readIdxPair(files.testImages, files.testLabels, opts.abort),
  ]);
  if (!tr.ok) return tr;
  if (!te.ok) return te;
  for (const [r, f] of [
    [tr, files.trainImages],
    [te, files.testImages],
  ] as const) {
    if (r.value.h !== 28 || r.value.w !== 28) return fail(f, `images are ${r.value.h}×${r.value.w}, Fashion-MNIST's are 28×28`);
  }
  const all = { train: tr.value.split, test: te.value.split };
  if (!Number.isInteger(opts.train) || opts.train < 0 || opts.train > all.train.count)
    return fail(files.trainImages, `asked for ${opts.train} training examples; the training file holds ${all.train.count}`);
  if (!Number.isInteger(opts.test) || opts.test < 0 || opts.test > all.test.count)
    return fail(files.testImages, `asked for ${opts.test} test examples; the test file holds ${all.test.count}`);
  const bad = checkLabels(all.train, 10, files.trainLabels) ?? checkLabels(all.test, 10, files.testLabels);
  if (bad) return { ok: false, error: bad };
  const train = choose(all.train, opts.train, opts.seed);
  const test =
    opts.test < all.test.count
      ? pick(
          all.test,
          Uint32Array.from({ length: opts.test }, (_, i) => i),
        )
      : all.test;
  return {
    ok: true,
    value: makeDataset({
      name: 'fashion_mnist',
      shape: { c: 1, h: 28, w: 28 },
      classes: 10,
      classNames: [...FASHION_CLASS_NAMES],
      train,
      test,
      source: `Fashion-MNIST IDX files in ${dir}`,
    }),
  };
}
