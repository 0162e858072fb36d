// Shape inference: LeNet-5 figures computed by hand, same padding, and the empty-output message.
import { describe, expect, it } from 'vitest';
import { inferShapes, samePadding } from '../../runtime/shapes.js';
import type { LayerSpec, ModelSpec } from '../../runtime/spec.js';

const zero = { mode: 'zero' as const, top: 0, bottom: 0, left: 0, right: 0 };
const lenet: LayerSpec[] = [
  { kind: 'conv2d', name: 'conv1', filters: 6, kernel: [5, 5], stride: [1, 1], padding: zero, activation: 'relu', init: 'he' },
  { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
  { kind: 'conv2d', name: 'conv2', filters: 16, kernel: [5, 5], stride: [1, 1], padding: zero, activation: 'relu', init: 'he' },
  { kind: 'avgpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
  { kind: 'dense', name: 'dense1', units: 120, activation: 'relu', init: 'he' },
  { kind: 'dense', name: 'dense2', units: 84, activation: 'relu', init: 'he' },
  { kind: 'dense', name: 'dense3', units: 10, activation: 'softmax', init: 'glorot' },
];
const model = (layers: LayerSpec[], h = 32, w = 32, c = 1): ModelSpec => ({
  name: 'm',
  input: { c, h, w },
  layers,
  loss: 'cross_entropy',
  frozen: [],
});

describe('inferShapes', () => {
  it('gives LeNet-5 shapes, parameters, multiply-adds and receptive fields', () => {
    const r = inferShapes(model(lenet));
    if (!r.ok) throw new Error(r.message);
    expect(r.layers.map((l) => [l.out.c, l.out.h, l.out.w])).toEqual([
      [6, 28, 28],
      [6, 14, 14],
      [16, 10, 10],
      [16, 5, 5],
      [120, 1, 1],
      [84, 1, 1],
      [10, 1, 1],
    ]);
    expect(r.layers.map((l) => l.params)).toEqual([156, 0, 2416, 0, 48120, 10164, 850]);
    expect(r.layers.map((l) => l.macs)).toEqual([117600, 0, 240000, 0, 48000, 10080, 840]);
    expect(r.layers.map((l) => l.receptive[0])).toEqual([5, 6, 14, 16, 32, 32, 32]);
  });

  it('uses asymmetric padding and per-axis strides', () => {
    const conv: LayerSpec = {
      kind: 'conv2d',
      name: 'c',
      filters: 4,
      kernel: [2, 3],
      stride: [2, 1],
      padding: { mode: 'replicate', top: 1, bottom: 0, left: 2, right: 1 },
      activation: 'linear',
      init: 'he',
    };
    const r = inferShapes(model([conv], 7, 6, 3));
    if (!r.ok) throw new Error(r.message);
    // H: floor((7+1-2)/2)+1 = 4; W: floor((6+3-3)/1)+1 = 7
    expect(r.layers[0].out).toEqual({ c: 4, h: 4, w: 7 });
    expect(r.layers[0].params).toBe(4 * 3 * 2 * 3 + 4);
    expect(r.layers[0].receptive).toEqual([2, 3]);
  });

  it('flattens explicitly and batch-norm counts two parameters per channel', () => {
    const r = inferShapes(
      model(
        [
          { kind: 'batchnorm', name: 'bn', momentum: 0.1, eps: 1e-5 },
          { kind: 'flatten', name: 'flat' },
          { kind: 'dropout', name: 'drop', rate: 0.5 },
          { kind: 'dense', name: 'd', units: 3, activation: 'linear', init: 'glorot' },
        ],
        4,
        5,
        2,
      ),
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.layers.map((l) => l.out)).toEqual([
      { c: 2, h: 4, w: 5 },
      { c: 40, h: 1, w: 1 },
      { c: 40, h: 1, w: 1 },
      { c: 3, h: 1, w: 1 },
    ]);
    expect(r.layers.map((l) => l.params)).toEqual([4, 0, 0, 123]);
    expect(r.layers[3].receptive).toEqual([4, 5]);
  });

  it('reports the first layer whose output is empty, with the sizes', () => {
    const r = inferShapes(model(lenet, 12, 12));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.layer).toBe(2);
    expect(r.message).toContain('conv2');
    expect(r.message).toContain('6×4×4');
    expect(r.message).toContain('5×5');
  });
});

describe('samePadding', () => {
  it('keeps ceil(in/stride) outputs with the odd pixel at bottom/right', () => {
    expect(samePadding(28, 28, [3, 3], [1, 1])).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    expect(samePadding(5, 7, [2, 3], [2, 2])).toEqual({ top: 0, bottom: 1, left: 1, right: 1 });
    expect(samePadding(4, 4, [1, 1], [2, 2])).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
    expect(samePadding(6, 6, [4, 4], [1, 1])).toEqual({ top: 1, bottom: 2, left: 1, right: 2 });
  });
});
