// Grids, filters, feature maps, single images and labelled samples: decode the PNG and look at pixels.
import { describe, expect, it } from 'vitest';
import { balancedColumns, featureMapsImage, filtersImage, imageBundle, samplesBundle, tileGrid } from '../../render/grid.js';
import { tileOrigin } from '../../render/labelled-grid.js';
import { createRaster } from '../../render/png.js';
import { dataUris, decodePng } from './helpers.js';

describe('tileGrid', () => {
  it('lays tiles row-major with padding', () => {
    const tiles = [0, 1, 2, 3, 4].map((i) => createRaster(4, 3, [i * 10, 0, 0]));
    const g = tileGrid(tiles, { cols: 3, pad: 1 });
    expect([g.width, g.height]).toEqual([1 + 3 * 5, 1 + 2 * 4]);
    const at = (x: number, y: number) => g.rgb[(y * g.width + x) * 3];
    expect(at(1, 1)).toBe(0);
    expect(at(6, 1)).toBe(10); // second tile
    expect(at(6, 5)).toBe(40); // fifth tile: row 2, column 2
    expect(at(0, 0)).toBe(255); // padding stays background
    expect(at(11, 5)).toBe(255); // the empty sixth cell
  });
});

describe('filtersImage', () => {
  // 4 filters of 1×5×5; filter 2 holds the largest positive weight at (1, 3), filter 3 the most negative at (4, 0).
  const w = new Float32Array(4 * 25).map((_, i) => Math.sin(i) * 0.1);
  w[2 * 25 + 1 * 5 + 3] = 0.9;
  w[3 * 25 + 4 * 5 + 0] = -0.9;
  const b = filtersImage(w, [4, 1, 5, 5], { layer: 'conv1' });

  it('makes a 2×2 grid of 120 px tiles (24 px per weight) with the extreme weights at full saturation', () => {
    const png = decodePng(b['image/png'] as string);
    const t2 = tileOrigin(2, 2, 120, 120);
    const t3 = tileOrigin(3, 2, 120, 120);
    expect(png.width).toBeGreaterThanOrEqual(6 + 2 * 126);
    // tile 2: weight (1,3) covers 24 px blocks at x 72..95, y 24..47.
    expect(png.px(t2.x + 3 * 24 + 10, t2.y + 1 * 24 + 10)).toEqual([255, 0, 0]);
    // tile 3: weight (4,0).
    expect(png.px(t3.x + 10, t3.y + 4 * 24 + 10)).toEqual([0, 0, 255]);
    expect(png.px(t3.x - 1, t3.y + 50)).toEqual([160, 160, 160]); // grey frame, not white (white is 0)
    // any other weight is paler (|w| ≤ 0.1 of 0.9).
    const t0 = tileOrigin(0, 2, 120, 120);
    const [r, g] = png.px(t0.x + 10, t0.y + 10);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(200);
  });
  it('numbers the tiles and draws a colour bar from −max to +max under them', () => {
    const png = decodePng(b['image/png'] as string);
    const t0 = tileOrigin(0, 2, 120, 120);
    // Dark label text in the band above tile 0.
    let dark = 0;
    for (let y = t0.y - 14; y < t0.y - 1; y++) for (let x = t0.x + 50; x < t0.x + 70; x++) if (png.px(x, y)[0] < 120) dark++;
    expect(dark).toBeGreaterThan(5);
    // The bar below the grid runs blue → white → red.
    const barY = tileOrigin(2, 2, 120, 120).y + 120 + 6 + 4 + 6;
    expect(png.px(6 + 2, barY)[2]).toBeGreaterThan(200);
    expect(png.px(6 + 2, barY)[0]).toBeLessThan(60);
    expect(png.px(6 + 197, barY)[0]).toBeGreaterThan(200);
    expect(png.px(6 + 197, barY)[2]).toBeLessThan(60);
    expect(b['text/plain']).toContain('numbered from 0');
  });
  it('says what it shows in text/plain and HTML, and embeds the same PNG', () => {
    expect(b['text/plain']).toContain('conv1: 4 filters of 1×5×5');
    expect(b['text/plain']).toContain('max 0.9');
    expect(dataUris(b['text/html'] as string)).toEqual([b['image/png']]);
  });
  it('shows RGB filters in colour and all channels on request', () => {
    const rgb = new Float32Array(2 * 3 * 9);
    rgb[0 * 9 + 4] = 1; // filter 0, red channel, centre
    const png = decodePng(filtersImage(rgb, [2, 3, 3, 3])['image/png'] as string);
    const t0 = tileOrigin(0, 2, 120, 120);
    const [r, g, bl] = png.px(t0.x + 60, t0.y + 60); // centre pixel of the first tile (40 px per weight)
    expect(r).toBe(255);
    expect(g).toBe(128);
    expect(bl).toBe(128);
    const all = filtersImage(new Float32Array(2 * 4 * 9), [2, 4, 3, 3], { channels: 'all' });
    const allPng = decodePng(all['image/png'] as string);
    expect(allPng.width).toBeLessThanOrEqual(620); // 4 channels across, rows labelled "filter f"
    expect(allPng.height).toBeGreaterThan(2 * 120);
    expect(all['text/plain']).toContain('one row per filter, one tile per input channel');
  });
});

describe('featureMapsImage', () => {
  it('caps tiles and down-samples big maps, and says so', () => {
    const act = new Float32Array(100 * 200 * 200).map((_, i) => i % 7);
    const b = featureMapsImage(act, { c: 100, h: 200, w: 200 }, { layer: 'conv1' });
    const text = b['text/plain'] as string;
    expect(text).toContain('showing 64 of 100 maps');
    expect(text).toContain('down-sampled 3×');
    const png = decodePng(b['image/png'] as string);
    expect(png.width).toBeLessThanOrEqual(620);
    expect((b['image/png'] as string).length + (b['text/html'] as string).length).toBeLessThan(2_000_000);
  });
  it("puts each map's maximum at the bright end of viridis and flags constant maps", () => {
    const act = new Float32Array(2 * 4 * 4);
    act[5] = 3; // map 0 (1,1)
    const b = featureMapsImage(act, { c: 2, h: 4, w: 4 });
    const png = decodePng(b['image/png'] as string);
    // 4×4 maps drawn at 112 px (28 px per value), two columns.
    const t0 = tileOrigin(0, 2, 112, 112);
    expect(png.px(t0.x + 28 + 10, t0.y + 28 + 10)).toEqual([253, 231, 37]);
    expect(png.px(t0.x + 5, t0.y + 5)).toEqual([68, 1, 84]);
    expect(b['text/plain']).toContain('1 constant map');
    expect(b['text/plain']).toContain('map 0: min 0  max 3');
  });
});

describe('images and samples', () => {
  it('shows one image with its label', () => {
    const img = new Float32Array(28 * 28);
    img[0] = 1;
    const b = imageBundle(img, { c: 1, h: 28, w: 28 }, '7');
    const png = decodePng(b['image/png'] as string);
    expect([png.width, png.height]).toEqual([112, 112]);
    expect(png.px(0, 0)).toEqual([255, 255, 255]);
    expect(png.px(5, 5)).toEqual([0, 0, 0]);
    expect(b['text/plain']).toContain('label 7');
  });
  it('keeps sample labels as text in HTML and text/plain', () => {
    const s = [0, 1, 2].map((i) => ({ data: new Float32Array(4).fill(i / 2), caption: `digit ${i}` }));
    const b = samplesBundle(s, { c: 1, h: 2, w: 2 }, 'samples', { cols: 2 });
    const html = b['text/html'] as string;
    expect(html).toContain('digit 2');
    expect((html.match(/<tr>/g) ?? []).length).toBe(2);
    expect(dataUris(html).map((u) => decodePng(u).px(0, 0)[0])).toEqual([0, 128, 255]);
    expect(b['text/plain']).toBe('samples\n[0] digit 0\n[1] digit 1\n[2] digit 2');
  });
});

describe('sample grid layout', () => {
  it('balances rows (9 → 5 + 4) and keeps 32 captioned images within 600 px', () => {
    expect(balancedColumns(9, 8)).toBe(5);
    expect(balancedColumns(16, 10)).toBe(8);
    expect(balancedColumns(3, 10)).toBe(3);
    const s = Array.from({ length: 32 }, (_, i) => ({ data: new Float32Array(28 * 28), caption: `#${1000 + i} 7→2` }));
    const html = samplesBundle(s, { c: 1, h: 28, w: 28 }, 'misclassified')['text/html'] as string;
    const firstRow = /<tr>([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';
    const cols = (firstRow.match(/<td/g) ?? []).length;
    expect(cols * (9 * 7.2 + 16)).toBeLessThanOrEqual(600);
    expect(cols).toBeGreaterThanOrEqual(4);
  });
});

describe('samples cap', () => {
  it('shows at most MAX_SAMPLES images and says so', async () => {
    const { MAX_SAMPLES } = await import('../../render/grid.js');
    const s = Array.from({ length: MAX_SAMPLES + 50 }, (_, i) => ({ data: new Float32Array(4), caption: String(i) }));
    const b = samplesBundle(s, { c: 1, h: 2, w: 2 }, 'many');
    expect(dataUris(b['text/html'] as string)).toHaveLength(MAX_SAMPLES);
    expect(b['text/plain']).toContain(`many (showing the first ${MAX_SAMPLES} of ${MAX_SAMPLES + 50})`);
  });
});

describe('dense layer outputs', () => {
  it('shows the units together on one scale instead of flat 1×1 tiles', () => {
    const act = Float32Array.from([0, 1, 2, 3, 4]);
    const b = featureMapsImage(act, { c: 5, h: 1, w: 1 }, { layer: 'm.dense1' });
    const png = decodePng(b['image/png'] as string);
    // 5 units → 2 rows × 3 columns, 80 px per unit, below a label line
    const o = tileOrigin(0, 1, 240, 160);
    expect(png.px(o.x + 10, o.y + 10)).toEqual([68, 1, 84]); // unit 0: the minimum
    expect(png.px(o.x + 90, o.y + 90)).toEqual([253, 231, 37]); // unit 4 at row 1, column 1: the maximum
    expect(png.px(o.x + 170, o.y + 90)).toEqual([255, 255, 255]); // padding after the last unit
    expect(b['text/plain']).toContain('m.dense1: 5 units, row-major in 2×3, one shared scale 0..4 (viridis); largest: unit 4 (4)');
  });
});
