// jupyter_client drives the real kernel: bad signatures, garbage frames, interrupts during
// training, heartbeat under load, 200 cells, shutdown. Measurements are printed for the report.
import { describe, expect, it } from 'vitest';
import { installTempKernel, runPython, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'zmq']);

describe.skipIf(skip !== undefined)('kernel protocol robustness (jupyter_client)', () => {
  it('passes every robustness check', async () => {
    const { env } = installTempKernel('convbook-protocol');
    const r = await runPython(['test/e2e/kernel_protocol.py'], env, 480_000);
    console.log(
      r.stderr
        .split('\n')
        .filter((l) => /\.\.\.|Ran |OK|FAILED|Error|assert/i.test(l))
        .join('\n'),
    );
    console.log(
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith('REPORT'))
        .join('\n'),
    );
    expect(r.stderr).toMatch(/\nOK/);
    expect(r.code).toBe(0);
  }, 500_000);
});
