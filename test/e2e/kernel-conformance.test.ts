// jupyter_kernel_test's KernelTests against the installed convbook kernelspec (real engine worker).
import { describe, expect, it } from 'vitest';
import { installTempKernel, runPython, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'jupyter_kernel_test']);

describe.skipIf(skip !== undefined)('jupyter_kernel_test conformance', () => {
  it('passes every KernelTests test that convbook has samples for', async () => {
    const { env } = installTempKernel('convbook-conformance');
    const r = await runPython(['test/e2e/kernel_conformance.py'], { ...env, CONVBOOK_SMALL: '1' }, 280_000);
    // unittest reports on stderr; keep it visible in the vitest log.
    console.log(
      r.stderr
        .split('\n')
        .filter((l) => /\.\.\.|Ran |OK|FAILED|Error|skipped/.test(l))
        .join('\n'),
    );
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.code).toBe(0);
  }, 300_000);
});
