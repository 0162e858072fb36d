// Colour maps, scaling, upscaling and PNG round-trips.
import { describe, expect, it } from 'vitest';
import { colorAt } from '../../render/colormaps.js';
import { downsample, mapToRaster, pngBase64, upscale, upscaleFactor, valueRange } from '../../render/png.js';
import { decodePng } from './helpers.js';

describe('colour maps', () => {
  it('bwr puts 0 (mid-range) at white and the ends at blue and red', () => {
    expect(colorAt('bwr', 0.5)).toEqual([255, 255, 255]);
    expect(colorAt('bwr', 0)).toEqual([0, 0, 255]);
    expect(colorAt('bwr', 1)).toEqual([255, 0, 0]);
  });
  it('viridis grows in lightness from dark to bright', () => {
    const lum = (t: number) => {
      const [r, g, b] = colorAt('viridis', t);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let t = 0; t < 1; t += 0.05) expect(lum(t + 0.05)).toBeGreaterThan(lum(t));
  });
  it('flags non-finite values in magenta', () => {
    expect(colorAt('gray', NaN)).toEqual([255, 0, 255]);
  });
});

describe('scaling', () => {
  it('symmetric range is ±max|v|', () => {
    expect(valueRange([-0.2, 0.5, 0.1], 'symmetric')).toEqual({ lo: -0.5, hi: 0.5 });
  });
  it('a constant image does not divide by zero', () => {
    const r = mapToRaster([3, 3, 3, 3], 2, 2, 'gray', 'minmax');
    expect([...r.rgb.slice(0, 3)]).toEqual([128, 128, 128]);
  });
  it('minmax maps min to black and max to white', () => {
    const r = mapToRaster([2, 4, 6, 8], 2, 2, 'gray', 'minmax');
    expect([...r.rgb.slice(0, 3)]).toEqual([0, 0, 0]);
    expect([...r.rgb.slice(9, 12)]).toEqual([255, 255, 255]);
  });
});

describe('PNG encoding', () => {
  it('round-trips size and pixels, with nearest-neighbour upscaling to ≥ 40 px', () => {
    const data = Array.from({ length: 25 }, (_, i) => i);
    const f = upscaleFactor(5, 5, 40);
    expect(f).toBe(8);
    const png = decodePng(pngBase64(upscale(mapToRaster(data, 5, 5, 'gray', 'minmax'), f)));
    expect([png.width, png.height]).toEqual([40, 40]);
    expect(png.px(0, 0)).toEqual([0, 0, 0]);
    expect(png.px(39, 39)).toEqual([255, 255, 255]);
    // Pixel (9, 0) lies in source column 1 → value 1/24 of the way up.
    expect(png.px(9, 0)).toEqual(png.px(15, 7));
    expect(png.px(9, 0)[0]).toBe(Math.round(255 / 24));
  });
  it('downsample averages blocks', () => {
    const d = downsample([1, 3, 5, 7], 2, 2, 2);
    expect([d.h, d.w, d.data[0]]).toEqual([1, 1, 4]);
  });
});
