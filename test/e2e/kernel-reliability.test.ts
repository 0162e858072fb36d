// jupyter_client against fresh kernels: interrupts before the session worker is ready, the first cell's
// latency, replayed messages, unknown types, usage_request and IPv6. Measurements go to the log.
import { describe, expect, it } from 'vitest';
import { runPythonSuite, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'zmq']);

describe.skipIf(skip !== undefined)('kernel reliability (jupyter_client, fresh kernels)', () => {
  it('passes every reliability check', async () => {
    const r = await runPythonSuite('kernel_reliability.py', 'convbook-reliability', 300_000);
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.code).toBe(0);
  }, 320_000);
});
