// The one table of `convbook` subcommands, and the dispatch from argv to one of them.
import type { Command } from './command.js';
import { usages } from './usages.js';
import { packageVersion } from '../../runtime/version.js';

export const commands: Readonly<Record<keyof typeof usages, Command>> = {
  install: {
    usage: usages.install,
    summary: 'install the convbook kernelspec so Jupyter, JupyterLab and VS Code can find it',
    load: () => import('./install.js').then((m) => m.install),
  },
  uninstall: {
    usage: usages.uninstall,
    summary: 'remove the convbook kernelspec (from every standard place unless one is given)',
    load: () => import('./install.js').then((m) => m.uninstall),
  },
  kernel: {
    usage: usages.kernel,
    summary: 'run the kernel (Jupyter starts this through the kernelspec)',
    load: () => import('./kernel-command.js').then((m) => m.kernel),
  },
  run: {
    usage: usages.run,
    summary: 'execute every code cell of a notebook through the kernel and write the executed copy',
    load: () => import('./run.js').then((m) => m.run),
  },
  demo: {
    usage: usages.demo,
    summary: 'run notebooks/lenet-mnist.ipynb (or quickstart.ipynb) and print its accuracy',
    load: () => import('./demo.js').then((m) => m.demo),
  },
};

function help(): string {
  const lines = Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `convbook ${packageVersion}\n\nusage:\n${lines.join('\n')}\n`;
}

/** Returns the exit code; `kernel` only returns if it could not start. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageVersion}\n`);
    return 0;
  }
  const command = (commands as Record<string, Command | undefined>)[name];
  if (command === undefined) {
    process.stderr.write(`convbook: unknown command '${name}'\n${help()}`);
    return 2;
  }
  return (await command.load())(rest);
}
