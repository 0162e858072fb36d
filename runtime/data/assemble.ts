// The last step shared by the file loaders: check labels against the class range, make the test split
// (separate files, or a seeded fraction/count of the one pool) and seal the Dataset with its hash.
import type { Shape3 } from '../spec.js';
import { checkLabels, emptySplit, fail, makeDataset, splitSeeded, testCount, type Dataset, type Result, type Split } from './dataset.js';

export interface Assembly {
  name: string;
  source: string;
  shape: Shape3;
  /** Known class count (folder count, a fixed benchmark); otherwise inferred as max label + 1. */
  classes?: number;
  classNames?: string[];
  train: Split;
  /** File to blame for a bad training label. */
  trainFile: string;
  /** A separate test split; when given, testSize is ignored. */
  test?: Split;
  testFile?: string;
  /** Fraction (< 1) or count (≥ 1) of the pool held out as test, chosen by the seed. */
  testSize?: number;
  seed: number;
}

function maxLabel(s: Split): number {
  let m = -1;
  for (let i = 0; i < s.count; i++) if (s.labels[i] > m) m = s.labels[i];
  return m;
}

export function assemble(a: Assembly): Result<Dataset> {
  const classes = a.classes ?? Math.max(maxLabel(a.train), a.test ? maxLabel(a.test) : -1) + 1;
  if (a.train.count === 0) return fail(a.trainFile, 'contains no examples');
  const badTrain = checkLabels(a.train, classes, a.trainFile);
  if (badTrain) return { ok: false, error: badTrain };
  let train = a.train;
  let test: Split;
  if (a.test) {
    const badTest = checkLabels(a.test, classes, a.testFile ?? a.trainFile);
    if (badTest) return { ok: false, error: badTest };
    test = a.test;
  } else if (testCount(a.testSize, a.train.count) > 0) {
    const nTest = testCount(a.testSize, a.train.count);
    if (nTest >= a.train.count) return fail(a.trainFile, `test size ${a.testSize} leaves no training examples out of ${a.train.count}`);
    const s = splitSeeded(a.train, { test: nTest }, a.seed);
    if (!s.ok) return fail(a.trainFile, s.error.message);
    train = s.value.train;
    test = s.value.test;
  } else {
    // No split asked for: keep the file's order and share its buffers (the training loop shuffles).
    test = emptySplit(a.train.images instanceof Float32Array);
  }
  return {
    ok: true,
    value: makeDataset({ name: a.name, shape: a.shape, classes, classNames: a.classNames, train, test, source: a.source }),
  };
}
