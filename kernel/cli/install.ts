// `convbook install` and `convbook uninstall`: the kernelspec, written without Jupyter or Python.
import { kernelsDir, installKernelSpec, uninstallKernelSpec, type InstallScope } from '../kernelspec.js';
import { parseArgs } from './args.js';
import { usageError, type Run } from './command.js';
import { usages } from './usages.js';

const scopeSpec = {
  values: { prefix: ['--prefix'], name: ['--name'], displayName: ['--display-name'] },
  flags: { user: ['--user'], sysPrefix: ['--sys-prefix'], system: ['--system'], help: ['-h', '--help'] },
};

function chooseScope(values: Record<string, string>, flags: Set<string>): InstallScope | string {
  const chosen = [flags.has('user'), values.prefix !== undefined, flags.has('sysPrefix'), flags.has('system')].filter(Boolean).length;
  if (chosen > 1) return 'choose one of --user, --prefix DIR, --sys-prefix, --system';
  if (values.prefix !== undefined) return { kind: 'prefix', prefix: values.prefix };
  if (flags.has('sysPrefix')) {
    // Jupyter reads <sys.prefix>/share/jupyter of the Python it runs in: an active venv or conda env.
    const prefix = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
    if (prefix === undefined)
      return '--sys-prefix needs an active virtualenv or conda environment (VIRTUAL_ENV / CONDA_PREFIX); use --user or --prefix DIR';
    return { kind: 'prefix', prefix };
  }
  if (flags.has('system')) return { kind: 'system' };
  if (flags.has('user')) return { kind: 'user' };
  // No flag: system-wide when we may write there (root), else the user's data dir.
  return process.getuid?.() === 0 ? { kind: 'system' } : { kind: 'user' };
}

export const install: Run = async (argv) => {
  const parsed = parseArgs(argv, scopeSpec);
  if (!parsed.ok) return usageError(usages.install, parsed.message);
  const { values, flags } = parsed.args;
  if (flags.has('help')) {
    process.stdout.write(`usage: ${usages.install}\n`);
    return 0;
  }
  const scope = chooseScope(values, flags);
  if (typeof scope === 'string') return usageError(usages.install, scope);
  const name = values.name ?? 'convbook';
  if (!/^[a-z0-9._-]+$/i.test(name))
    return usageError(usages.install, `kernel name '${name}' may only hold letters, digits, '.', '_' and '-'`);
  try {
    const dir = await installKernelSpec(scope, name, values.displayName);
    process.stdout.write(`installed kernelspec ${name} in ${dir}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`convbook: could not install into ${kernelsDir(scope)}: ${(e as Error).message}\n`);
    return 1;
  }
};

export const uninstall: Run = async (argv) => {
  const parsed = parseArgs(argv, scopeSpec);
  if (!parsed.ok) return usageError(usages.uninstall, parsed.message);
  const { values, flags } = parsed.args;
  const explicit = flags.has('user') || flags.has('sysPrefix') || flags.has('system') || values.prefix !== undefined;
  let scopes: InstallScope[];
  if (explicit) {
    const scope = chooseScope(values, flags);
    if (typeof scope === 'string') return usageError(usages.uninstall, scope);
    scopes = [scope];
  } else {
    scopes = [{ kind: 'user' }, { kind: 'system' }];
  }
  const name = values.name ?? 'convbook';
  try {
    const removed = await uninstallKernelSpec(scopes, name);
    if (removed.length === 0) {
      process.stderr.write(`convbook: no kernelspec named ${name} found in ${scopes.map((s) => kernelsDir(s)).join(', ')}\n`);
      return 1;
    }
    for (const dir of removed) process.stdout.write(`removed ${dir}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`convbook: ${(e as Error).message}\n`);
    return 1;
  }
};
