// CLI pieces without processes: argument parsing, kernelspec install/uninstall into temp dirs,
// logos that decode as PNGs, the runner's output naming and the demo's accuracy line.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../kernel/cli/args.js';
import { lastAccuracyLine } from '../../kernel/cli/demo.js';
import { defaultOutputPath } from '../../kernel/cli/run.js';
import { codePointsToUtf16, utf16ToCodePoints } from '../../kernel/cursor.js';
import { installKernelSpec, kernelsDir, uninstallKernelSpec, userDataDir } from '../../kernel/kernelspec.js';

describe('parseArgs', () => {
  const spec = { values: { file: ['-f'], name: ['--name'] }, flags: { user: ['--user'] } };
  it('reads values, flags, = forms and positionals', () => {
    const r = parseArgs(['-f', 'c.json', '--name=x', '--user', 'pos'], spec);
    expect(r.ok && r.args.values).toEqual({ file: 'c.json', name: 'x' });
    expect(r.ok && [...r.args.flags]).toEqual(['user']);
    expect(r.ok && r.args.positionals).toEqual(['pos']);
  });
  it('rejects unknown options and missing values', () => {
    expect(parseArgs(['--nope'], spec)).toEqual({ ok: false, message: 'unknown option --nope' });
    expect(parseArgs(['-f'], spec)).toEqual({ ok: false, message: 'option -f needs a value' });
  });
});

describe('kernelspec', () => {
  it('installs kernel.json with absolute node and main.js paths, and two logos', async () => {
    const prefix = await mkdtemp(join(tmpdir(), 'convbook-spec-'));
    const dir = await installKernelSpec({ kind: 'prefix', prefix }, 'convbook-test', 'convbook (test)');
    expect(dir).toBe(join(prefix, 'share', 'jupyter', 'kernels', 'convbook-test'));
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv[1]).toMatch(/dist[/\\]kernel[/\\]main\.js$/);
    expect(spec.argv.slice(2)).toEqual(['kernel', '-f', '{connection_file}']);
    expect(spec).toMatchObject({ display_name: 'convbook (test)', language: 'convbook', interrupt_mode: 'message' });
    for (const size of [32, 64]) {
      const png = PNG.sync.read(readFileSync(join(dir, `logo-${size}x${size}.png`)));
      expect([png.width, png.height]).toEqual([size, size]);
    }
    expect(await uninstallKernelSpec([{ kind: 'prefix', prefix }], 'convbook-test')).toEqual([dir]);
    expect(existsSync(dir)).toBe(false);
  });

  it('uses JUPYTER_DATA_DIR for user installs when set', () => {
    expect(userDataDir({ JUPYTER_DATA_DIR: '/x/y' })).toBe('/x/y');
    expect(kernelsDir({ kind: 'user' }, { JUPYTER_DATA_DIR: '/x/y' })).toBe(join('/x/y', 'kernels'));
  });
});

describe('runner helpers', () => {
  it('names the executed copy beside the input', () => {
    expect(defaultOutputPath(join('nb', 'lenet.ipynb'))).toBe(join('nb', 'lenet.out.ipynb'));
    expect(defaultOutputPath(join('src', 'lenet.cnb'))).toBe(join('src', 'lenet.out.ipynb'));
  });

  it('finds the last printed accuracy line', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'code' as const,
          source: '',
          metadata: {},
          outputs: [
            { output_type: 'stream' as const, name: 'stdout' as const, text: 'epoch 1 accuracy 0.5\nepoch 2 accuracy 0.9\nloss 1' },
          ],
        },
        {
          cell_type: 'code' as const,
          source: '',
          metadata: {},
          outputs: [
            { output_type: 'execute_result' as const, data: { 'text/plain': 'test accuracy 0.1' }, metadata: {}, execution_count: 1 },
          ],
        },
      ],
    };
    expect(lastAccuracyLine(nb)).toBe('epoch 2 accuracy 0.9');
  });
});

describe('cursor conversion', () => {
  it('converts between code points and UTF-16 around astral characters', () => {
    const s = 'a🙂b';
    expect(codePointsToUtf16(s, 2)).toBe(3);
    expect(utf16ToCodePoints(s, 3)).toBe(2);
    expect(codePointsToUtf16(s, 99)).toBe(4);
  });
});
