// Entry point of the `convbook` command (bin/convbook.js and the kernelspec both run this file).
import { runCli } from './cli/commands.js';

runCli(process.argv.slice(2)).then(
  // Explicit exit: a finished runner may leave ZeroMQ handles that would keep node alive.
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`convbook: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
