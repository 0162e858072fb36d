// The slice of a dataset split the training code reads (structurally the data layer's Split), and the
// one conversion it needs: selected examples as floats in [0, 1] (Uint8 pixels are value/255).
import type { Shape3 } from '../spec.js';
import type { Buf } from '../types.js';

export interface SplitView {
  images: Uint8Array | Float32Array;
  labels: Uint8Array;
  count: number;
}

/** What train() needs of a dataset (runtime/data/dataset.ts's Dataset satisfies it). */
export interface DatasetView {
  name: string;
  shape: Shape3;
  classes: number;
  train: SplitView;
  test: SplitView;
}

/**
 * dst[to .. to+len) ← src[from .. from+len) as floats in [0, 1]: the one pixel conversion (a byte is v/255,
 * rounded once to dst's precision; float pixels are copied).
 */
export function unitPixels(src: Uint8Array | Float32Array, from: number, len: number, dst: Buf, to: number): void {
  if (src instanceof Float32Array) for (let i = 0; i < len; i++) dst[to + i] = src[from + i];
  else for (let i = 0; i < len; i++) dst[to + i] = src[from + i] / 255;
}

/** dst (k, c, h, w) ← examples indices[0..k) of split, as floats; `size` = c·h·w. */
export function gatherExamples(split: SplitView, indices: ArrayLike<number>, size: number, dst: Buf): void {
  for (let k = 0; k < indices.length; k++) unitPixels(split.images, indices[k] * size, size, dst, k * size);
}
