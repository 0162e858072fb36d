// Golden files for explain's text/plain form: each line of golden-explain/cases.txt is one explain
// statement run on the fixture session; its text goes to golden-explain/NAME.txt. UPDATE_GOLDEN=1
// rewrites them; review the diff by eye. The rich form is checked for what an untrusted notebook keeps.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explanationBundle, explanationText } from '../../render/explain.js';
import { explainCell, session } from './explain-fixture.js';

const dir = join(import.meta.dirname, 'golden-explain');
const cases = readFileSync(join(dir, 'cases.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [name, ...rest] = l.split(':');
    return { name: name.trim(), line: rest.join(':').trim() };
  });

beforeAll(async () => {
  await session();
}, 120_000);

describe('explain text goldens', () => {
  it('covers every form', () => {
    const forms = ['unit', 'convolve', 'size', 'gradient', 'weight_decay', 'dropout', 'early_stop', 'step', 'schedule'];
    for (const f of forms)
      expect(
        cases.some((c) => c.line.startsWith(`explain ${f} `) || (f === 'unit' && /^explain \w+\.conv/.test(c.line))),
        f,
      ).toBe(true);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const text = explanationText(await explainCell(c.line));
      const path = join(dir, `${c.name}.txt`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, `${c.line}\n\n${text}`);
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(`${c.line}\n\n${text}`).toBe(readFileSync(path, 'utf8'));
    });
  }
});

describe('explain rich form', () => {
  it('is HTML without svg or scripts, its picture a PNG data URI, its marks in <strong>', async () => {
    const b = explanationBundle(await explainCell('explain gradient tiny.pool1 of digits.test[7] at map 2, row 5, col 6'));
    const html = b['text/html'] as string;
    expect(html).not.toMatch(/<svg|<script|javascript:/i);
    expect(b['text/plain']).toMatch(/\* marks the cell/);
    expect(html).toMatch(/<strong>[^<]+<\/strong><\/td>/);
    const unit = explanationBundle(await explainCell('explain tiny.conv1 of digits.test[7] at map 1, row 0, col 5'));
    expect(unit['text/html']).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(
      Buffer.from(unit['image/png'] as string, 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(unit['text/html']).toContain('<em>pad</em>');
  });
});
