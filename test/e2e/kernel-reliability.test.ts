// jupyter_client against fresh kernels: interrupts before the engine is ready, the first cell's
// latency, replayed messages, unknown types, usage_request and IPv6. Measurements go to the log.
import { describe, expect, it } from 'vitest';
import { installTempKernel, runPython, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'zmq']);

describe.skipIf(skip !== undefined)('kernel reliability (jupyter_client, fresh kernels)', () => {
  it('passes every reliability check', async () => {
    const { env } = installTempKernel('convbook-reliability');
    const r = await runPython(['test/e2e/kernel_reliability.py'], env, 300_000);
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
  }, 320_000);
});
