// The committed notebooks/explain.ipynb opened, untrusted, in the classic Notebook in headless Chromium:
// its explanations survive the notebook's HTML sanitizer — tables with their marked <strong> cells, the
// pictures as PNG images that load — with no SVG. Screenshot in test-artifacts/.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, startClassicNotebook, type ClassicNotebook } from './classic-notebook.js';
import { root } from './kernel-python.js';

const skip = browserSkipReason();
const ARTIFACTS = join(root, 'test-artifacts');

describe.skipIf(skip !== undefined)('explain outputs in an untrusted notebook', () => {
  let nb: ClassicNotebook;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'convbook-explain-nb-'));
    copyFileSync(join(root, 'notebooks', 'explain.ipynb'), join(dir, 'explain.ipynb'));
    nb = await startClassicNotebook(dir);
    await nb.open('explain.ipynb');
  }, 240_000);

  afterAll(async () => nb?.close(), 60_000);

  it('keeps the tables, the bold marks and the PNG pictures', async () => {
    const { page } = nb;
    await page.waitForSelector('.output_html .convbook-explain', { timeout: 60_000 });
    const seen = await page.evaluate(async () => {
      const J = (window as unknown as { Jupyter: { notebook: { trusted: boolean } } }).Jupyter;
      const blocks = Array.from(document.querySelectorAll('.convbook-explain'));
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('.convbook-explain img'));
      await Promise.all(
        imgs.map((i) => (i.complete ? Promise.resolve() : new Promise((r) => i.addEventListener('load', r, { once: true })))),
      );
      return {
        trusted: J.notebook.trusted,
        blocks: blocks.length,
        tables: document.querySelectorAll('.convbook-explain table').length,
        strong: Array.from(document.querySelectorAll('.convbook-explain td strong')).map((s) => s.textContent ?? ''),
        pad: document.querySelectorAll('.convbook-explain td em').length,
        images: imgs.map((i) => ({ png: i.src.startsWith('data:image/png;base64,'), width: i.naturalWidth })),
        svg: document.querySelectorAll('.convbook-explain svg').length,
        checks: Array.from(document.querySelectorAll('.convbook-explain caption strong')).filter((s) =>
          (s.textContent ?? '').startsWith('Check'),
        ).length,
      };
    });
    await page.locator('#notebook-container').screenshot({ path: join(ARTIFACTS, 'explain-classic.png') });
    expect(seen.trusted).toBe(false);
    expect(seen.blocks).toBeGreaterThanOrEqual(20);
    expect(seen.tables).toBeGreaterThan(50);
    expect(seen.strong.length).toBeGreaterThan(10);
    expect(seen.pad).toBeGreaterThan(0);
    expect(seen.images.length).toBeGreaterThanOrEqual(6);
    for (const i of seen.images) expect(i).toMatchObject({ png: true });
    for (const i of seen.images) expect(i.width).toBeGreaterThan(100);
    expect(seen.svg).toBe(0);
    expect(seen.checks).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
