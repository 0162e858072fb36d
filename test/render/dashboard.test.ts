// Overfitting detection on synthetic histories, the dashboard frame's content, size, its charts (SVG drawn,
// shipped as <img> PNGs, no inline <svg>), and the throttle.
import { describe, expect, it } from 'vitest';
import { createDashboardThrottle, dashboardCharts, dashboardFrame, lossClip, type DashboardState } from '../../render/dashboard.js';
import { detectOverfitting, movingAverage, thin, type EvalPoint, type RunHistory } from '../../render/run-history.js';
import { lineChartSvg, niceTicks, shortNumber } from '../../render/svg-chart.js';
import { checkXml, dataUris, decodePng } from './helpers.js';

/** Evaluations every 100 steps with the given held-out and train accuracies. */
function evals(val: number[], train: number[]): EvalPoint[] {
  return val.map((v, i) => ({ step: (i + 1) * 100, epoch: i, train: { loss: 1 - train[i], acc: train[i] }, val: { loss: 1 - v, acc: v } }));
}

describe('detectOverfitting', () => {
  it('flags a held-out decline over the last evaluations while training accuracy climbs, at the peak step', () => {
    const f = detectOverfitting(evals([0.8, 0.9, 0.95, 0.94, 0.93, 0.92], [0.8, 0.9, 0.96, 0.97, 0.98, 0.99]));
    expect(f).toMatchObject({ step: 300, split: 'val', metric: 'accuracy', best: 0.95, last: 0.92, trainAtBest: 0.96, trainLast: 0.99 });
  });
  it('does not call a noisy plateau on a small held-out split overfitting', () => {
    const ev = evals([0.8, 0.85, 0.87, 0.85, 0.86, 0.855], [0.8, 0.9, 0.93, 0.95, 0.96, 0.97]).map((e) => ({
      ...e,
      val: { loss: 0.4, acc: e.val!.acc },
    }));
    expect(detectOverfitting(ev)?.metric).toBe('accuracy'); // 1-point dips count when the split size is unknown
    expect(detectOverfitting(ev, { heldOutSize: 200 })).toBeUndefined(); // but are noise on 200 examples (SE ≈ 2.4 points)
    expect(detectOverfitting(ev, { heldOutSize: 1_000_000 })?.step).toBe(300);
  });
  it('falls back to a held-out loss rising while the training loss falls', () => {
    const loss = [0.5, 0.4, 0.35, 0.4, 0.45, 0.5];
    const ev = loss.map((l, i) => ({
      step: (i + 1) * 100,
      epoch: i,
      train: { loss: 0.5 - 0.08 * i, acc: 0.9 },
      val: { loss: l, acc: 0.9 },
    }));
    expect(detectOverfitting(ev)).toMatchObject({ step: 300, metric: 'loss', best: 0.35, last: 0.5 });
    const f = dashboardFrame(state(history(600, ev)));
    expect(f['text/plain']).toContain(
      'overfitting since step 300: val loss was lowest there (0.3500) and is now 0.5000 while train loss fell from 0.3400 to 0.1000',
    );
  });
  it('ignores a dip that recovers to a new peak', () => {
    expect(detectOverfitting(evals([0.8, 0.9, 0.88, 0.87, 0.86, 0.91], [0.8, 0.9, 0.92, 0.94, 0.95, 0.96]))).toBeUndefined();
  });
  it('needs a full window of decline', () => {
    expect(detectOverfitting(evals([0.8, 0.9, 0.95, 0.94, 0.93], [0.8, 0.9, 0.96, 0.97, 0.98]))).toBeUndefined();
  });
  it('does not call a diverging run (train accuracy falling too) overfitting', () => {
    expect(detectOverfitting(evals([0.8, 0.9, 0.95, 0.7, 0.5, 0.3], [0.8, 0.9, 0.96, 0.7, 0.5, 0.3]))).toBeUndefined();
  });
  it('uses test metrics when there is no validation split', () => {
    const ev = evals([0.8, 0.9, 0.95, 0.94, 0.93, 0.92], [0.8, 0.9, 0.96, 0.97, 0.98, 0.99]).map(({ val, ...e }) => ({ ...e, test: val }));
    expect(detectOverfitting(ev)?.split).toBe('test');
  });
});

describe('series helpers', () => {
  it('moving average is trailing and shorter at the start', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
  });
  it('thin keeps the ends and the budget', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => [i, i * 2] as [number, number]);
    const t = thin(pts, 50);
    expect(t.length).toBeLessThanOrEqual(50);
    expect(t[0]).toEqual([0, 0]);
    expect(t[t.length - 1]).toEqual([999, 1998]);
    for (const [x, y] of t) expect(y).toBeCloseTo(2 * x, 9);
  });
  it('tick labels stay short and distinct', () => {
    expect([0.00095, 0.0009, 0.0001, 0.006, 12000, 2.5e6].map(shortNumber)).toEqual(['9.5e-4', '9e-4', '1e-4', '0.006', '12k', '2.5M']);
  });
  it('nice ticks are round and cover the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 5)).toEqual([20, 40, 60, 80]);
  });
});

describe('lineChartSvg', () => {
  it('is well-formed, with one path per series, escaped legend text and marks', () => {
    const svg = lineChartSvg({
      title: 'a < b',
      series: [
        {
          name: 'train & co',
          color: '#000',
          points: [
            [0, 1],
            [1, 0.5],
          ],
        },
        {
          name: 'val',
          color: '#f00',
          points: [
            [0, 1.2],
            [1, 0.9],
          ],
          dots: true,
        },
      ],
      marks: [{ x: 1, y: 0.9, label: 'here', color: '#0f0' }],
    });
    const names = checkXml(svg);
    expect(names.filter((n) => n === 'path')).toHaveLength(2);
    expect(svg).toContain('data-series="train &amp; co"');
    expect(svg).toContain('>train &amp; co</text>');
    expect(svg).toContain('data-mark="here"');
  });
});

function charts(st: DashboardState): string[] {
  return dashboardCharts(st).map((c) => c.svg);
}

function state(h: RunHistory, over: Partial<DashboardState> = {}): DashboardState {
  return {
    title: 'lenet on digits',
    step: 600,
    totalSteps: 1200,
    epoch: 5,
    epochs: 12,
    lr: 0.01,
    imagesPerSec: 2500,
    etaSec: 75,
    history: h,
    status: 'running',
    ...over,
  };
}

function history(n: number, ev: EvalPoint[]): RunHistory {
  const steps = Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    epoch: Math.floor(i / 100),
    loss: 2 / (1 + i / 50),
    acc: 1 - 0.9 / (1 + i / 50),
    lr: 0.01 * 0.999 ** i,
  }));
  return { steps, evals: ev };
}

describe('dashboardFrame', () => {
  const ev = evals([0.8, 0.9, 0.95, 0.94, 0.93, 0.92], [0.8, 0.9, 0.96, 0.97, 0.98, 0.99]);
  const b = dashboardFrame(state(history(600, ev)));
  const html = b['text/html'] as string;
  const plain = b['text/plain'] as string;

  it('has a half-full progress bar, the latest metrics and the ETA in both forms', () => {
    expect(html).toContain('width:50.0%');
    expect(plain).toContain('[##########..........]  50%');
    expect(plain).toContain('epoch 6/12');
    expect(plain).toContain('val_acc 92.0%');
    expect(plain).toContain('2500 images/s');
    expect(plain).toContain('ETA 1:15');
    expect(html).not.toContain('<script');
  });
  it('says and marks where overfitting started', () => {
    expect(plain).toContain('overfitting since step 300');
    expect(charts(state(history(600, ev)))[1]).toContain('data-mark="overfitting since step 300"');
    expect(html).toContain('marks: overfitting since step 300'); // in the accuracy chart's alt text
  });
  it('ships its three charts as PNG <img>s with words in alt, never as inline <svg>', () => {
    expect(html).not.toContain('<svg');
    const pngs = dataUris(html);
    expect(pngs).toHaveLength(3);
    for (const p of pngs) expect([decodePng(p).width, decodePng(p).height]).toEqual([290, 190]);
    expect(html).toMatch(/alt="loss chart: batch loss \(avg \d+\) [\d.]+ at step 600; val loss/);
    checkXml(html);
  });
  it('draws three well-formed SVG charts with their series, axis titles and the legend under the x title', () => {
    const svgs = charts(state(history(600, ev)));
    expect(svgs).toHaveLength(3);
    for (const s of svgs) checkXml(s);
    expect(svgs[0]).toContain('data-series="val loss"');
    expect(svgs[1]).toContain('data-series="train acc"');
    expect(svgs[1]).toContain('data-series="val acc"');
    expect(svgs[2]).toContain('data-series="lr"');
    for (const [i, t] of ['loss', 'accuracy', 'learning rate'].entries())
      expect(svgs[i]).toMatch(new RegExp(`rotate\\(-90\\)"[^>]*>${t}</text>`));
    const y = (re: RegExp) => Number(re.exec(svgs[0])?.[1]);
    const xTitle = y(/<text x="[^"]+" y="([\d.]+)"[^>]*>step<\/text>/);
    const legend = y(/<text class="legend" x="[^"]+" y="([\d.]+)"/);
    const tick = y(/<text x="[^"]+" y="([\d.]+)" text-anchor="middle" fill="#555">1000<\/text>/);
    expect(tick).toBeLessThan(xTitle);
    expect(xTitle).toBeLessThan(legend);
  });
  it('leaves headroom above the loss curve', () => {
    const svg = charts(state(history(600, ev)))[0];
    const ys = [...svg.matchAll(/data-series="batch[^"]*" d="([^"]+)"/g)].flatMap((m) =>
      [...m[1].matchAll(/,([\d.]+)/g)].map((x) => Number(x[1])),
    );
    expect(Math.min(...ys)).toBeGreaterThan(30 + 3); // plot top is y = 30
  });
  it('clips a dominant first-step loss and says so on the chart', () => {
    const h = history(600, ev);
    h.steps.slice(0, 5).forEach((p) => (p.loss = 40));
    const svg = charts(state(h))[0];
    expect(svg).toMatch(/clipped at [\d.]+; first steps reach 40/);
    expect(lossClip([{ name: 'a', color: '#000', points: history(600, ev).steps.map((p) => [p.step, p.loss]) }])).toBeUndefined();
  });
  it('marks the early-stopping restore point and drops the ETA when done', () => {
    const h = { ...history(600, ev), earlyStop: { step: 600, bestStep: 300, restored: true } };
    const f = dashboardFrame(state(h, { status: 'early_stop', step: 600 }));
    expect(f['text/plain']).toContain('early stop at step 600; restored the best weights from step 300');
    const c = charts(state(h, { status: 'early_stop', step: 600 }));
    expect(c[1]).toContain('data-mark="restored step 300"');
    expect(c[0]).toContain('data-mark="restored step 300"'); // on the loss chart too
    expect(f['text/plain']).not.toContain('ETA');
  });
  it("circles the restore point on the monitored metric's chart", () => {
    const circled = (svg: string) => /data-mark="restored step 300"><line[^>]*\/><circle/.test(svg);
    const byLoss = charts(
      state({ ...history(600, ev), earlyStop: { step: 600, bestStep: 300, restored: true, metric: 'loss' } }, { status: 'early_stop' }),
    );
    expect([circled(byLoss[0]), circled(byLoss[1])]).toEqual([true, false]);
    const byAcc = charts(
      state({ ...history(600, ev), earlyStop: { step: 600, bestStep: 300, restored: true, metric: 'accuracy' } }, { status: 'early_stop' }),
    );
    expect([circled(byAcc[0]), circled(byAcc[1])]).toEqual([false, true]);
  });
  it('stays small for a long run', () => {
    const long = dashboardFrame(state(history(50_000, ev), { step: 50_000, totalSteps: 50_000 }));
    expect((long['text/html'] as string).length).toBeLessThan(100_000);
  });
  it('says when a run was interrupted', () => {
    const f = dashboardFrame(state(history(10, []), { step: 10, status: 'aborted' }));
    expect(f['text/plain']).toMatch(/^lenet on digits — interrupted\n\[\.{20}\]   1% epoch/);
    expect(f['text/html']).toContain('background:#c0392b');
  });
  it('never shows more steps done than planned', () => {
    const f = dashboardFrame(state({ steps: [], evals: [] }, { step: 127, totalSteps: 126, status: 'completed' }));
    expect(f['text/html']).toContain('100% · step 126/126');
  });
  it('spans 0..total steps on every chart so they line up and fill as training runs', () => {
    const svgs = charts(state(history(100, []), { step: 100, totalSteps: 1000 }));
    for (const svg of svgs) expect(svg).toContain('>1000</text>'); // the last x tick
  });
  it('renders an empty history without NaN', () => {
    const f = dashboardFrame(state({ steps: [], evals: [] }, { step: 0 }));
    expect(f['text/html']).not.toContain('NaN');
    checkXml(f['text/html'] as string);
    for (const svg of charts(state({ steps: [], evals: [] }, { step: 0 }))) expect(svg).not.toContain('NaN');
  });
});

describe('createDashboardThrottle', () => {
  it('lets the first frame through, then at most one per interval, and always the final one', () => {
    let t = 1000;
    const th = createDashboardThrottle(500, () => t);
    const seen: boolean[] = [];
    for (const at of [1000, 1100, 1499, 1500, 1600, 2100]) {
      t = at;
      seen.push(th.ready());
    }
    expect(seen).toEqual([true, false, false, true, false, true]);
    t = 2101;
    expect(th.ready(true)).toBe(true);
    expect(th.ready()).toBe(false);
  });
});

describe('thinIndexed', () => {
  it('matches thin() on finite points and skips non-finite ones', async () => {
    const { thinIndexed } = await import('../../render/run-history.js');
    const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 30));
    const pts = ys.map((y, i) => [i, y] as [number, number]);
    const a = thinIndexed(
      1000,
      (i) => i,
      (i) => ys[i],
      50,
    );
    const b = thin(pts, 50);
    expect(a).toHaveLength(b.length);
    a.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(b[i][0], 9);
      expect(p[1]).toBeCloseTo(b[i][1], 9);
    });
    expect(
      thinIndexed(
        4,
        (i) => i,
        (i) => [1, NaN, 3, Infinity][i],
        10,
      ),
    ).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});

describe('validation and test together', () => {
  it('draws test accuracy beside validation accuracy, and survives non-finite losses', () => {
    const ev = evals([0.8, 0.9], [0.8, 0.9]).map((e) => ({ ...e, test: { loss: 0.4, acc: 0.85 } }));
    const h = history(50, ev);
    h.steps[10].loss = NaN;
    h.steps[20].loss = Infinity;
    const svgs = charts(state(h)).join('');
    expect(svgs).toContain('data-series="test acc"');
    expect(svgs).toContain('data-series="val acc"');
    expect(svgs).not.toMatch(/d="[^"]*NaN/);
    checkXml(dashboardFrame(state(h))['text/html'] as string);
  });
});
