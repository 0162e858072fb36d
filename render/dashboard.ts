// One frame of the live training dashboard (progress bar, latest metrics, loss / accuracy / learning-rate
// curves with overfitting and early-stop marks) as HTML + text/plain, and the throttle that keeps the
// session to about two frames a second. HTML with the charts as <img src="data:image/png…"> (rasterised
// SVG) and every figure also in words: no scripts, no inline <svg>, nothing a sanitiser would strip that
// carries meaning, so it reads untrusted, in nbconvert and on GitHub.
import type { MimeBundle } from './mime.js';
import { escapeHtml } from './html.js';
import {
  detectOverfitting,
  heldOut,
  movingAverage,
  smoothingWindow,
  testBesideVal,
  thinIndexed,
  type OverfitFinding,
  type RunHistory,
} from './run-history.js';
import { svgToPngBase64 } from './rasterize.js';
import { lineChartSvg, type ChartMark, type ChartSeries } from './svg-chart.js';

export interface DashboardState {
  /** Heading, e.g. "lenet on digits". */
  title: string;
  /** Optimizer steps done so far and planned. */
  step: number;
  totalSteps: number;
  /** 0-based, as the runtime counts; shown as epoch + 1 of epochs. */
  epoch: number;
  epochs: number;
  lr?: number;
  imagesPerSec?: number;
  etaSec?: number;
  history: RunHistory;
  status: 'running' | 'completed' | 'early_stop' | 'aborted';
  /** What early stopping watches, said from the first frame (e.g. "early stopping watches the test split's loss …"). */
  watch?: string;
}

/** Points per curve in a frame: enough for a 300 px chart, small enough to redraw twice a second. */
const MAX_POINTS = 300;

export const COLORS = { train: '#1f77b4', heldOut: '#ff7f0e', test: '#8c564b', lr: '#9467bd', overfit: '#d62728', restore: '#2ca02c' };

/**
 * One frame. `chartsHtml` (from dashboardChartsHtml) lets the caller reuse charts rasterised a moment ago:
 * rasterising costs tens of milliseconds, so the session redraws them less often than the numbers.
 */
export function dashboardFrame(s: DashboardState, chartsHtml?: string): MimeBundle {
  const h = s.history;
  const overfit = detectOverfitting(h.evals, { heldOutSize: h.heldOutSize });
  const notes = dashboardNotes(s, overfit);
  const frac = s.totalSteps > 0 ? Math.min(1, Math.max(0, s.step / s.totalSteps)) : 0;
  // Never print "step 127/126": a caller counting from 1 instead of 0 still shows a sane bar.
  const shownStep = s.totalSteps > 0 ? Math.min(s.step, s.totalSteps) : s.step;
  const pct = Math.round(frac * 100);
  const barColor = s.status === 'aborted' ? '#c0392b' : s.status === 'running' ? '#3b82f6' : '#22a05a';
  const bar =
    `<div style="position:relative;width:100%;max-width:640px;height:18px;border:1px solid #999;border-radius:3px;background:#eee;overflow:hidden">` +
    `<div style="width:${(frac * 100).toFixed(1)}%;height:100%;background:${barColor}"></div>` +
    `<div style="position:absolute;top:0;left:0;width:100%;text-align:center;font:12px/18px sans-serif;color:#000">${pct}% · step ${shownStep}/${s.totalSteps}</div></div>`;
  const stats = statsLine(s);
  const charts = chartsHtml ?? dashboardChartsHtml(s, overfit);
  const noteHtml = notes.map((n) => `<div style="font:12px sans-serif;color:${n.color};margin:2px 0">${escapeHtml(n.text)}</div>`).join('');
  const html =
    `<div class="convbook-dashboard" style="font:12px sans-serif">` +
    `<div style="font-weight:bold;margin:2px 0">${escapeHtml(s.title)} — ${escapeHtml(statusWord(s.status))}</div>` +
    `${bar}<div style="font:12px monospace;margin:4px 0">${escapeHtml(stats)}</div>${noteHtml}<div>${charts}</div></div>`;
  const barText = `[${'#'.repeat(Math.round(frac * 20)).padEnd(20, '.')}] ${String(pct).padStart(3)}%`;
  const plain = [`${s.title} — ${statusWord(s.status)}`, `${barText} ${stats}`, ...notes.map((n) => n.text)].join('\n');
  return { 'text/plain': plain, 'text/html': html };
}

// Two charts side by side fit the ≈ 600 px output area of a 760 px window; the third wraps below.
const CHART_W = 290;
const CHART_H = 190;

/** The three charts as PNG <img> tags (alt text in words), ready for dashboardFrame. */
export function dashboardChartsHtml(
  s: DashboardState,
  overfit = detectOverfitting(s.history.evals, { heldOutSize: s.history.heldOutSize }),
): string {
  return dashboardCharts(s, overfit)
    .map(
      (c) =>
        `<img src="data:image/png;base64,${svgToPngBase64(c.svg)}" width="${CHART_W}" height="${CHART_H}" alt="${escapeHtml(c.alt)}" style="vertical-align:top;margin:4px 4px 0 0"/>`,
    )
    .join('');
}

/** The loss, accuracy and learning-rate charts of a frame, as SVG strings with a one-line description each (the <img> alt text). */
export function dashboardCharts(
  s: DashboardState,
  overfit = detectOverfitting(s.history.evals, { heldOutSize: s.history.heldOutSize }),
): { svg: string; alt: string }[] {
  const { steps, evals } = s.history;
  const held = evals.flatMap((e) => {
    const h = heldOut(e);
    return h ? [{ step: e.step, split: h.split, m: h.m }] : [];
  });
  const split = held[0]?.split ?? 'val';
  const win = smoothingWindow(steps.length);
  const lossAvg = movingAverage(
    steps.map((p) => p.loss),
    win,
  );
  const stepX = (i: number) => steps[i].step;
  const loss: ChartSeries[] = [
    {
      name: win > 1 ? `batch loss (avg ${win})` : 'batch loss',
      color: COLORS.train,
      points: thinIndexed(steps.length, stepX, (i) => lossAvg[i], MAX_POINTS),
    },
  ];
  if (held.length) loss.push({ name: `${split} loss`, color: COLORS.heldOut, points: held.map((p) => [p.step, p.m.loss]), dots: true });
  const acc: ChartSeries[] = [];
  if (evals.length) acc.push({ name: 'train acc', color: COLORS.train, points: evals.map((e) => [e.step, e.train.acc]), dots: true });
  else {
    const a = movingAverage(
      steps.map((p) => p.acc),
      win,
    );
    acc.push({ name: 'batch acc (avg)', color: COLORS.train, points: thinIndexed(steps.length, stepX, (i) => a[i], MAX_POINTS) });
  }
  if (held.length) acc.push({ name: `${split} acc`, color: COLORS.heldOut, points: held.map((p) => [p.step, p.m.acc]), dots: true });
  const test = testBesideVal(evals);
  if (test.length) acc.push({ name: 'test acc', color: COLORS.test, points: test.map((p) => [p.step, p.m.acc]), dashed: true });
  const accMarks: ChartMark[] = [];
  const lossMarks: ChartMark[] = [];
  if (overfit) {
    // The circle sits on the curve that turned; the other chart gets the line only.
    const onAcc = overfit.metric === 'accuracy';
    accMarks.push({
      x: overfit.step,
      y: onAcc ? overfit.best : undefined,
      label: `overfitting since step ${overfit.step}`,
      color: COLORS.overfit,
    });
    lossMarks.push({ x: overfit.step, y: onAcc ? undefined : overfit.best, label: 'overfitting', color: COLORS.overfit });
  }
  const es = s.history.earlyStop;
  if (es?.bestStep !== undefined) {
    // The restore mark goes on both charts; its circle sits on the monitored metric's curve.
    const best = held.find((p) => p.step === es.bestStep);
    const label = es.restored ? `restored step ${es.bestStep}` : `best step ${es.bestStep}`;
    const onLoss = es.metric === 'loss';
    accMarks.push({ x: es.bestStep, y: onLoss ? undefined : best?.m.acc, label, color: COLORS.restore });
    lossMarks.push({ x: es.bestStep, y: onLoss ? best?.m.loss : undefined, label, color: COLORS.restore });
  }
  const pctFmt = (v: number) => `${Math.round(v * 100)}%`;
  const lastStep = Math.max(steps[steps.length - 1]?.step ?? 0, evals[evals.length - 1]?.step ?? 0);
  const xDomain: [number, number] | undefined = s.totalSteps > 0 ? [0, Math.max(s.totalSteps, lastStep)] : undefined;
  const lr = thinIndexed(steps.length, stepX, (i) => steps[i].lr, MAX_POINTS);
  const clip = lossClip(loss);
  const size = { width: CHART_W, height: CHART_H };
  return [
    {
      svg: lineChartSvg({
        ...size,
        title: 'loss',
        series: loss,
        marks: lossMarks,
        xLabel: 'step',
        yLabel: 'loss',
        xDomain,
        yDomain: clip?.domain,
        note: clip?.note,
      }),
      alt: chartAlt('loss', loss, lossMarks, clip?.note),
    },
    {
      svg: lineChartSvg({
        ...size,
        title: 'accuracy',
        series: acc,
        marks: accMarks,
        xLabel: 'step',
        yLabel: 'accuracy',
        xDomain,
        yDomain: accDomain(acc),
        yFormat: pctFmt,
      }),
      alt: chartAlt('accuracy', acc, accMarks),
    },
    {
      svg: lineChartSvg({
        ...size,
        title: 'learning rate',
        series: [{ name: 'lr', color: COLORS.lr, points: lr }],
        xLabel: 'step',
        yLabel: 'learning rate',
        xDomain,
        yDomain: [0, lrTop(lr)],
      }),
      alt: chartAlt('learning rate', [{ name: 'lr', color: COLORS.lr, points: lr }], []),
    },
  ];
}

/**
 * The first steps' loss (≈ ln 10 for ten classes) dwarfs the rest of the curve. When the early maximum is more
 * than 3× the largest loss after the first tenth of the run, the axis stops just above that and the chart says so.
 */
export function lossClip(series: ChartSeries[]): { domain: [number, number]; note: string } | undefined {
  const all = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const batch = series[0]?.points ?? [];
  if (batch.length < 20) return undefined;
  const cut = batch[Math.floor(batch.length / 10)][0];
  const rest = series.flatMap((s) => s.points.filter((p) => p[0] >= cut).map((p) => p[1])).filter(Number.isFinite);
  if (!rest.length) return undefined;
  const top = Math.max(...rest);
  const peak = Math.max(...all);
  if (!(peak > 3 * top)) return undefined;
  const lo = Math.min(0, ...all);
  return {
    domain: [lo, top * 1.1],
    note: `clipped at ${Number((top * 1.1).toPrecision(2))}; first steps reach ${Number(peak.toPrecision(3))}`,
  };
}

/** A chart in one line of words, for the <img> alt text (what a reader gets when images are off). */
function chartAlt(title: string, series: ChartSeries[], marks: ChartMark[], note?: string): string {
  const parts = series.map((s) => {
    const p = s.points[s.points.length - 1];
    return p ? `${s.name} ${Number(p[1].toPrecision(3))} at step ${p[0]}` : `${s.name}: no points yet`;
  });
  return `${title} chart: ${parts.join('; ')}${marks.length ? `; marks: ${marks.map((m) => m.label).join(', ')}` : ''}${note ? `; ${note}` : ''}`;
}

/** The lr axis starts at 0 so a constant rate reads as constant; a little headroom above the largest rate. */
function lrTop(points: [number, number][]): number {
  const m = points.reduce((a, p) => Math.max(a, p[1]), 0);
  return m > 0 ? m * 1.05 : 1;
}

/** Accuracy axis: 0..1 early on, tightened to the data once it has climbed so late gains stay visible. */
function accDomain(series: ChartSeries[]): [number, number] {
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  if (ys.length === 0) return [0, 1];
  const lo = Math.min(...ys);
  return [Math.max(0, Math.floor((lo - 0.02) * 10) / 10), 1];
}

function statsLine(s: DashboardState): string {
  const parts = [`epoch ${Math.min(s.epoch + 1, s.epochs)}/${s.epochs}`];
  const last = s.history.steps[s.history.steps.length - 1];
  const win = smoothingWindow(s.history.steps.length);
  if (last) {
    const recent = s.history.steps.slice(-win);
    const avg = (f: (p: (typeof recent)[number]) => number) => recent.reduce((a, p) => a + f(p), 0) / recent.length;
    parts.push(`loss ${avg((p) => p.loss).toFixed(4)}`, `acc ${pct(avg((p) => p.acc))}`);
  }
  const e = s.history.evals[s.history.evals.length - 1];
  const h = e && heldOut(e);
  if (h) parts.push(`${h.split}_loss ${h.m.loss.toFixed(4)}`, `${h.split}_acc ${pct(h.m.acc)}`);
  const lr = s.lr ?? last?.lr;
  if (lr !== undefined) parts.push(`lr ${Number(lr.toPrecision(3))}`);
  if (s.imagesPerSec !== undefined) parts.push(`${Math.round(s.imagesPerSec)} images/s`);
  if (s.status === 'running' && s.etaSec !== undefined && Number.isFinite(s.etaSec)) parts.push(`ETA ${clock(s.etaSec)}`);
  return parts.join('  ');
}

function dashboardNotes(s: DashboardState, overfit: OverfitFinding | undefined): { text: string; color: string }[] {
  const notes: { text: string; color: string }[] = [];
  if (s.watch) notes.push({ color: '#555', text: s.watch });
  if (overfit) {
    notes.push({
      color: COLORS.overfit,
      text:
        overfit.metric === 'accuracy'
          ? `overfitting since step ${overfit.step}: ${overfit.split} accuracy peaked at ${pct(overfit.best)} and is now ${pct(overfit.last)} ` +
            `while train accuracy rose from ${pct(overfit.trainAtBest)} to ${pct(overfit.trainLast)}`
          : `overfitting since step ${overfit.step}: ${overfit.split} loss was lowest there (${overfit.best.toFixed(4)}) and is now ${overfit.last.toFixed(4)} ` +
            `while train loss fell from ${overfit.trainAtBest.toFixed(4)} to ${overfit.trainLast.toFixed(4)}`,
    });
  }
  const es = s.history.earlyStop;
  if (es) {
    const at = es.bestStep !== undefined ? ` from step ${es.bestStep}` : '';
    notes.push({
      color: COLORS.restore,
      text: `early stop at step ${es.step}; ${es.restored ? `restored the best weights${at}` : `best weights${at} not restored`}`,
    });
  }
  return notes;
}

function statusWord(st: DashboardState['status']): string {
  return { running: 'training', completed: 'done', early_stop: 'stopped early', aborted: 'interrupted' }[st];
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function clock(sec: number): string {
  const t = Math.max(0, Math.round(sec));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface DashboardThrottle {
  /** True when a frame should be rendered and sent now: the first call, at most once per interval, and always when final. */
  ready(final?: boolean): boolean;
}

/** At most one frame per minIntervalMs (≈ 2/s by default); the final frame always goes out. */
export function createDashboardThrottle(minIntervalMs = 500, now: () => number = () => performance.now()): DashboardThrottle {
  let last = -Infinity;
  return {
    ready(final = false) {
      const t = now();
      if (!final && t - last < minIntervalMs) return false;
      last = t;
      return true;
    },
  };
}
