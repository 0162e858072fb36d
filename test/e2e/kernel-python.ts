// Shared by the e2e tests: find the Debian python with jupyter_client, install the kernelspec into
// a temporary Jupyter path, and run a python script with that environment.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const mainJs = join(root, 'dist', 'kernel', 'main.js');
export const python = '/usr/bin/python3';

/** Why the e2e tests cannot run here, or undefined when they can. In CI they must run. */
export function skipReason(modules: string[] = ['jupyter_client']): string | undefined {
  const missing: string[] = [];
  if (!existsSync(mainJs)) missing.push(`${mainJs} (run npm run build)`);
  for (const m of modules) {
    const r = spawnSync(python, ['-c', `import ${m}`], { stdio: 'ignore' });
    if (r.status !== 0) missing.push(`python module ${m}`);
  }
  if (missing.length === 0) return undefined;
  const reason = `e2e prerequisites missing: ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(`${reason} (CI is set, so this is a failure, not a skip)`);
  console.warn(`SKIPPING: ${reason}`);
  return reason;
}

/** A temp Jupyter data/path dir with the convbook kernelspec installed under `name`. */
export function installTempKernel(name = 'convbook'): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'convbook-jupyter-'));
  const r = spawnSync(process.execPath, [mainJs, 'install', '--prefix', dir, '--name', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convbook install failed: ${r.stderr}`);
  const data = join(dir, 'share', 'jupyter');
  const env = {
    ...process.env,
    JUPYTER_PATH: data,
    JUPYTER_DATA_DIR: join(dir, 'user-data'),
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
    JUPYTER_CONFIG_DIR: join(dir, 'config'),
    CONVBOOK_KERNEL_NAME: name,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return { env, dir };
}

export interface PyResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runPython(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PyResult> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs a Python unittest script of test/e2e against a temporary kernelspec and prints its summary (unittest
 * reports on stderr) and its REPORT lines (measurements on stdout) into the vitest log.
 */
export async function runPythonSuite(
  script: string,
  kernelName: string,
  timeoutMs: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<PyResult> {
  const { env } = installTempKernel(kernelName);
  const r = await runPython([`test/e2e/${script}`], { ...env, ...extraEnv }, timeoutMs);
  const summary = r.stderr.split('\n').filter((l) => /\.\.\.|Ran |OK|FAILED|Error|assert|skipped/i.test(l));
  const reports = r.stdout.split('\n').filter((l) => l.startsWith('REPORT'));
  console.log([...summary, ...reports].join('\n'));
  return r;
}
