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
      ['lenet on d.test[4]: predicted one (70.0%), true three — wrong', '  one ██████████████       70.0%', 'three ███                  15.0%  (true)', ' zero ██                   10.0%'].join('\n'),
    );
    expect(html.indexOf('>one<')).toBeLessThan(html.indexOf('>three ✓<'));
    expect(html).toContain('width:70.0%;height:12px;background:#3b82f6');
    expect(html).toContain('width:15.0%;height:12px;background:#22a05a');
    expect(html).not.toContain('>two<');
  });
  it('shows the image', () => {
    const png = decodePng(dataUris(html)[0]);
    expect([png.width, png.height, png.px(0, 0)[0]]).toEqual([112, 112, 255]);
  });
});
