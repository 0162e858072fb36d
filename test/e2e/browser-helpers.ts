// Shared by the browser tests: the classic Notebook server on a free port with a fresh Jupyter data dir
// (so nothing is trusted), headless Chromium with the project's flags, and a clean shutdown of both.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext } from 'playwright-core';
import { installTempKernel, mainJs, python, root } from './kernel-python.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(root, 'test-artifacts');

/** Why a browser test cannot run here (outside CI only; in CI a missing prerequisite is a failure). */
export function browserSkipReason(modules: string[]): string | undefined {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(CHROMIUM);
  if (!existsSync(mainJs)) missing.push(`${mainJs} (run npm run build)`);
  for (const m of modules)
    if (spawnSync(python, ['-c', `import ${m}`], { stdio: 'ignore' }).status !== 0) missing.push(`python module ${m} (${python})`);
  if (missing.length === 0) return undefined;
  const reason = `browser e2e prerequisites missing: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${reason} (CI is set, so this is a failure, not a skip)`);
  console.warn(`SKIPPING: ${reason}`);
  return reason;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface NotebookServer {
  base: string;
  token: string;
  log(): string;
  stop(): Promise<void>;
}

/** The classic Notebook serving nbDir, with the convbook kernelspec in a fresh, temporary Jupyter data dir. */
export async function startNotebookServer(nbDir: string): Promise<NotebookServer> {
  const { env, dir } = installTempKernel('convbook');
  const port = await freePort();
  const token = `t${port}x${Date.now().toString(36)}`;
  const base = `http://127.0.0.1:${port}`;
  let out = '';
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
  server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`notebook server exited (${server.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${base}/api/status?token=${token}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`notebook server did not answer within 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    token,
    log: () => out,
    async stop() {
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

/** Headless Chromium with a fresh profile; no network beyond what the page's own server gives. */
export async function launchChromium(width: number, height = 1000): Promise<BrowserContext> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'convbook-chromium-')), {
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
    viewport: { width, height },
  });
}

/** Whether a PNG screenshot holds more than one colour (a blank box is one colour). */
export function distinctColours(png: Buffer, limit = 50): number {
  const img = PNG.sync.read(png);
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length && seen.size < limit; i += 4 * 7)
    seen.add((img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2]);
  return seen.size;
}
