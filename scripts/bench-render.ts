// Render timings: dashboard frames for growing histories, vega plots, filter and feature-map grids.
// Prints the median of several runs per case; no assertions (tests never time things).
import { dashboardFrame } from '../render/dashboard.js';
import { featureMapsImage, filtersImage } from '../render/grid.js';
import type { RunHistory } from '../render/run-history.js';
import { trainingCurvesPlot } from '../render/plot.js';

function history(n: number): RunHistory {
  // Deterministic, smooth synthetic curves: the cost depends on sizes, not on values.
  const steps = Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    epoch: i / 500,
    loss: 2 / (1 + i / 50),
    acc: 1 - 0.9 / (1 + i / 50),
    lr: 0.01 * 0.9999 ** i,
  }));
  const evals = Array.from({ length: Math.max(1, Math.floor(n / 100)) }, (_, i) => ({
    step: (i + 1) * 100,
    epoch: i,
    train: { loss: 1 / (i + 2), acc: 0.9 },
    val: { loss: 0.3, acc: 0.9 - 0.001 * i },
  }));
  return { steps, evals };
}

async function median(runs: number, f: () => unknown): Promise<{ ms: number; size: number }> {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const out = await f();
    times.push(performance.now() - t);
    size = JSON.stringify(out).length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)], size };
}

async function main(): Promise<void> {
  const rows: [string, { ms: number; size: number }][] = [];
  for (const n of [100, 1_000, 10_000, 50_000]) {
    const h = history(n);
    rows.push([
      `dashboard frame, ${n} steps`,
      await median(9, () =>
        dashboardFrame({ title: 'bench', step: n, totalSteps: 2 * n, epoch: 0, epochs: 2, history: h, status: 'running' }),
      ),
    ]);
  }
  const cold = performance.now();
  await trainingCurvesPlot(history(10));
  rows.push(['vega: first plot (loads vega)', { ms: performance.now() - cold, size: 0 }]);
  for (const n of [1_000, 10_000]) rows.push([`vega training curves, ${n} steps`, await median(5, () => trainingCurvesPlot(history(n)))]);
  const w = Float32Array.from({ length: 16 * 6 * 25 }, (_, i) => Math.sin(i));
  rows.push(['filters 16×6×5×5', await median(9, () => filtersImage(w, [16, 6, 5, 5]))]);
  const act = Float32Array.from({ length: 32 * 28 * 28 }, (_, i) => Math.sin(i / 7));
  rows.push(['feature maps 32×28×28', await median(9, () => featureMapsImage(act, { c: 32, h: 28, w: 28 }))]);
  for (const [name, r] of rows)
    console.log(`${name.padEnd(36)} ${r.ms.toFixed(1).padStart(8)} ms ${r.size ? `${(r.size / 1024).toFixed(1).padStart(8)} KiB` : ''}`);
}

await main();
