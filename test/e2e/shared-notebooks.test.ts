// The committed notebooks as someone else sees them: (a) opened untrusted in the classic Notebook (a fresh
// Jupyter data dir, stored outputs, nothing re-run) in headless Chromium at a 760 px window, and (b) exported
// by nbconvert --to html and rendered in Chromium. Every rich output must show a loaded image or a table,
// nothing may be dropped as untrusted or sanitised into run-together chart text, no plot box may be empty
// or blank, and images must fit the output area. Full-page screenshots go to test-artifacts/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  browserSkipReason,
  distinctColours,
  launchChromium,
  startNotebookServer,
  type NotebookServer,
} from './browser-helpers.js';
import { python, root } from './kernel-python.js';

const skip = browserSkipReason(['notebook', 'nbconvert']);
const notebooks = readdirSync(join(root, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.out.ipynb'))
  .sort();
const WIDTH = 760;

type Bundle = Record<string, unknown>;
/** The stored rich outputs of a notebook, per code cell, in order (streams and errors carry no bundle). */
function richOutputs(file: string): { cell: number; mimes: string[] }[] {
  const nb = JSON.parse(readFileSync(join(root, 'notebooks', file), 'utf8')) as {
    cells: { cell_type: string; outputs?: { output_type: string; data?: Bundle }[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .flatMap((c, cell) => (c.outputs ?? []).filter((o) => o.data).map((o) => ({ cell, mimes: Object.keys(o.data as Bundle) })));
}

async function fullPageShot(page: Page, path: string, scroller?: string): Promise<void> {
  if (scroller) {
    // The classic notebook scrolls inside #site, so grow the viewport to the notebook's height for one picture.
    const height = await page.evaluate((sel) => document.querySelector(sel)?.scrollHeight ?? 1000, scroller);
    await page.setViewportSize({ width: WIDTH, height: Math.min(16_000, height + 200) });
    await page.screenshot({ path });
    await page.setViewportSize({ width: WIDTH, height: 1000 });
  } else await page.screenshot({ path, fullPage: true });
}

describe.skipIf(skip !== undefined)('committed notebooks opened untrusted in the classic Notebook', () => {
  let server: NotebookServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-untrusted-'));
    for (const f of notebooks) copyFileSync(join(root, 'notebooks', f), join(dir, f));
    server = await startNotebookServer(dir);
    context = await launchChromium(WIDTH);
    page = context.pages()[0] ?? (await context.newPage());
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  for (const file of notebooks) {
    it(`${file}: every output is an image or a table, nothing ignored or run together, nothing overflows`, async () => {
      await page.goto(`${server.base}/notebooks/${file}?token=${server.token}`);
      await page.waitForFunction(
        () => (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean } } }).Jupyter?.notebook?._fully_loaded === true,
        undefined,
        { timeout: 60_000 },
      );
      await page.waitForFunction(
        () => Array.from(document.querySelectorAll<HTMLImageElement>('#notebook img')).every((i) => i.complete),
        undefined,
        { timeout: 30_000 },
      );
      const r = await page.evaluate(() => {
        type Out = { output_type: string; data?: Record<string, unknown> };
        const J = (
          window as unknown as {
            Jupyter: {
              notebook: {
                trusted: boolean;
                get_cells(): { cell_type: string; output_area?: { outputs: Out[]; element: ArrayLike<HTMLElement> } }[];
              };
            };
          }
        ).Jupyter;
        const cells = J.notebook.get_cells().filter((c) => c.cell_type === 'code');
        const bad: string[] = [];
        const widths: number[] = [];
        let rich = 0;
        cells.forEach((c, ci) => {
          const areas = Array.from(c.output_area?.element[0]?.querySelectorAll<HTMLElement>(':scope > .output_area') ?? []);
          (c.output_area?.outputs ?? []).forEach((o, oi) => {
            const el = areas[oi]?.querySelector<HTMLElement>('.output_subarea');
            if (!o.data || !el) return;
            const hasRich = Object.keys(o.data).some((k) => k !== 'text/plain');
            if (!hasRich) return;
            rich++;
            const imgs = Array.from(el.querySelectorAll('img'));
            const text = el.innerText;
            if (imgs.length === 0 && !el.querySelector('table'))
              bad.push(`cell ${ci} output ${oi}: neither image nor table: ${text.slice(0, 80)}`);
            for (const i of imgs) {
              if (i.naturalWidth === 0) bad.push(`cell ${ci}: image failed to load (${i.alt.slice(0, 40)})`);
              // Drawn no narrower than its own pixels (not squeezed) and inside the output area.
              const ir = i.getBoundingClientRect();
              const ar = el.getBoundingClientRect();
              if (ir.right > ar.right + 1) bad.push(`cell ${ci}: image runs ${Math.round(ir.right - ar.right)} px past the output area`);
              if (i.naturalWidth > 0 && ir.width + 1 < Math.min(i.naturalWidth, Number(i.getAttribute('width') ?? i.naturalWidth)))
                bad.push(`cell ${ci}: image squeezed from ${i.naturalWidth} to ${Math.round(ir.width)} px`);
            }
            if (el.scrollWidth > el.clientWidth + 1)
              bad.push(`cell ${ci}: output scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
            if (el.querySelector('svg')) bad.push(`cell ${ci}: inline svg`);
            if (/\d(step|batch loss|val loss|train acc|accuracy)|Ignoring untrusted/.test(text))
              bad.push(`cell ${ci}: run-together or ignored text: ${text.slice(0, 80)}`);
            widths.push(el.clientWidth);
          });
        });
        return {
          trusted: J.notebook.trusted,
          bad,
          rich,
          areaWidth: Math.min(...widths),
          ignored: document.body.innerText.includes('Ignoring untrusted'),
        };
      });
      await fullPageShot(page, join(ARTIFACTS, `untrusted-${file.replace(/\.ipynb$/, '')}.png`), '#site');
      console.log(`untrusted ${file}: ${r.rich} rich outputs checked, output area ${r.areaWidth} px wide at a ${WIDTH} px window`);
      expect(r.trusted).toBe(false);
      expect(r.ignored).toBe(false);
      expect(r.rich).toBe(richOutputs(file).filter((o) => o.mimes.some((m) => m !== 'text/plain')).length);
      expect(r.bad).toEqual([]);
    }, 120_000);
  }
});

describe.skipIf(skip !== undefined)('committed notebooks exported by nbconvert --to html', () => {
  let context: BrowserContext;
  let page: Page;
  const out = mkdtempSync(join(tmpdir(), 'convbook-nbconvert-'));

  beforeAll(async () => {
    context = await launchChromium(WIDTH);
    // The export links require.js and MathJax from a CDN; the page must read without them.
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
  });

  for (const file of notebooks) {
    it(`${file}: no empty or blank plot box`, async () => {
      const r0 = spawnSync(python, ['-m', 'nbconvert', '--to', 'html', '--output-dir', out, join(root, 'notebooks', file)], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r0.status, r0.stderr).toBe(0);
      await page.goto(`file://${join(out, file.replace(/\.ipynb$/, '.html'))}`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, { timeout: 30_000 });
      const boxes = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.jp-OutputArea-output[data-mime-type]'))
          .map((el, i) => ({
            i,
            mime: el.dataset.mimeType ?? '',
            w: el.getBoundingClientRect().width,
            h: el.getBoundingClientRect().height,
            imgs: el.querySelectorAll('img').length,
            broken: Array.from(el.querySelectorAll('img')).filter((x) => x.naturalWidth === 0).length,
          }))
          .filter((b) => b.mime !== 'text/plain'),
      );
      const bad: string[] = [];
      const visual = page.locator('.jp-OutputArea-output[data-mime-type]');
      for (const b of boxes) {
        if (b.mime === 'image/svg+xml') bad.push(`output ${b.i}: SVG (bleach empties it)`);
        if (b.h < 10 || b.w < 10) bad.push(`output ${b.i} (${b.mime}): empty box ${Math.round(b.w)}×${Math.round(b.h)}`);
        if (b.broken) bad.push(`output ${b.i}: ${b.broken} image(s) failed to load`);
        if (b.mime.startsWith('image/') || b.imgs > 0) {
          const shot = await visual.nth(b.i).screenshot();
          if (distinctColours(shot) < 3) bad.push(`output ${b.i} (${b.mime}): blank pixels`);
        }
      }
      await fullPageShot(page, join(ARTIFACTS, `nbconvert-${file.replace(/\.ipynb$/, '')}.png`));
      console.log(
        `nbconvert ${file}: ${boxes.length} rich outputs, ${boxes.filter((b) => b.mime.startsWith('image/') || b.imgs > 0).length} with images`,
      );
      expect(boxes.length).toBeGreaterThan(0);
      expect(bad).toEqual([]);
    }, 180_000);
  }
});
