// The classic Notebook in headless Chromium colours convbook cells with the kernelspec's CodeMirror mode
// (kernel.js), not as Python: statement keywords, layers, sizes, numbers, strings and comments get their
// CodeMirror classes, and Python's words (`with`, `eval`) are not Python keywords. Screenshot in test-artifacts/.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, startClassicNotebook, type ClassicNotebook } from './classic-notebook.js';
import { root } from './kernel-python.js';

const skip = browserSkipReason();
const ARTIFACTS = join(root, 'test-artifacts');

const cells = [
  'data digits = mnist(train: 800, test: 200, seed: 42)   # a comment',
  'model lenet(input: 28x28x1) {\n  conv 6 kernel 5x5 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}',
  'train lenet on digits {\n  epochs 2  batch 32\n  optimizer adam(lr: 0.002)\n  eval every 100 steps\n}',
  'convolve digits.test[7] with sobel_x\nsave lenet "lenet.cbm"',
  'model b from lenet freeze conv1 {\n  replace dense 10 softmax\n}\nshow b.feature_maps conv1 of digits.test[3]',
];

describe.skipIf(skip !== undefined)('syntax highlighting in the classic Notebook', () => {
  let nb: ClassicNotebook;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'convbook-highlight-nb-'));
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'convbook', display_name: 'convbook', language: 'convbook' } },
      cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null })),
    };
    writeFileSync(join(dir, 'highlight.ipynb'), JSON.stringify(notebook));
    nb = await startClassicNotebook(dir);
    await nb.open('highlight.ipynb');
  }, 240_000);

  afterAll(async () => nb?.close(), 60_000);

  it('uses the convbook mode and classes from the built-ins table', async () => {
    const { page } = nb;
    await page.waitForFunction(
      () => {
        const J = (
          window as unknown as { Jupyter: { notebook: { get_cell(i: number): { code_mirror: { getOption(o: string): unknown } } } } }
        ).Jupyter;
        return J.notebook.get_cell(0).code_mirror.getOption('mode') === 'convbook';
      },
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(300);
    const byClass = await page.evaluate(() => {
      const out: Record<string, string[]> = {};
      for (const el of Array.from(document.querySelectorAll('.CodeMirror-code span[class^="cm-"]'))) {
        for (const c of Array.from(el.classList)) (out[c] ??= []).push(el.textContent ?? '');
      }
      return out;
    });
    await page.locator('#notebook-container').screenshot({ path: join(ARTIFACTS, 'highlight-classic.png') });
    expect(byClass['cm-keyword']).toEqual(
      expect.arrayContaining(['data', 'model', 'train', 'on', 'convolve', 'with', 'save', 'maxpool', 'from', 'freeze', 'replace', 'of']),
    );
    expect(byClass['cm-builtin']).toEqual(expect.arrayContaining(['conv', 'dense', 'mnist', 'adam', 'sobel_x']));
    expect(byClass['cm-number']).toEqual(expect.arrayContaining(['28x28x1', '5x5', '2x2', '6', '0.002', '100']));
    expect(byClass['cm-string']).toEqual(expect.arrayContaining(['"lenet.cbm"']));
    expect(byClass['cm-comment']).toEqual(expect.arrayContaining(['# a comment']));
    expect(byClass['cm-atom']).toEqual(expect.arrayContaining(['relu', 'softmax', 'same']));
    expect(byClass['cm-attribute']).toEqual(expect.arrayContaining(['epochs', 'batch', 'kernel', 'padding', 'lr']));
    expect(byClass['cm-def']).toEqual(expect.arrayContaining(['digits', 'lenet']));
    // The user's own names are not keywords, and no Python keyword class leaks in.
    expect(byClass['cm-keyword'] ?? []).not.toContain('lenet');
    expect(byClass['cm-keyword'] ?? []).not.toContain('eval');
  }, 120_000);
});
