// Kernelspec install/uninstall without Jupyter or Python: where Jupyter looks for kernels, and the
// kernel.json (from the repository's template, with absolute node and main.js paths), logos, and the
// classic Notebook's kernel.js (the CodeMirror mode of the language).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeMirrorKernelJs } from '../dsl/highlight.js';
import { drawLogo } from './logo.js';
import { packageRoot } from '../runtime/version.js';

export type InstallScope = { kind: 'user' } | { kind: 'prefix'; prefix: string } | { kind: 'system' };

/** Jupyter's per-user data dir: JUPYTER_DATA_DIR, else the platform default. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (platform() === 'win32') return join(env.APPDATA ?? homedir(), 'jupyter');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}

export function kernelsDir(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case 'user':
      return join(userDataDir(env), 'kernels');
    case 'prefix':
      return join(scope.prefix, 'share', 'jupyter', 'kernels');
    case 'system':
      return platform() === 'win32' ? join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'jupyter', 'kernels') : '/usr/local/share/jupyter/kernels';
  }
}

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'message' | 'signal';
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** The compiled entry point the kernelspec runs. */
export function mainScriptPath(): string {
  const beside = fileURLToPath(new URL('./main.js', import.meta.url));
  return existsSync(beside) ? beside : join(packageRoot, 'dist', 'kernel', 'main.js');
}

export function buildKernelSpec(displayName?: string): KernelSpecJson {
  const template = JSON.parse(readFileSync(join(packageRoot, 'kernel.json'), 'utf8')) as KernelSpecJson;
  // The template's argv says what to run; installed, it must not depend on PATH or the cwd.
  const argv = [process.execPath, mainScriptPath(), ...template.argv.slice(2)];
  return { ...template, argv, ...(displayName ? { display_name: displayName } : {}) };
}

export async function installKernelSpec(scope: InstallScope, name: string, displayName?: string): Promise<string> {
  const dir = join(kernelsDir(scope), name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'kernel.json'), JSON.stringify(buildKernelSpec(displayName), null, 2) + '\n');
  await writeFile(join(dir, 'logo-32x32.png'), drawLogo(32));
  await writeFile(join(dir, 'logo-64x64.png'), drawLogo(64));
  await writeFile(join(dir, 'kernel.js'), codeMirrorKernelJs());
  return dir;
}

/** Removes the spec from the given scope; returns the directories actually removed. */
export async function uninstallKernelSpec(scopes: InstallScope[], name: string): Promise<string[]> {
  const removed: string[] = [];
  for (const scope of scopes) {
    const dir = join(kernelsDir(scope), name);
    if (existsSync(join(dir, 'kernel.json'))) {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}
