// nbclient executes every notebook in notebooks/ through the kernelspec, shrunk by CONVBOOK_SMALL=1.
import { describe, expect, it } from 'vitest';
import { installTempKernel, runPython, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'nbclient', 'nbformat']);

describe.skipIf(skip !== undefined)('notebooks run under nbclient', () => {
  it('executes every notebook without error', async () => {
    const { env } = installTempKernel('convbook-nbclient');
    const r = await runPython(['test/e2e/kernel_notebooks.py'], { ...env, CONVBOOK_SMALL: '1' }, 1_700_000);
    console.log(r.stdout);
    if (r.code !== 0) console.log(r.stderr.slice(-4000));
    expect(r.stdout).not.toMatch(/FAILURE/);
    expect(r.code).toBe(0);
  }, 1_800_000);
});
