// Model summary totals and memory, evaluation tables, confusion heat maps (HTML and PNG), misclassified grid.
import { describe, expect, it } from 'vitest';
import { colorAt } from '../../render/colormaps.js';
import { evaluationBundle, summaryBundle, summaryTotals } from '../../render/tables.js';
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
    const html = b['text/html'] as string;
    expect(html).toContain('<td style="border:1px solid #ccc;padding:2px 6px;text-align:right">12,822</td>');
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 1 + 5 + 1);
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
  const b = evaluationBundle({ model: 'm', data: 'd', split: 'test', accuracy: 16 / 20, loss: 0.5123, classNames: ['a', 'b', 'c'], confusion, misclassified: mis, shape: { c: 1, h: 2, w: 2 } });
  const text = b['text/plain'] as string;
  const html = b['text/html'] as string;

  it('reports overall and per-class accuracy with the most common confusion', () => {
    expect(text).toContain('m on d.test: accuracy 80.00%, loss 0.5123, 20 examples');
    expect(text).toMatch(/a\s+6\s+5\s+83\.33%\s+b \(1\)/);
    expect(text).toMatch(/b\s+6\s+4\s+66\.67%\s+c \(2\)/);
    expect(text).toMatch(/c\s+8\s+7\s+87\.50%\s+a \(1\)/);
  });
  it('shades the confusion cells by their share of the row', () => {
    expect(html).toContain(`background:rgb(${colorAt('blues', 7 / 8).join(',')});color:#fff;outline:1px solid #555" title="7">7</td>`);
    expect(html).toContain(`background:rgb(255,255,255);color:#bbb" title="0">0</td>`);
    expect(html).toContain(`color:#000" title="1">1</td>`);
  });
  it('draws the same shades in the PNG heat map, 24 px per cell', () => {
    const png = decodePng(b['image/png'] as string);
    expect([png.width, png.height]).toEqual([72, 72]);
    expect(png.px(10, 10)).toEqual(colorAt('blues', 5 / 6));
    expect(png.px(60, 10)).toEqual([255, 255, 255]);
    expect(png.px(60, 60)).toEqual(colorAt('blues', 7 / 8));
  });
  it('shows the misclassified examples with actual → predicted captions', () => {
    expect(html).toContain('#12 a→b');
    expect(html).toContain('#40 b→c');
    expect(dataUris(html)).toHaveLength(2);
    expect(text).toContain('misclassified: 2');
  });
  it('says how many were misclassified in all when given only the first few', () => {
    const e = evaluationBundle({ model: 'm', data: 'd', split: 'test', accuracy: 0.8, loss: 0.5, classNames: ['a', 'b', 'c'], confusion, misclassified: mis, misclassifiedTotal: 4, shape: { c: 1, h: 2, w: 2 } });
    expect(e['text/plain']).toContain('misclassified: 4 (showing 2)');
  });
  it('falls back to the PNG for many classes', () => {
    const k = 40;
    const big = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 9 : 1)));
    const e = evaluationBundle({ model: 'm', data: 'd', split: 'test', accuracy: 0.5, loss: 1, classNames: big.map((_, i) => `c${i}`), confusion: big });
    expect(e['text/html']).not.toContain('title="9"');
    expect(dataUris(e['text/html'] as string)).toEqual([e['image/png']]);
  });
});
