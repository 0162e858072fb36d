// runtime/filters.ts against PyTorch: depthwise F.conv2d with explicit zero/replicate padding and
// strides, max/avg pooling, F.conv1d and numpy.convolve. Fixture: scripts/fixtures/make_filter_fixtures.py
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convolve1d, convolve2d, pool2d, trueConvolve1d, type Kernel, type Padding, type Planes } from '../../runtime/filters.js';

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/torch/filters.json', import.meta.url), 'utf8')) as {
  image: T;
  kernels: Record<string, T>;
  conv2d: (T & { kernel: string; padding: Padding; stride: [number, number] })[];
  pool2d: (T & { mode: 'max' | 'avg'; size: [number, number]; stride: [number, number] })[];
  conv1d: { series: number[]; kernel: number[]; correlation: number[]; numpy_convolve: number[] };
};
const [c, h, w] = fx.image.shape;
const image: Planes = { data: Float32Array.from(fx.image.data), shape: { c, h, w } };
const kernelOf = (t: T): Kernel => ({ data: Float32Array.from(t.data), h: t.shape[0], w: t.shape[1] });

function close(actual: Float32Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(actual[i] - e))));
  expect(worst).toBeLessThan(2e-6); // float32 inputs/outputs vs float64 torch
}

describe('filters vs PyTorch', () => {
  it.each(fx.conv2d.map((k) => [`${k.kernel} ${k.padding} stride ${k.stride.join('×')}`, k] as const))('convolve2d %s', (_name, k) => {
    const y = convolve2d(image, kernelOf(fx.kernels[k.kernel]), { stride: k.stride, padding: k.padding });
    expect([y.shape.c, y.shape.h, y.shape.w]).toEqual(k.shape);
    close(y.data, k.data);
  });
  it.each(fx.pool2d.map((p) => [`${p.mode} ${p.size.join('×')} stride ${p.stride.join('×')}`, p] as const))('pool2d %s', (_name, p) => {
    const y = pool2d(image, p.mode, p.size, p.stride);
    expect([y.shape.c, y.shape.h, y.shape.w]).toEqual(p.shape);
    close(y.data, p.data);
  });
  it('convolve1d is F.conv1d (correlation); trueConvolve1d is numpy.convolve', () => {
    close(convolve1d(fx.conv1d.series, fx.conv1d.kernel), fx.conv1d.correlation);
    close(trueConvolve1d(fx.conv1d.series, fx.conv1d.kernel), fx.conv1d.numpy_convolve);
  });
});
