// The kernel behind a real Jupyter notebook server (REST + websocket bridge), as browsers reach it.
import { describe, expect, it } from 'vitest';
import { installTempKernel, runPython, skipReason } from './kernel-python.js';

const skip = skipReason(['jupyter_client', 'notebook', 'tornado']);

describe.skipIf(skip !== undefined)('kernel behind jupyter notebook server', () => {
  it('prints, displays, trains and reports errors through the websocket bridge', async () => {
    const { env } = installTempKernel('convbook-server');
    const r = await runPython(['test/e2e/kernel_server.py'], env, 280_000);
    if (r.code !== 0) console.log(r.stderr.slice(-4000));
    expect(r.stdout).toMatch(/server scenario ok/);
    expect(r.code).toBe(0);
  }, 300_000);
});
