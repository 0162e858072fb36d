// Debian's Python with the modules an interop test needs (python3-onnx, python3-torch). Without them the
// test skips with a message, except when CI is set, where it fails: bash .ci/run installs both.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

// Importing torch costs Python about a second: ask once per module and process (test:quick shares one process).
const importable = new Map<string, boolean>();

/** Why a test needing this Python module cannot run here, or undefined when it can. In CI it must run. */
export function pythonSkip(module: string): string | undefined {
  if (!importable.has(module)) importable.set(module, spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
  if (importable.get(module)) return undefined;
  const reason = `${PYTHON} cannot import ${module}: install Debian's python3-${module}`;
  if (process.env.CI) throw new Error(`${reason} (CI is set, so this is a failure, not a skip)`);
  console.warn(`SKIPPING: ${reason}`);
  return reason;
}
