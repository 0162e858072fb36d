// Static vega plots: image/png always (sized for a narrow output area, not blank), and the SVG on request
// parses as XML and holds one line per series, legend text and marks.
import { describe, expect, it } from 'vitest';
import { compareRunsPlot, lrTicks, schedulePlot, seriesPlot, trainingCurvesPlot } from '../../render/plot.js';
import type { RunHistory } from '../../render/run-history.js';
import { checkXml, decodePng } from './helpers.js';

/** Series names of the drawn lines, read from vega's aria labels (one path per series). */
function lineSeries(svg: string): string[] {
  return [...svg.matchAll(/<path aria-label="[^"]*series: ([^";]*)"[^>]*aria-roledescription="line mark"/g)].map((m) => m[1]);
}

function run(n: number, slope: number, val = true): RunHistory {
  const steps = Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    epoch: Math.floor(i / 100),
    loss: 2 / (1 + (slope * i) / 50),
    acc: 0.5,
    lr: 0.01,
  }));
  const evals = [0.8, 0.9, 0.95, 0.94, 0.93, 0.92].map((v, i) => ({
    step: (i + 1) * 100,
    epoch: i,
    train: { loss: 0.5 - i * 0.05, acc: 0.8 + i * 0.03 },
    ...(val ? { val: { loss: 0.5 + i * 0.01, acc: v } } : { test: { loss: 0.5, acc: v } }),
  }));
  return { steps, evals };
}

describe('trainingCurvesPlot', () => {
  it('draws loss and accuracy series with the overfitting and restore marks', async () => {
    const b = await trainingCurvesPlot(
      { ...run(600, 1), earlyStop: { step: 600, bestStep: 300, restored: true } },
      { title: 'lenet', svg: true },
    );
    const svg = b['image/svg+xml'] as string;
    checkXml(svg);
    expect(lineSeries(svg)).toEqual(['batch loss (avg 13)', 'train loss (eval)', 'val loss', 'train acc', 'val acc']);
    expect(svg).toContain('overfitting since step 300');
    expect(svg).toContain('restored step 300');
    expect(b['text/plain']).toContain('val acc: 6 points, last 92.0% at 600, min 80.0% at 100, max 95.0% at 300');
    expect(Object.keys(b).filter((k) => k.includes('vegalite'))).toEqual([]);
  });
  it('is a PNG narrow enough for a 760 px window, with ink on it, and no SVG unless asked', async () => {
    const b = await trainingCurvesPlot(
      { ...run(600, 1), earlyStop: { step: 600, bestStep: 300, restored: true } },
      { title: 'lenet · run 1' },
    );
    expect(Object.keys(b).sort()).toEqual(['image/png', 'text/plain']);
    const png = decodePng(b['image/png'] as string);
    expect(png.width).toBeLessThanOrEqual(620);
    expect(png.height).toBeGreaterThan(300); // loss above accuracy
    let ink = 0;
    for (let y = 0; y < png.height; y += 2) for (let x = 0; x < png.width; x += 2) if (png.px(x, y).some((c) => c < 200)) ink++;
    expect(ink).toBeGreaterThan(500);
  });
  it('attaches the vega-lite spec on request', async () => {
    const b = await trainingCurvesPlot(run(50, 1), { interactive: true });
    expect(b['application/vnd.vegalite.v5+json']).toMatchObject({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      vconcat: [{ title: { text: ['loss'] } }, { title: { text: ['accuracy'] } }],
    });
  });
});

describe('other plots', () => {
  it('overlays runs with one legend entry each', async () => {
    const b = await compareRunsPlot(
      [
        { label: 'sgd', history: run(300, 0.5) },
        { label: 'adam', history: run(300, 2) },
        { label: 'adamw', history: run(300, 3) },
      ],
      'val_accuracy',
      { svg: true },
    );
    const svg = b['image/svg+xml'] as string;
    checkXml(svg);
    expect(lineSeries(svg)).toEqual(['sgd', 'adam', 'adamw']);
    for (const l of ['sgd', 'adam', 'adamw']) expect(svg).toMatch(new RegExp(`<text[^>]*>${l}</text>`));
    expect(svg).toContain('role-legend');
  });
  it('plots a schedule on a log axis when it spans decades', async () => {
    const pts = Array.from({ length: 100 }, (_, i) => [i, 0.1 * 0.95 ** i] as [number, number]);
    const b = await schedulePlot(pts, { svg: true });
    checkXml(b['image/svg+xml'] as string);
    expect(lineSeries(b['image/svg+xml'] as string)).toEqual(['lr']);
    expect(b['image/svg+xml']).not.toContain('role-legend'); // one series, no legend
    expect(b['text/plain']).toContain('lr: 100 points, last 0.0006232 at 99');
    expect(b['image/svg+xml']).toContain('learning rate (log scale)');
    expect(b['image/svg+xml']).toMatch(/<text[^>]*>0\.1<\/text>/); // a tick at η₀
  });
  it('wraps a long title instead of widening the figure past the output area', async () => {
    const title = 'plateau schedule from η₀ = 0.1 (drawn with no evaluations: it only drops when the validation error stalls)';
    const b = await schedulePlot(
      [
        [0, 0.1],
        [100, 0.1],
      ],
      { title, svg: true },
    );
    expect(decodePng(b['image/png'] as string).width).toBeLessThanOrEqual(620);
    expect(b['image/svg+xml']).toContain('it only drops when the validation error stalls)');
  });
  it('puts a tick at η₀ on either axis and keeps round ticks away from it', () => {
    expect(lrTicks(0.0006, 0.1, true, 0.1)).toEqual([0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1]);
    expect(lrTicks(1e-7, 0.03, true, 0.03)).toEqual([1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.03]);
    expect(lrTicks(0, 0.03, false, 0.03)).toContain(0.03);
    expect(lrTicks(0, 0.03, false, 0.03).filter((t) => t !== 0.03 && Math.abs(t - 0.03) < 0.0024)).toEqual([]);
  });
  it('centres a valid moving average under the series', async () => {
    const b = await seriesPlot([1, 2, 3, 4, 5], [2, 3, 4], { svg: true });
    expect(lineSeries(b['image/svg+xml'] as string)).toEqual(['series', 'moving average']);
    expect(b['text/plain']).toContain('moving average: 3 points, last 4 at 3, min 2 at 1');
  });
});

describe('validation and test together', () => {
  it('adds a test accuracy series', async () => {
    const h = run(100, 1);
    h.evals = h.evals.map((e) => ({ ...e, test: { loss: 0.4, acc: 0.85 } }));
    const b = await trainingCurvesPlot(h, { svg: true });
    expect(lineSeries(b['image/svg+xml'] as string)).toEqual([
      'batch loss (avg 3)',
      'train loss (eval)',
      'val loss',
      'train acc',
      'val acc',
      'test acc',
    ]);
  });
});

describe('uniqueIds', () => {
  it('gives two different plots disjoint clip ids that still resolve', async () => {
    const a = (await seriesPlot([1, 2, 3], [2], { svg: true }))['image/svg+xml'] as string;
    const b = (await seriesPlot([3, 2, 1], [2], { svg: true }))['image/svg+xml'] as string;
    const ids = (svg: string) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    const refs = (svg: string) => [...svg.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).filter((x) => ids(b).includes(x))).toEqual([]);
    for (const svg of [a, b]) for (const r of refs(svg)) expect(ids(svg)).toContain(r);
  });
});
