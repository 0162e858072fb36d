// Every display the session can produce, through the real session: each bundle carries text/plain and
// either image/png or HTML that a sanitiser leaves intact and meaningful (no inline <svg>, no scripts or
// event handlers, images only as data:image/png <img>, and text left once every style attribute is gone).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatementKind } from '../../dsl/program.js';
import { executors } from '../../session/executors.js';
import type { MimeBundle } from '../../render/mime.js';
import type { Output } from '../../session/protocol.js';
import { createHarness } from './harness.js';

/** One cell per statement kind, in an order that builds on the previous ones. */
const cells: [StatementKind, string][] = [
  ['data', 'data digits = mnist(train: 300, test: 100, seed: 1)'],
  ['model', 'model tiny(input: 28x28x1) {\n  conv 4 kernel 5x5 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}'],
  ['value', 'tiny'],
  ['show_summary', 'show tiny'],
  ['show_image', 'show digits.test[7]'],
  ['show_samples', 'show digits.samples 12'],
  ['train', 'train tiny on digits { epochs 2  batch 30  seed 3  optimizer adam(lr: 0.003)  eval every 5 steps }'],
  ['evaluate', 'evaluate tiny on digits.test'],
  ['show_filters', 'show tiny.filters conv1'],
  ['show_feature_maps', 'show tiny.feature_maps conv1 of digits.test[7]'],
  ['show_history', 'show tiny.history'],
  ['show_schedule', 'show schedule exponential(d: 10, r: 1000) lr 0.1 steps 2000'],
  ['show_augment', 'show augment digits.train[3] shift 2, rotate 12 count 8 seed 1'],
  ['compare', 'compare tiny on loss'],
  ['convolve', 'convolve digits.test[7] with sobel_x'],
  ['convolve1d', 'convolve [2, 4, 3, 8, 6, 9, 7, 12] with [1/3, 1/3, 1/3]'],
  ['pool', 'maxpool digits.test[7] 2x2'],
  ['predict', 'predict tiny digits.test[7]'],
  ['save', 'save tiny "tiny.convbook"'],
  ['load', 'load tiny2 = "tiny.convbook"'],
  ['export', 'export tiny to "tiny.onnx"'],
  ['import', 'import tiny3 = "tiny.onnx"'],
  ['explain', 'explain tiny.conv1 of digits.test[7] at map 1, row 3, col 4'],
  ['print', 'print "hello"'],
  ['clear', 'clear'],
];

/** Problems a sanitiser (the classic Notebook's, JupyterLab's, nbconvert's bleach) would cause, in words. */
export function bundleProblems(b: MimeBundle): string[] {
  const p: string[] = [];
  if (typeof b['text/plain'] !== 'string' || (b['text/plain'] as string).trim() === '') p.push('no text/plain');
  if (b['image/svg+xml'] !== undefined && b['image/png'] === undefined) p.push('SVG without a PNG');
  const html = b['text/html'];
  if (html !== undefined) {
    const h = String(html);
    if (/<svg/i.test(h)) p.push('inline <svg> in HTML');
    if (/<script|javascript:|\son[a-z]+=/i.test(h)) p.push('script in HTML');
    for (const m of h.matchAll(/<img\b[^>]*>/g))
      if (!/src="data:image\/png;base64,[A-Za-z0-9+/=]+"/.test(m[0])) p.push(`img without a data:image/png src: ${m[0].slice(0, 60)}`);
    for (const m of h.matchAll(/<img\b[^>]*>/g)) if (!/alt="[^"]+"/.test(m[0])) p.push('img without alt text');
    const unstyled = h.replace(/\sstyle="[^"]*"/g, '');
    const words = unstyled
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z#0-9]+;/g, ' ')
      .trim();
    if (words === '' && !/<img/.test(unstyled)) p.push('HTML says nothing once styles are stripped');
  } else if (b['image/png'] === undefined) {
    // text/plain alone is fine for messages, but then no other rich type may stand in for it.
    const rich = Object.keys(b).filter((k) => k !== 'text/plain');
    if (rich.length) p.push(`only ${rich.join(', ')} besides text/plain`);
  }
  return p;
}

describe('every display bundle', () => {
  it('covers every statement kind of the executors table', () => {
    expect(cells.map(([k]) => k).sort()).toEqual(Object.keys(executors).sort());
  });

  it('has text/plain and a PNG or sanitiser-safe HTML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-bundles-'));
    const h = createHarness(dir);
    const seen: { kind: string; mimes: string[]; problems: string[] }[] = [];
    for (const [kind, code] of cells) {
      const r = await h.run(code);
      expect(r.error, `${kind}: ${r.error?.evalue}`).toBeUndefined();
      const bundles = r.outputs.flatMap((o: Output) =>
        o.type === 'display' || o.type === 'update' || o.type === 'result' ? [o.data] : [],
      );
      for (const b of bundles) seen.push({ kind, mimes: Object.keys(b).sort(), problems: bundleProblems(b) });
    }
    expect(seen.filter((s) => s.problems.length)).toEqual([]);
    // The visual statements each produced at least one image.
    const visual = [
      'show_image',
      'show_samples',
      'train',
      'evaluate',
      'show_filters',
      'show_feature_maps',
      'show_history',
      'show_schedule',
      'show_augment',
      'compare',
      'convolve',
      'convolve1d',
      'pool',
      'predict',
      'explain',
    ];
    for (const k of visual)
      expect(
        seen.some((s) => s.kind === k),
        k,
      ).toBe(true);
    for (const s of seen.filter((x) =>
      ['show_history', 'show_schedule', 'compare', 'convolve1d', 'show_filters', 'show_feature_maps', 'evaluate'].includes(x.kind),
    ))
      expect(s.mimes, s.kind).toContain('image/png');
  }, 120_000);

  it('catches what a sanitiser would break', () => {
    expect(bundleProblems({ 'text/plain': 'x', 'text/html': '<div><svg></svg></div>' })).toContain('inline <svg> in HTML');
    expect(bundleProblems({ 'text/plain': 'x', 'image/svg+xml': '<svg/>' })).toContain('SVG without a PNG');
    expect(bundleProblems({ 'text/plain': 'x', 'text/html': '<div style="background:red;width:50%"></div>' })).toContain(
      'HTML says nothing once styles are stripped',
    );
    expect(bundleProblems({ 'text/html': '<b>x</b>' })).toContain('no text/plain');
    expect(bundleProblems({ 'text/plain': 'x', 'text/html': '<img src="a.png" alt="a">' })[0]).toMatch(/data:image\/png/);
  });
});
