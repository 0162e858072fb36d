// Reproducibility through the real kernel: a training notebook executed by `convbook run` gives the same
// metrics bit for bit when re-run, and when the same cells use 2 workers instead of 1. The training cell
// prints a sha256 of its full-precision metric history, which is what is compared.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainJs } from './kernel-python.js';

const cell = (source: string) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });

function runNotebook(dir: string, name: string, workers: number): string {
  const input = join(dir, `${name}.ipynb`);
  const cells = [
    cell('data d = mnist(train: 400, test: 100, seed: 3)'),
    cell('model m(input: 28x28x1) {\n  conv 4 kernel 3x3 relu\n  maxpool 2x2\n  dropout 0.25\n  dense 10 softmax\n}'),
    cell(
      `train m on d {\n  epochs 2  batch 32  seed 11  workers ${workers}\n  optimizer sgd(lr: 0.05, momentum: 0.9, nesterov: true)\n  augment shift 1, noise 0.02\n  eval every 5 steps\n}`,
    ),
  ];
  writeFileSync(input, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const out = join(dir, `${name}.out.ipynb`);
  const r = spawnSync(process.execPath, [mainJs, 'run', input, '-o', out, '--timeout', '300'], {
    encoding: 'utf8',
    env: { ...process.env, CONVBOOK_SMALL: '' },
  });
  expect(r.status, r.stderr).toBe(0);
  const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs: { output_type: string; text?: string | string[] }[] }[] };
  const text = nb.cells[2].outputs
    .filter((o) => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
    .join('');
  const hash = /metrics sha256 ([0-9a-f]{16})/.exec(text);
  expect(hash, text).not.toBeNull();
  return hash![1];
}

describe.skipIf(!existsSync(mainJs))('reproducible notebooks', () => {
  it('re-running, and running with 2 workers instead of 1, gives bit-identical metrics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-repro-'));
    const first = runNotebook(dir, 'one', 1);
    const again = runNotebook(dir, 'again', 1);
    const two = runNotebook(dir, 'two', 2);
    expect(again).toBe(first);
    expect(two).toBe(first);
  }, 600_000);
});
