// The benchmark's images: all 60,000 Fashion-MNIST training images as bytes (seeded order), or the embedded
// MNIST digits when the Debian package is missing; batches are turned into floats in [0, 1] on demand,
// so every JS peer holds the same full training set in memory and converts only what it feeds.
import { loadFashionMnist } from '../../runtime/data/fashion-mnist.js';
import { loadMnist } from '../../runtime/data/mnist.js';
import type { Dataset } from '../../runtime/data/dataset.js';

export interface BenchData {
  dataset: Dataset;
  /** e.g. "fashion_mnist (60000 train)" or the fallback's description. */
  label: string;
}

export async function loadBenchData(seed: number): Promise<BenchData> {
  const fm = await loadFashionMnist({ train: 60000, test: 0, seed });
  if (fm.ok) return { dataset: fm.value, label: `fashion_mnist (${fm.value.train.count} train images)` };
  const m = await loadMnist({ train: 10000, test: 0, seed });
  if (!m.ok) throw new Error(`no data: ${fm.error.message}; ${m.error.message}`);
  return { dataset: m.value, label: `mnist fallback (${m.value.train.count} embedded digits; Fashion-MNIST missing: ${fm.error.message})` };
}

/** dst (n, 784) ← images [start, start + n) mod count as floats in [0, 1]. */
export function batchFloats(ds: Dataset, start: number, n: number, dst: Float32Array): void {
  const size = ds.shape.c * ds.shape.h * ds.shape.w;
  const src = ds.train.images;
  const count = ds.train.count;
  for (let k = 0; k < n; k++) {
    const from = ((start + k) % count) * size;
    const bytes = src instanceof Uint8Array;
    for (let i = 0; i < size; i++) dst[k * size + i] = bytes ? src[from + i] / 255 : src[from + i];
  }
}

/** labels [start, start + n) mod count. */
export function batchLabels(ds: Dataset, start: number, n: number, dst: Int32Array): void {
  for (let k = 0; k < n; k++) dst[k] = ds.train.labels[(start + k) % ds.train.count];
}
