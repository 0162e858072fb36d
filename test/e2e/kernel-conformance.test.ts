// jupyter_kernel_test's KernelTests against the installed convbook kernelspec (real session worker).
import { describe, expect, it } from 'vitest';
import { runPythonSuite, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'jupyter_kernel_test']);

describe.skipIf(skip !== undefined)('jupyter_kernel_test conformance', () => {
  it('passes every KernelTests test that convbook has samples for', async () => {
    const r = await runPythonSuite('kernel_conformance.py', 'convbook-conformance', 280_000, { CONVBOOK_SMALL: '1' });
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.code).toBe(0);
  }, 300_000);
});
