// The session worker bridge against a small fixture worker: outputs, errors, env updates, interrupts
// (cooperative and forced), a crashing worker replaced by a fresh one, and shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import type { Output } from '../../session/protocol.js';
import { SessionWorker } from '../../kernel/session-worker.js';
import { setLogLevel } from '../../kernel/log.js';

setLogLevel('error');
const workerUrl = new URL('./fixtures/echo-worker.mjs', import.meta.url);
let session: SessionWorker | undefined;

function start(forceInterruptAfterMs = 2000): SessionWorker {
  session = new SessionWorker({ workerUrl, forceInterruptAfterMs });
  return session;
}

afterEach(async () => {
  await session?.shutdown();
  session = undefined;
});

async function run(e: SessionWorker, code: string) {
  const outputs: Output[] = [];
  const outcome = await e.execute(code, false, (o) => outputs.push(o));
  return { outputs, ...outcome };
}

describe('SessionWorker', () => {
  it('streams outputs, reports errors and keeps the latest env', async () => {
    const e = start();
    expect(await run(e, 'say hi')).toEqual({ outputs: [{ type: 'stream', name: 'stdout', text: 'hi' }] });
    await run(e, 'define digits');
    expect(Object.keys(e.env.data)).toEqual(['digits']);
    expect((await run(e, 'bad')).error?.ename).toBe('BadCell');
  });

  it('interrupts a cooperative cell through the shared flag, keeping the session', async () => {
    const e = start();
    await run(e, 'define kept');
    const pending = run(e, 'spin');
    setTimeout(() => e.interrupt(), 50);
    expect((await pending).error?.ename).toBe('KeyboardInterrupt');
    expect(Object.keys(e.env.data)).toEqual(['kept']);
    expect((await run(e, 'say after')).outputs).toHaveLength(1);
  });

  it('an interrupt before the worker is ready answers the cell at once and keeps the session', async () => {
    const e = new SessionWorker({ workerUrl: new URL('./fixtures/slow-start-worker.mjs', import.meta.url), forceInterruptAfterMs: 100 });
    session = e;
    const t0 = Date.now();
    const pending = run(e, 'spin');
    setTimeout(() => e.interrupt(), 50);
    const r = await pending;
    expect(r.error?.ename).toBe('KeyboardInterrupt');
    expect(r.error?.evalue).toMatch(/before the cell started/);
    expect(Date.now() - t0).toBeLessThan(1000);
    // Queued behind the cancelled one while the worker still loads; they run, the cancelled one does not.
    expect((await run(e, 'define kept')).error).toBeUndefined();
    expect((await run(e, 'say after')).outputs).toEqual([{ type: 'stream', name: 'stdout', text: 'after' }]);
    expect(Object.keys(e.env.data)).toEqual(['kept']);
  });

  it('an interrupt while idle is not carried over to the next cell', async () => {
    const e = start();
    await run(e, 'say warm');
    e.interrupt();
    const pending = run(e, 'spin');
    // spin only ends on an interrupt: it must still be running, so the idle one was dropped.
    const early = await Promise.race([pending.then(() => 'ended'), new Promise((r) => setTimeout(() => r('running'), 300))]);
    expect(early).toBe('running');
    e.interrupt();
    expect((await pending).error?.ename).toBe('KeyboardInterrupt');
  });

  it('whenReady resolves once the worker has loaded', async () => {
    const e = new SessionWorker({ workerUrl: new URL('./fixtures/slow-start-worker.mjs', import.meta.url) });
    session = e;
    const t0 = Date.now();
    await e.whenReady(20_000);
    expect(Date.now() - t0).toBeGreaterThan(1000);
    const t1 = Date.now();
    expect((await run(e, 'say quick')).outputs).toHaveLength(1);
    expect(Date.now() - t1).toBeLessThan(1000);
  });

  it('a second interrupt stops a cell that ignores the flag, and says state was lost', async () => {
    const e = start(100);
    // Started for sure (not merely posted), so this is the forced path, not a cancel before it starts.
    await run(e, 'say warm');
    const pending = run(e, 'hang');
    setTimeout(() => e.interrupt(), 50);
    setTimeout(() => e.interrupt(), 250);
    const r = await pending;
    expect(r.error?.ename).toBe('KeyboardInterrupt');
    expect(r.error?.evalue).toMatch(/state was lost/);
    expect((await run(e, 'say alive')).outputs).toEqual([{ type: 'stream', name: 'stdout', text: 'alive' }]);
  });

  it('reports a dead worker as an error for the running cell and starts a fresh one', async () => {
    const e = start();
    await run(e, 'define gone');
    const r = await run(e, 'crash');
    expect(r.error?.ename).toBe('SessionWorkerDied');
    expect(r.error?.evalue).toMatch(/code 3.*session state was lost/);
    expect(e.env.data).toEqual({});
    expect((await run(e, 'say fresh')).outputs).toHaveLength(1);
    const t = await run(e, 'throw');
    expect(t.error?.evalue).toMatch(/engine bug/);
    expect((await run(e, 'say again')).outputs).toHaveLength(1);
  });

  it('a worker that dies while starting is reported per cell, not respawned in a loop', async () => {
    let spawned = 0;
    const e = new SessionWorker({ workerUrl: new URL('./fixtures/broken-worker.mjs', import.meta.url) });
    session = e;
    const spawn = (e as unknown as { spawn: () => void }).spawn.bind(e);
    (e as unknown as { spawn: () => void }).spawn = () => {
      spawned++;
      spawn();
    };
    // Wait (however slow the machine) until the first worker has died while loading.
    const internals = e as unknown as { worker: unknown };
    for (let i = 0; i < 500 && internals.worker !== undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(internals.worker).toBeUndefined();
    expect(spawned).toBe(0);
    const r = await run(e, 'say hi');
    expect(r.error?.ename).toBe('SessionWorkerUnavailable');
    expect(r.error?.evalue).toMatch(/cannot load the engine/);
    expect(spawned).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(spawned).toBe(1);
  });

  it('shutdown ends even a hung worker promptly', async () => {
    const e = start();
    const pending = run(e, 'hang');
    await new Promise((r) => setTimeout(r, 50));
    await e.shutdown();
    expect((await pending).error?.ename).toBe('Shutdown');
    session = undefined;
  });
});
