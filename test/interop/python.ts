// Debian's Python with the modules an interop test needs (python3-onnx, python3-torch). Without them the
// test skips with a message, except under CI=true, where it fails: CI installs both.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

const seen = new Map<string, boolean>();

export function hasPython(module: string): boolean {
  if (!seen.has(module)) seen.set(module, spawnSync(PYTHON, ['-c', `import ${module}`]).status === 0);
  return seen.get(module)!;
}

/** Throws a clear error when the module is missing (tests call it first). */
export function requirePython(module: string): void {
  if (!hasPython(module)) throw new Error(`${PYTHON} cannot import ${module}: install Debian's python3-${module} (bash .ci/run does)`);
}
