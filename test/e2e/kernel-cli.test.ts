// The built CLI as a user runs it: connection-file errors exit non-zero naming file and field,
// install/uninstall write and remove a kernelspec, unknown commands and options are refused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainJs } from './kernel-python.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [mainJs, ...args], { encoding: 'utf8', timeout: 30_000 });

describe.skipIf(!existsSync(mainJs))('convbook CLI', () => {
  it('kernel: a missing or invalid connection file exits 1 and says which file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-cli-'));
    const missing = cli('kernel', '-f', join(dir, 'absent.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'absent.json'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ip: '127.0.0.1',
        transport: 'tcp',
        shell_port: 1,
        iopub_port: 2,
        stdin_port: 3,
        control_port: 'x',
        hb_port: 5,
        key: '',
      }),
    );
    const invalid = cli('kernel', '-f', bad);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/bad\.json: field 'control_port'/);
    expect(cli('kernel').status).toBe(2);
  });

  it('install --prefix writes a kernelspec Jupyter can use; uninstall removes it', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'convbook-cli-'));
    const r = cli('install', '--prefix', prefix, '--name', 'cb-cli', '--display-name', 'ConvBook');
    expect(r.status).toBe(0);
    const dir = join(prefix, 'share', 'jupyter', 'kernels', 'cb-cli');
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    expect(spec.argv).toEqual([process.execPath, mainJs, 'kernel', '-f', '{connection_file}']);
    expect(spec.display_name).toBe('ConvBook');
    expect(existsSync(join(dir, 'logo-64x64.png'))).toBe(true);
    expect(cli('uninstall', '--prefix', prefix, '--name', 'cb-cli').status).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(cli('uninstall', '--prefix', prefix, '--name', 'cb-cli').status).toBe(1);
  });

  it('refuses unknown commands and options with usage', () => {
    expect(cli('frobnicate').status).toBe(2);
    const r = cli('install', '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus/);
  });
});
