// `convbook run` end to end: a real kernel process, real session worker, real ZeroMQ client. Checks the
// executed notebook's outputs, and that an error cell stops the run with its number named.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainJs } from './kernel-python.js';

interface Out {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  ename?: string;
  execution_count?: number;
}
interface Cell {
  cell_type: string;
  source: string;
  outputs?: Out[];
  execution_count?: number | null;
}

const code = (source: string) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });
const markdown = (source: string) => ({ cell_type: 'markdown', metadata: {}, source });

function notebook(dir: string, name: string, cells: object[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  return file;
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mainJs, 'run', ...args], { env: { ...process.env, CONVBOOK_SMALL: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (c) => resolve({ code: c, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(mainJs))('convbook run', () => {
  it('executes every code cell in order and writes nbformat outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-runner-'));
    const input = notebook(dir, 'small.ipynb', [
      markdown('# a small notebook'),
      code('print "hello from the runner"'),
      code('data d = mnist(train: 100, test: 20)\nshow d.test[0]'),
      code('model tiny(input: 28x28x1) {\n  dense 10 softmax\n}'),
      code('train tiny on d {\n  epochs 1  batch 20\n}'),
      code('evaluate tiny on d.test'),
    ]);
    const r = await run([input, '-o', join(dir, 'done.ipynb'), '--timeout', '240']);
    expect(r.stderr).not.toMatch(/error in cell/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[5\/5\] cell 6 \(evaluate tiny on d\.test\): ok/);
    const cells = (JSON.parse(readFileSync(join(dir, 'done.ipynb'), 'utf8')) as { cells: Cell[] }).cells;
    expect(cells[0].outputs).toBeUndefined();
    expect(cells.slice(1).map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(cells[1].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'hello from the runner\n' }]);
    expect(cells[2].outputs!.some((o) => o.output_type === 'display_data' && typeof o.data?.['image/png'] === 'string')).toBe(true);
    // Training's live dashboard was updated in place: still one display, never an update message.
    expect(cells[4].outputs!.filter((o) => o.output_type === 'display_data').length).toBeGreaterThanOrEqual(1);
    expect(cells.flatMap((c) => c.outputs ?? []).some((o) => o.output_type === 'update_display_data')).toBe(false);
    const evaluated = cells[5]
      .outputs!.filter((o) => o.output_type === 'stream')
      .map((o) => o.text)
      .join('');
    expect(evaluated).toMatch(/accuracy/);
  }, 300_000);

  it('stops at the first error, exits non-zero and names the cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-runner-'));
    const input = notebook(dir, 'broken.ipynb', [
      code('print "fine"'),
      markdown('text'),
      code('train ghost on nowhere'),
      code('print "never"'),
    ]);
    const r = await run([input]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error in cell 3 of .*broken\.ipynb: \w+: .+/);
    const cells = (JSON.parse(readFileSync(join(dir, 'broken.out.ipynb'), 'utf8')) as { cells: Cell[] }).cells;
    expect(cells[2].outputs![0].output_type).toBe('error');
    expect(cells[3].outputs).toEqual([]);
    expect(cells[3].execution_count).toBeNull();
  }, 120_000);

  it('runs a .cnb percent-format source (Windows line endings too) into a .out.ipynb beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-runner-'));
    const src = join(dir, 'lab.cnb');
    writeFileSync(
      src,
      ['# %% [markdown]', '# # A lab', '# %%', 'print "from a source"', '# %%', 'data d = mnist(train: 100, test: 20)', ''].join('\r\n'),
    );
    const r = await run([src]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const nb = JSON.parse(readFileSync(join(dir, 'lab.out.ipynb'), 'utf8')) as {
      cells: Cell[];
      metadata: { language_info: { name: string } };
    };
    expect(nb.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code']);
    expect(nb.cells[1].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'from a source\n' }]);
    expect(nb.metadata.language_info.name).toBe('convbook');
  }, 120_000);
});
