// Shared by the browser tests: the classic Notebook server (Debian's jupyter-notebook) on a free port with
// a temporary convbook kernelspec, and headless Chromium driven by playwright-core. Stop both with close().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { installTempKernel, mainJs, python } from './kernel-python.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined; under CI a missing prerequisite is a failure. */
export function browserSkipReason(): string | undefined {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(CHROMIUM);
  if (!existsSync(mainJs)) missing.push(`${mainJs} (run npm run build)`);
  if (spawnSync(python, ['-c', 'import notebook'], { stdio: 'ignore' }).status !== 0) missing.push(`python module notebook (${python})`);
  if (missing.length === 0) return undefined;
  const reason = `browser e2e prerequisites missing: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${reason} (CI is set, so this is a failure, not a skip)`);
  console.warn(`SKIPPING: ${reason}`);
  return reason;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface ClassicNotebook {
  base: string;
  token: string;
  page: Page;
  /** Opens notebooks/<file> of the served folder and waits until its kernel is connected. */
  open(file: string): Promise<void>;
  log(): string;
  close(): Promise<void>;
}

/** Starts the server on `nbDir` (a fresh Jupyter data dir, so nothing is trusted) and a browser page. */
export async function startClassicNotebook(nbDir: string, kernelName = 'convbook'): Promise<ClassicNotebook> {
  const { env, dir } = installTempKernel(kernelName);
  const port = await freePort();
  const token = `t${port}x${Date.now().toString(36)}`;
  const base = `http://127.0.0.1:${port}`;
  let serverLog = '';
  const server: ChildProcess = spawn(
    python,
    [
      '-m',
      'notebook',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${nbDir}`,
      // Containers and CI runners often run as root, which the server refuses without this.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    { env: { ...env, IPYTHONDIR: join(dir, 'ipython') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  const until = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`notebook server exited (${server.exitCode}):\n${serverLog}`);
    if (Date.now() > until) throw new Error(`notebook server did not answer within 90 s:\n${serverLog}`);
    const up = await fetch(`${base}/api/status?token=${token}`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const context: BrowserContext = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'convbook-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    base,
    token,
    page,
    log: () => serverLog,
    async open(file: string) {
      await page.goto(`${base}/notebooks/${file}?token=${token}`);
      await page.waitForFunction(
        () => {
          const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter;
          return J?.notebook?.kernel?.is_connected() === true;
        },
        undefined,
        { timeout: 120_000 },
      );
    },
    async close() {
      await context.close().catch(() => undefined);
      // Shut kernels down through the API so no convbook process outlives the server.
      try {
        const kernels = (await (await fetch(`${base}/api/kernels?token=${token}`)).json()) as { id: string }[];
        await Promise.all(kernels.map((k) => fetch(`${base}/api/kernels/${k.id}?token=${token}`, { method: 'DELETE' })));
      } catch {
        // server already gone
      }
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
    },
  };
}
