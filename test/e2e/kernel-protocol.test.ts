// jupyter_client drives the real kernel: bad signatures, garbage frames, interrupts during
// training, heartbeat under load, 200 cells, shutdown. Measurements are printed for the report.
import { describe, expect, it } from 'vitest';
import { runPythonSuite, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'zmq']);

describe.skipIf(skip !== undefined)('kernel protocol robustness (jupyter_client)', () => {
  it('passes every robustness check', async () => {
    const r = await runPythonSuite('kernel_protocol.py', 'convbook-protocol', 480_000);
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.code).toBe(0);
  }, 500_000);
});
