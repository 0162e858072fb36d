// Convolution, pooling, moving-average and augmentation previews: tile layout, colour choice and captions.
import { describe, expect, it } from 'vitest';
import { augmentPreviewBundle } from '../../render/augment.js';
import { convolveBundle, movingAverageBundle, poolBundle } from '../../render/convolve.js';
import { dataUris, decodePng } from './helpers.js';

const img = { data: Float32Array.from({ length: 16 }, (_, i) => i / 15), shape: { c: 1, h: 4, w: 4 } };

describe('convolveBundle', () => {
  it('shows original, filter and a signed result in bwr with 0 at white', () => {
    const result = { data: Float32Array.from([-2, 0, 1, 2]), shape: { c: 1, h: 2, w: 2 } };
    const b = convolveBundle({
      input: img,
      filter: [
        [-1, 0, 1],
        [-2, 0, 2],
        [-1, 0, 1],
      ],
      filterName: 'sobel_x',
      result,
      stride: [1, 1],
      padding: 'valid',
    });
    const uris = dataUris(b['text/html'] as string);
    expect(uris).toHaveLength(3);
    const [orig, filt, res] = uris.map(decodePng);
    expect(orig.width).toBe(140);
    expect(res.width).toBe(140);
    expect(filt.width).toBe(60);
    expect(filt.px(50, 30)).toEqual([255, 0, 0]); // +2 in the middle row, right column
    expect(filt.px(30, 30)).toEqual([255, 255, 255]); // 0 is white
    expect(res.px(10, 10)).toEqual([0, 0, 255]); // −2 is full blue
    expect(res.px(80, 10)).toEqual([255, 255, 255]);
    expect(b['text/plain']).toContain('convolve: 1×4×4 image with 3×3 sobel_x (stride 1×1, padding valid) → 2×2');
    expect(b['text/plain']).toContain('blue < 0 < red');
  });
  it('keeps a non-negative result grey', () => {
    const result = { data: Float32Array.from([0, 1, 2, 4]), shape: { c: 1, h: 2, w: 2 } };
    const b = convolveBundle({
      input: img,
      filter: [
        [0.25, 0.25],
        [0.25, 0.25],
      ],
      filterName: 'box',
      result,
      stride: [2, 2],
      padding: 'valid',
    });
    const res = decodePng(dataUris(b['text/html'] as string)[2]);
    expect(res.px(139, 139)).toEqual([255, 255, 255]);
    expect(res.px(0, 0)).toEqual([0, 0, 0]);
    expect(b['text/plain']).not.toContain('blue');
  });
});

describe('poolBundle', () => {
  it('draws before and after at the same width', () => {
    const out = { data: Float32Array.from([5, 7, 13, 15].map((v) => v / 15)), shape: { c: 1, h: 2, w: 2 } };
    const b = poolBundle({ input: img, output: out, op: 'max', size: [2, 2], stride: [2, 2] });
    const [before, after] = dataUris(b['text/html'] as string).map(decodePng);
    expect(after.width).toBe(before.width);
    expect(after.px(after.width - 1, after.height - 1)).toEqual([255, 255, 255]);
    expect(b['text/plain']).toBe('max pool 2×2 stride 2×2: 4×4 → 2×2');
  });
});

describe('movingAverageBundle', () => {
  it('names a moving average and lists the result', async () => {
    const b = await movingAverageBundle([1, 2, 3, 4, 5], [1 / 3, 1 / 3, 1 / 3], [2, 3, 4]);
    expect(decodePng(b['image/png'] as string).width).toBeGreaterThan(300);
    expect(b['image/svg+xml']).toBeUndefined();
    expect(b['text/plain']).toContain('convolve1d: moving average (3)');
    expect(b['text/plain']).toContain('result: [2, 3, 4]');
  });
});

describe('augmentPreviewBundle', () => {
  it('puts the original first and every variant on one shared scale', () => {
    const orig = new Float32Array(4).fill(0.5);
    const brighter = new Float32Array(4).fill(0.75);
    const b = augmentPreviewBundle(orig, [brighter, new Float32Array(4)], { c: 1, h: 2, w: 2 }, 'brightness 0.25');
    expect(b['text/plain']).toBe(
      'augmentation preview (brightness 0.25): original and 2 variants\n[0] original\n[1] variant 1\n[2] variant 2',
    );
    const tiles = dataUris(b['text/html'] as string).map((u) => decodePng(u).px(0, 0)[0]);
    expect(tiles).toEqual([128, 192, 0]);
    const grid = decodePng(b['image/png'] as string);
    expect([grid.width, grid.height]).toEqual([3 + 3 * (84 + 3), 3 + 84 + 3]);
    expect(grid.px(3 + 87 + 1, 4)[0]).toBe(192);
  });
});
