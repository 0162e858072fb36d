// Static line plots as image/png (+ text/plain), built as vega-lite specs, rendered headless to SVG by vega
// (view.toSVG needs no canvas) and rasterised by resvg, so they read untrusted and in nbconvert, which drop
// SVG. Training curves with marks, learning-rate schedules, runs overlaid, a 1-D series with its moving
// average. vega loads on first use so sessions that never plot don't pay for it.
import { createHash } from 'node:crypto';
import type { MimeBundle } from './mime.js';
import { svgToPngBase64 } from './rasterize.js';
import { niceTicks } from './svg-chart.js';
import { detectOverfitting, heldOut, movingAverage, smoothingWindow, testBesideVal, thin, type RunHistory } from './run-history.js';

export interface PlotSeries {
  name: string;
  points: [number, number][];
  dashed?: boolean;
  /** CSS colour; series without one take the next colour of the default palette. */
  color?: string;
}

/** vega's default categorical palette (tableau10), for series that name no colour. */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

/** Train blue, held-out orange in every panel, so loss and accuracy read alike. */
const TRAIN = '#4c78a8';
const HELD = '#f58518';
const TEST = '#9d755d';

export interface PlotMark {
  x: number;
  label: string;
  color?: string;
}

export interface PlotPanel {
  title: string;
  series: PlotSeries[];
  marks?: PlotMark[];
  xLabel?: string;
  yLabel?: string;
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  yDomain?: [number, number];
  logY?: boolean;
  yPercent?: boolean;
  /** Start a linear y axis at 0 (learning rates: a constant schedule then reads as constant, not as noise). */
  zero?: boolean;
  /** step-after for quantities that hold until the next point (a learning rate within a step). */
  interpolate?: 'linear' | 'step-after';
  /** Fixed x range, so stacked panels line up step for step. */
  xDomain?: [number, number];
  /** Explicit y tick values (e.g. to put a tick at η₀). */
  yTicks?: number[];
}

export interface PlotOptions {
  width?: number;
  height?: number;
  /** Also attach the vega-lite spec for front ends that render it interactively (JupyterLab). */
  interactive?: boolean;
  /** Also attach the SVG. Off by default: trusted front ends prefer it over the PNG, untrusted ones and nbconvert drop it. */
  svg?: boolean;
  maxPoints?: number;
}

/** Panel sizes that fit a narrow output area (a 760 px window): one panel 480 × 200, stacked panels 480 × 150. */
export const PLOT_WIDTH = 480;

/** The vega-lite media type front ends render interactively. */
export const INTERACTIVE_MIME = 'application/vnd.vegalite.v5+json';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let libs: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

function loadVega(): Promise<{ vega: Vega; vl: VegaLite }> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return libs;
}

/** Load vega ahead of the first plot (e.g. while the session worker is idle after start-up); safe to call twice. */
export async function preloadPlots(): Promise<void> {
  await loadVega();
}

type Json = Record<string, unknown>;

/** The vega-lite spec of one panel (a layer of lines plus rule/text marks). */
export function panelSpec(p: PlotPanel, o: PlotOptions = {}): Json {
  const max = o.maxPoints ?? 500;
  const values = p.series.flatMap((s) =>
    thin(
      s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!p.logY || y > 0)),
      max,
    ).map(([x, y]) => ({ x, y, series: s.name })),
  );
  const names = p.series.map((s) => s.name);
  const dashed = p.series.filter((s) => s.dashed).map((s) => s.name);
  const yScale: Json = { ...(p.logY ? { type: 'log' } : { zero: p.zero ?? false }), ...(p.yDomain ? { domain: p.yDomain } : {}) };
  const line: Json = {
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, clip: true, interpolate: p.interpolate ?? 'linear' },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: p.xLabel ?? 'step',
        ...(p.xDomain ? { scale: { domain: p.xDomain, nice: false } } : {}),
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: p.yLabel ?? '',
        scale: yScale,
        axis: { ...(p.yPercent ? { format: '.0%' } : {}), ...(p.yTicks ? { values: p.yTicks } : {}) },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, range: p.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]) },
        // One series needs no legend; several get room for labels like "net_momentum (momentum)".
        legend: names.length > 1 ? { orient: 'bottom', columns: Math.min(names.length, 2), labelLimit: 320 } : null,
      },
      strokeDash: {
        condition: { test: `indexof(${JSON.stringify(dashed)}, datum.series) >= 0`, value: [4, 3] },
        value: [1, 0],
      },
    },
  };
  const layers: Json[] = [line];
  // One rule + label layer per mark with a constant colour, so marks never enter the series legend.
  (p.marks ?? []).forEach((m, i) => {
    const color = m.color ?? '#d62728';
    const values = [{ x: m.x, label: m.label }];
    layers.push({
      data: { values },
      mark: { type: 'rule', strokeDash: [3, 2], color },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
    layers.push({
      data: { values },
      mark: { type: 'text', align: 'left', dx: 3, baseline: 'top', fontSize: 10, color },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 2 + 12 * i }, text: { field: 'label' } },
    });
  });
  // A long title would widen the whole figure past the output area: wrap it onto lines instead.
  return { title: { text: wrapTitle(p.title, 52) }, width: o.width ?? PLOT_WIDTH, height: o.height ?? 200, layer: layers };
}

/** Words on lines of at most `max` characters (a longer word keeps its own line). */
export function wrapTitle(title: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of title.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** One or more panels stacked as a PNG bundle (plus the SVG and the vega-lite spec when asked). */
export async function plotBundle(panels: PlotPanel[], o: PlotOptions = {}): Promise<MimeBundle> {
  const { vega, vl } = await loadVega();
  // Stacked, not side by side: the panels share the step axis and the figure stays inside a narrow output area.
  const stacked = { ...o, height: o.height ?? 150 };
  const body =
    panels.length === 1
      ? panelSpec(panels[0], o)
      : { vconcat: panels.map((p) => panelSpec(p, stacked)), resolve: { scale: { color: 'independent', strokeDash: 'independent' } } };
  const schemaMajor = vl.version.split('.')[0];
  const spec = { $schema: `https://vega.github.io/schema/vega-lite/v${schemaMajor}.json`, background: 'white', ...body };
  const compiled = vl.compile(spec as unknown as Parameters<VegaLite['compile']>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const bundle: MimeBundle = { 'text/plain': panels.map(describePanel).join('\n'), 'image/png': svgToPngBase64(svg) };
  if (o.svg) bundle['image/svg+xml'] = uniqueIds(svg);
  // JupyterLab's renderer registers the v5 media type; these specs use nothing newer than v5, so label them v5.
  if (o.interactive) bundle[INTERACTIVE_MIME] = { ...spec, $schema: 'https://vega.github.io/schema/vega-lite/v5.json' };
  return bundle;
}

/**
 * vega numbers its clip paths clip1, clip2, … in every SVG; front ends that inline several plots in one
 * page would then clip each plot with the first plot's rectangle. Prefix every id with a hash of the SVG
 * (deterministic, and identical plots may share ids harmlessly).
 */
export function uniqueIds(svg: string): string {
  const p = `p${createHash('sha256').update(svg).digest('hex').slice(0, 10)}-`;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${p}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${p}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${p}${id}"`);
}

/** text/plain twin: per series its length, last value and extreme. */
export function describePanel(p: PlotPanel): string {
  const lines = [`${p.title}:`];
  const f = (v: number) => (p.yPercent ? `${(v * 100).toFixed(1)}%` : Number(v.toPrecision(4)).toString());
  for (const s of p.series) {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    if (!pts.length) {
      lines.push(`  ${s.name}: no points`);
      continue;
    }
    const last = pts[pts.length - 1];
    const lo = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
    const hi = pts.reduce((a, b) => (b[1] > a[1] ? b : a));
    lines.push(
      `  ${s.name}: ${pts.length} points, last ${f(last[1])} at ${last[0]}, min ${f(lo[1])} at ${lo[0]}, max ${f(hi[1])} at ${hi[0]}`,
    );
  }
  for (const m of p.marks ?? []) lines.push(`  mark at ${m.x}: ${m.label}`);
  return lines.join('\n');
}

/** `show m.history`: loss (batch average and held-out) and accuracy (train and held-out), with marks. */
export async function trainingCurvesPlot(h: RunHistory, o: PlotOptions & { title?: string } = {}): Promise<MimeBundle> {
  const win = smoothingWindow(h.steps.length);
  const avg = movingAverage(
    h.steps.map((s) => s.loss),
    win,
  );
  const held = h.evals.flatMap((e) => {
    const x = heldOut(e);
    return x ? [{ step: e.step, split: x.split, m: x.m }] : [];
  });
  const split = held[0]?.split ?? 'val';
  const test = testBesideVal(h.evals);
  const marks: PlotMark[] = [];
  const of = detectOverfitting(h.evals, { heldOutSize: h.heldOutSize });
  if (of) marks.push({ x: of.step, label: `overfitting since step ${of.step}`, color: '#d62728' });
  if (h.earlyStop?.bestStep !== undefined)
    marks.push({
      x: h.earlyStop.bestStep,
      label: h.earlyStop.restored ? `restored step ${h.earlyStop.bestStep}` : `best step ${h.earlyStop.bestStep}`,
      color: '#2ca02c',
    });
  const lastStep = Math.max(h.steps[h.steps.length - 1]?.step ?? 0, h.evals[h.evals.length - 1]?.step ?? 0);
  const xDomain: [number, number] | undefined = lastStep > 0 ? [0, lastStep] : undefined;
  const loss: PlotPanel = {
    xDomain,
    title: `${o.title ? o.title + ': ' : ''}loss`,
    series: [
      { name: win > 1 ? `batch loss (avg ${win})` : 'batch loss', points: h.steps.map((s, i) => [s.step, avg[i]]), color: '#9ecae9' },
      ...(h.evals.length
        ? [{ name: 'train loss (eval)', points: h.evals.map((e) => [e.step, e.train.loss] as [number, number]), color: TRAIN }]
        : []),
      ...(held.length ? [{ name: `${split} loss`, points: held.map((p) => [p.step, p.m.loss] as [number, number]), color: HELD }] : []),
    ],
    marks,
    yLabel: 'loss',
  };
  const acc: PlotPanel = {
    xDomain,
    title: `${o.title ? o.title + ': ' : ''}accuracy`,
    series: [
      { name: 'train acc', points: h.evals.map((e) => [e.step, e.train.acc]), color: TRAIN },
      ...(held.length ? [{ name: `${split} acc`, points: held.map((p) => [p.step, p.m.acc] as [number, number]), color: HELD }] : []),
      ...(test.length
        ? [{ name: 'test acc', points: test.map((p) => [p.step, p.m.acc] as [number, number]), color: TEST, dashed: true }]
        : []),
    ],
    marks,
    yLabel: 'accuracy',
    yPercent: true,
  };
  return plotBundle([loss, acc], o);
}

/** A learning-rate schedule over steps: a log axis (said in the axis title) when it spans more than a factor of 20, and a tick at η₀. */
export async function schedulePlot(
  lrs: [number, number][],
  o: PlotOptions & { title?: string; marks?: PlotMark[]; lr0?: number } = {},
): Promise<MimeBundle> {
  const ys = lrs.map((p) => p[1]).filter((v) => v > 0);
  const logY = ys.length > 0 && Math.max(...ys) / Math.min(...ys) > 20;
  const lr0 = o.lr0 ?? lrs[0]?.[1];
  const yTicks = ys.length ? lrTicks(Math.min(...ys), Math.max(...ys), logY, lr0) : undefined;
  const yLabel = logY ? 'learning rate (log scale)' : 'learning rate';
  return plotBundle(
    [
      {
        title: o.title ?? 'learning rate',
        series: [{ name: 'lr', points: lrs }],
        marks: o.marks,
        yLabel,
        logY,
        zero: !logY,
        interpolate: 'step-after',
        yTicks,
      },
    ],
    o,
  );
}

/** y ticks for a schedule: decades (log) or round steps from 0 (linear), plus η₀, dropping round ticks that would crowd it. */
export function lrTicks(lo: number, hi: number, logY: boolean, lr0?: number): number[] {
  let ticks: number[];
  if (logY) {
    ticks = [];
    // Decades, and 2× and 5× between them when the range spans fewer than three decades.
    const steps = Math.log10(hi / lo) < 3 ? [1, 2, 5] : [1];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of steps) {
        const t = Number((m * 10 ** e).toPrecision(12));
        if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
      }
    }
  } else ticks = niceTicks(0, hi, 4);
  if (lr0 === undefined || !(lr0 > 0)) return ticks;
  const near = (t: number) => (logY ? Math.abs(Math.log10(t / lr0)) < 0.15 : Math.abs(t - lr0) < 0.08 * hi);
  return [...ticks.filter((t) => !near(t) || t === lr0), lr0].filter((t, i, a) => a.indexOf(t) === i).sort((a, b) => a - b);
}

export type CompareMetric = 'loss' | 'accuracy' | 'val_accuracy' | 'test_accuracy';

/** Several runs overlaid, one legend entry per run. loss is the smoothed batch loss; accuracy the train accuracy at evaluations. */
export async function compareRunsPlot(
  runs: { label: string; history: RunHistory }[],
  metric: CompareMetric,
  o: PlotOptions = {},
): Promise<MimeBundle> {
  const series: PlotSeries[] = runs.map((r) => {
    const h = r.history;
    if (metric === 'loss') {
      const avg = movingAverage(
        h.steps.map((s) => s.loss),
        smoothingWindow(h.steps.length),
      );
      return { name: r.label, points: h.steps.map((s, i) => [s.step, avg[i]]) };
    }
    const pick = (e: RunHistory['evals'][number]) =>
      metric === 'accuracy' ? e.train.acc : metric === 'val_accuracy' ? e.val?.acc : e.test?.acc;
    return {
      name: r.label,
      points: h.evals.flatMap((e) => (pick(e) === undefined ? [] : [[e.step, pick(e) as number] as [number, number]])),
    };
  });
  const title = {
    loss: 'loss (batch average)',
    accuracy: 'train accuracy',
    val_accuracy: 'validation accuracy',
    test_accuracy: 'test accuracy',
  }[metric];
  return plotBundle([{ title, series, yLabel: metric === 'loss' ? 'loss' : 'accuracy', yPercent: metric !== 'loss' }], o);
}

/** A 1-D series and its smoothed version (e.g. the result of a moving-average convolve1d). */
export async function seriesPlot(
  values: number[],
  smoothed: number[],
  o: PlotOptions & { title?: string; smoothedName?: string; smoothedOffset?: number } = {},
): Promise<MimeBundle> {
  // A 'valid' convolution is shorter than its input; offset centres it under the window it averaged.
  const off = o.smoothedOffset ?? (values.length - smoothed.length) / 2;
  return plotBundle(
    [
      {
        title: o.title ?? 'series',
        xLabel: 'index',
        series: [
          { name: 'series', points: values.map((v, i) => [i, v]) },
          { name: o.smoothedName ?? 'moving average', points: smoothed.map((v, i) => [i + off, v]) },
        ],
      },
    ],
    o,
  );
}
