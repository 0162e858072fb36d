// The one table of `convbook` subcommands, and the dispatch from argv to one of them.
import type { Command } from './command.js';
import { demoCommand } from './demo.js';
import { installCommand, uninstallCommand } from './install.js';
import { kernelCommand } from './kernel-command.js';
import { runCommand } from './run.js';
import { packageVersion } from '../version.js';

export const commands: Readonly<Record<string, Command>> = {
  install: installCommand,
  uninstall: uninstallCommand,
  kernel: kernelCommand,
  run: runCommand,
  demo: demoCommand,
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
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`convbook: unknown command '${name}'\n${help()}`);
    return 2;
  }
  return command.run(rest);
}
