// End to end in a real browser: the classic Notebook server runs notebooks/quickstart.ipynb (longer, plus one
// appended `show small.history` cell) on the convbook kernel in headless Chromium. Images must load, plots
// must be PNGs, and the training dashboard (charts as <img>) must update in place. Screenshots go to test-artifacts/.
// Skipped with a message (outside CI only) when chromium, the notebook package or dist/ is missing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, browserSkipReason, launchChromium, startNotebookServer, type NotebookServer } from './browser-helpers.js';
import { root } from './kernel-python.js';

const skip = browserSkipReason(['notebook']);

/**
 * quickstart.ipynb without saved outputs, trained for 10 epochs instead of 2 (so even a fast machine shows
 * several dashboard frames at two per second), plus a cell drawing the training history with vega.
 */
function writeNotebook(dir: string): string {
  const nb = JSON.parse(readFileSync(join(root, 'notebooks', 'quickstart.ipynb'), 'utf8'));
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    Object.assign(c, { outputs: [], execution_count: null });
    const src = (Array.isArray(c.source) ? c.source.join('') : String(c.source)) as string;
    if (/^\s*train\b/m.test(src)) c.source = src.replace(/\bepochs\s+\d+/, 'epochs 10');
  }
  nb.cells.push({ cell_type: 'code', metadata: {}, source: ['show small.history'], outputs: [], execution_count: null });
  writeFileSync(join(dir, 'quickstart.ipynb'), JSON.stringify(nb, null, 1));
  return 'quickstart.ipynb';
}

/** Records each distinct dashboard text the page shows, so in-place updates can be counted afterwards. */
function watchDashboards(): void {
  const w = window as unknown as { __dash: string[] };
  w.__dash = [];
  const seen = new Set<string>();
  setInterval(() => {
    for (const d of Array.from(document.querySelectorAll('.convbook-dashboard'))) {
      const t = (d.textContent ?? '').slice(0, 200);
      if (!seen.has(t)) {
        seen.add(t);
        w.__dash.push(t);
      }
    }
  }, 50);
}

describe.skipIf(skip !== undefined)('notebook in a real browser', () => {
  let server: NotebookServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const nbDir = mkdtempSync(join(tmpdir(), 'convbook-browser-nb-'));
    const file = writeNotebook(nbDir);
    server = await startNotebookServer(nbDir);
    context = await launchChromium(1280);
    page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript(watchDashboards);
    await page.goto(`${server.base}/notebooks/${file}?token=${server.token}`);
    await page.waitForFunction(
      () => {
        const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter;
        return J?.notebook?.kernel?.is_connected() === true;
      },
      undefined,
      { timeout: 120_000 },
    );
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  it('runs every cell: images load, plots are PNG, the dashboard updates in place', async () => {
    await page.evaluate(() =>
      (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter.notebook.execute_all_cells(),
    );
    // A mid-training picture of the dashboard (some steps done, not finished), for people reading the artifacts.
    await page
      .waitForFunction(
        () => /training[\s\S]*[1-9]\d*% · step/.test(document.querySelector('.convbook-dashboard')?.textContent ?? ''),
        undefined,
        { timeout: 180_000, polling: 50 },
      )
      .then(() =>
        page
          .locator('.convbook-dashboard')
          .first()
          .screenshot({ path: join(ARTIFACTS, 'browser-dashboard-live.png') }),
      )
      .catch(() => console.warn('no mid-training dashboard frame caught for the screenshot'));
    await page.waitForFunction(
      () => {
        const J = (
          window as unknown as {
            Jupyter: { notebook: { kernel_busy: boolean; get_cells(): { cell_type: string; input_prompt_number?: unknown }[] } };
          }
        ).Jupyter;
        const code = J.notebook.get_cells().filter((c) => c.cell_type === 'code');
        return !J.notebook.kernel_busy && code.every((c) => typeof c.input_prompt_number === 'number');
      },
      undefined,
      { timeout: 480_000, polling: 250 },
    );
    await page.waitForTimeout(500);
    // The classic notebook scrolls inside #site, so grow the viewport to the notebook's height for one picture.
    const height = await page.evaluate(() => document.querySelector('#notebook-container')?.scrollHeight ?? 1000);
    await page.setViewportSize({ width: 1280, height: Math.min(12_000, height + 200) });
    await page.screenshot({ path: join(ARTIFACTS, 'browser-notebook.png') });

    const report = await page.evaluate(() => {
      type Out = { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string };
      const J = (
        window as unknown as {
          Jupyter: { notebook: { get_cells(): { cell_type: string; get_text(): string; output_area?: { outputs: Out[] } }[] } };
        }
      ).Jupyter;
      const cells = J.notebook.get_cells().filter((c) => c.cell_type === 'code');
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('#notebook .output_area img'));
      const trainCell = cells.findIndex((c) => /^\s*train\b/m.test(c.get_text()));
      const trainArea = document.querySelectorAll('#notebook .cell.code_cell')[trainCell];
      return {
        errors: cells.flatMap((c) =>
          (c.output_area?.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
        ),
        images: imgs.length,
        brokenImages: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt),
        svgs: document.querySelectorAll('#notebook .output_area svg').length,
        pngPlots: document.querySelectorAll('#notebook .output_png img').length,
        historyPlot: (() => {
          const last = document.querySelectorAll('#notebook .cell.code_cell');
          const img = last[last.length - 1]?.querySelector<HTMLImageElement>('.output_png img');
          return img ? { w: img.naturalWidth, h: img.naturalHeight } : undefined;
        })(),
        dashboardsInTrainCell: trainArea ? trainArea.querySelectorAll('.convbook-dashboard').length : -1,
        dashboardImgs: trainArea ? trainArea.querySelectorAll('.convbook-dashboard img').length : -1,
        dashboardAlts: trainArea
          ? Array.from(trainArea.querySelectorAll<HTMLImageElement>('.convbook-dashboard img')).map((i) => i.alt.split(':')[0])
          : [],
        dashboardOutputs:
          trainCell >= 0 ? (cells[trainCell].output_area?.outputs ?? []).filter((o) => o.output_type === 'display_data').length : -1,
        finalText: trainArea?.querySelector('.convbook-dashboard')?.textContent ?? '',
        frames: (window as unknown as { __dash: string[] }).__dash,
      };
    });
    console.log(
      `browser e2e: ${report.images} images, ${report.pngPlots} PNG plots, ` + `${report.frames.length} distinct dashboard frames seen`,
    );
    expect(report.errors).toEqual([]);
    expect(report.brokenImages).toEqual([]);
    expect(report.images).toBeGreaterThanOrEqual(16); // show digits.samples 16, plus the evaluation's PNGs
    expect(report.svgs).toBe(0);
    expect(report.pngPlots).toBeGreaterThanOrEqual(1);
    expect(report.historyPlot?.w).toBeLessThanOrEqual(620); // fits a narrow output area
    expect(report.historyPlot?.h).toBeGreaterThan(300); // loss above accuracy
    expect(report.dashboardsInTrainCell).toBe(1);
    expect(report.dashboardOutputs).toBe(1);
    expect(report.dashboardImgs).toBe(3);
    expect(report.dashboardAlts).toEqual(['loss chart', 'accuracy chart', 'learning rate chart']);
    expect(report.finalText).toContain('100%');
    // Updated in place: one output, yet several different frames were on screen over time.
    expect(report.frames.length).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
