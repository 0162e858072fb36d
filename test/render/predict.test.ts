// The prediction display: classes by probability, bar widths, verdict and the true-class mark.
import { describe, expect, it } from 'vitest';
import { predictionBundle } from '../../render/predict.js';
import { dataUris, decodePng } from './helpers.js';

describe('predictionBundle', () => {
  const b = predictionBundle({
    data: new Float32Array(4).fill(1),
    shape: { c: 1, h: 2, w: 2 },
    probs: [0.1, 0.7, 0.05, 0.15],
    classNames: ['zero', 'one', 'two', 'three'],
    actual: 3,
    title: 'lenet on d.test[4]',
    top: 3,
  });
  const html = b['text/html'] as string;

  it('lists the top classes most probable first with proportional bars', () => {
    expect(b['text/plain']).toBe(
      [
        'lenet on d.test[4]: predicted one (70.0%), true three — wrong',
        '  one ██████████████       70.0%',
        'three ███                  15.0%  (true)',
        ' zero ██                   10.0%',
      ].join('\n'),
    );
    expect(html).toMatch(/alt="class probabilities: one 70\.0%, three 15\.0%, zero 10\.0%"/);
    expect(html).not.toContain('width:70.0%'); // no bar carried by an inline style a sanitiser strips
  });
  it('draws the bars into a PNG, proportional and coloured (top blue, true class green)', () => {
    const png = decodePng(b['image/png'] as string);
    expect(dataUris(html)[1]).toBe(b['image/png']);
    const x0 = 65; // label column: 16 + 7 × "three ✓".length
    const rowY = (i: number) => 4 + 18 * i + 8;
    expect(png.px(x0 + 130, rowY(0))).toEqual([59, 130, 246]); // 0.70 × 200 px = 140 px of blue
    expect(png.px(x0 + 150, rowY(0))).toEqual([241, 241, 241]);
    expect(png.px(x0 + 25, rowY(1))).toEqual([34, 160, 90]); // 0.15 → 30 px of green
    expect(png.px(x0 + 35, rowY(1))).toEqual([241, 241, 241]);
    expect(png.height).toBe(3 * 18 + 8);
  });
  it('shows the image', () => {
    const png = decodePng(dataUris(html)[0]);
    expect([png.width, png.height, png.px(0, 0)[0]]).toEqual([112, 112, 255]);
  });
});
