// Model summary totals and memory, evaluation tables, the labelled confusion PNG, misclassified grid.
import { describe, expect, it } from 'vitest';
import { colorAt } from '../../render/colormaps.js';
import { confusionSvg, evaluationBundle, summaryBundle, summaryTotals } from '../../render/tables.js';
import { dataUris, decodePng } from './helpers.js';

const lenet = {
  name: 'lenet',
  input: { c: 1, h: 28, w: 28 },
  info: [
    { name: 'conv1', kind: 'conv2d', out: { c: 6, h: 24, w: 24 }, params: 156, macs: 86400, receptive: [5, 5] as [number, number] },
    { name: 'pool1', kind: 'maxpool', out: { c: 6, h: 12, w: 12 }, params: 0, macs: 0, receptive: [6, 6] as [number, number] },
    { name: 'conv2', kind: 'conv2d', out: { c: 16, h: 8, w: 8 }, params: 2416, macs: 153600, receptive: [14, 14] as [number, number] },
    { name: 'flatten1', kind: 'flatten', out: { c: 1024, h: 1, w: 1 }, params: 0, macs: 0, receptive: [14, 14] as [number, number] },
    { name: 'dense1', kind: 'dense', out: { c: 10, h: 1, w: 1 }, params: 10250, macs: 10240, receptive: [28, 28] as [number, number] },
  ],
};

describe('summary', () => {
  it('totals parameters, mult-adds and the memory estimate', () => {
    const t = summaryTotals(lenet);
    expect(t).toEqual({ params: 12822, macs: 250240, activations: 7162, paramBytes: 51288, trainBytes: 4 * (12822 * 4 + 32 * 2 * 7162) });
  });
  it('lists every layer in HTML and text with the totals', () => {
    const b = summaryBundle(lenet);
    const text = b['text/plain'] as string;
    expect(text).toContain('model lenet: 5 layers, 12,822 parameters, 250,240 mult-adds per example');
    expect(text).toMatch(/conv2\s+conv2d\s+16×8×8\s+2,416\s+14×14\s+153,600/);
    expect(text).toMatch(/dense1\s+dense\s+10\s+10,250/);
    expect(text).toContain('training memory ≈ 1.9 MiB at batch 32');
    expect(text).toContain('batch 32 and Adam assumed until the model is trained');
    const html = b['text/html'] as string;
    expect(html).toContain('<td style="border:1px solid #ccc;padding:2px 6px;text-align:right">12,822</td>');
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 1 + 5 + 1);
  });
});

describe('summary after training', () => {
  it('quotes the memory at the batch and optimizer of the last run', () => {
    const text = summaryBundle({ ...lenet, batch: 64, optimizerSlots: 1, memoryFrom: 'its last run (sgd)' })['text/plain'] as string;
    expect(text).toContain(
      `at batch 64 (weights, gradients, 1 optimizer slot, activations forward and backward; batch and optimizer of its last run (sgd))`,
    );
    expect(text).not.toContain('assumed');
  });
});

describe('evaluation', () => {
  const confusion = [
    [5, 1, 0],
    [0, 4, 2],
    [1, 0, 7],
  ];
  const mis = [
    { data: new Float32Array(4).fill(1), actual: 0, predicted: 1, index: 12 },
    { data: new Float32Array(4), actual: 1, predicted: 2, index: 40 },
  ];
  const b = evaluationBundle({
    model: 'm',
    data: 'd',
    split: 'test',
    accuracy: 16 / 20,
    loss: 0.5123,
    classNames: ['a', 'b', 'c'],
    confusion,
    misclassified: mis,
    shape: { c: 1, h: 2, w: 2 },
  });
  const text = b['text/plain'] as string;
  const html = b['text/html'] as string;

  it('reports overall and per-class accuracy with the most common confusion', () => {
    expect(text).toContain('m on d.test: accuracy 80.00%, loss 0.5123, 20 examples');
    expect(text).toMatch(/a\s+6\s+5\s+83\.33%\s+b \(1\)/);
    expect(text).toMatch(/b\s+6\s+4\s+66\.67%\s+c \(2\)/);
    expect(text).toMatch(/c\s+8\s+7\s+87\.50%\s+a \(1\)/);
  });
  it('shows the confusion matrix as a labelled PNG, in HTML as an <img>, with no style-only shading', () => {
    expect(html).not.toContain('background:rgb');
    expect(html).not.toContain('<svg');
    const uris = dataUris(html);
    expect(uris[0]).toBe(b['image/png']);
    expect(html).toMatch(/alt="confusion matrix: m on d\.test; rows actual, columns predicted"/);
  });
  it('draws title, class labels, counts and a shade legend into the PNG', () => {
    const svg = confusionSvg(confusion, ['a', 'b', 'c'], 'confusion matrix: m on d.test');
    expect(svg).toContain('>confusion matrix: m on d.test</text>');
    for (const t of ['>predicted<', '>actual<', '>a<', '>b<', '>c<', '>7<', '>5<', 'shade = share of the actual class (row)'])
      expect(svg).toContain(t);
    // The cell for (c, c) is shaded 7/8 of the way along the blues map.
    expect(svg).toContain(`fill="rgb(${colorAt('blues', 7 / 8).join(',')})" stroke="#555"`);
    const png = decodePng(b['image/png'] as string);
    expect(png.width).toBeGreaterThanOrEqual(300);
    // Find the darkest cell colour in the PNG: the (c, c) shade.
    const target = colorAt('blues', 7 / 8);
    let found = false;
    for (let y = 0; y < png.height && !found; y += 2)
      for (let x = 0; x < png.width && !found; x += 2) found = png.px(x, y).every((v, i) => Math.abs(v - target[i]) <= 1);
    expect(found).toBe(true);
  });
  it('shows the misclassified examples with actual → predicted captions', () => {
    expect(html).toContain('#12 a→b');
    expect(html).toContain('#40 b→c');
    expect(dataUris(html)).toHaveLength(3); // the confusion PNG and the two examples
    expect(text).toContain('misclassified: 2');
  });
  it('says how many were misclassified in all when given only the first few', () => {
    const e = evaluationBundle({
      model: 'm',
      data: 'd',
      split: 'test',
      accuracy: 0.8,
      loss: 0.5,
      classNames: ['a', 'b', 'c'],
      confusion,
      misclassified: mis,
      misclassifiedTotal: 4,
      shape: { c: 1, h: 2, w: 2 },
    });
    expect(e['text/plain']).toContain('misclassified: 4 (showing 2)');
  });
  it('keeps many classes readable: labels turned, counts left to the text', () => {
    const k = 40;
    const big = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 9 : 1)));
    const e = evaluationBundle({
      model: 'm',
      data: 'd',
      split: 'test',
      accuracy: 0.5,
      loss: 1,
      classNames: big.map((_, i) => `c${i}`),
      confusion: big,
    });
    expect(dataUris(e['text/html'] as string)).toEqual([e['image/png']]);
    const svg = confusionSvg(
      big,
      big.map((_, i) => `c${i}`),
      't',
    );
    expect(svg).toMatch(/rotate\(-90\)" text-anchor="start">c39<\/text>/);
    expect(svg).toContain('counts in the text');
    expect(e['text/plain']).toMatch(/c39(\s+1){39}\s+9/);
  });
});
