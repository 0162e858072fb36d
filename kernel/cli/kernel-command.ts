// `convbook kernel -f CONNECTION_FILE`: what a kernelspec's argv runs.
import { readConnectionFile } from '../connection.js';
import { Engine } from '../engine.js';
import { installProcessHandlers, startKernel } from '../kernel.js';
import { dslServices } from '../language.js';
import { parseArgs } from './args.js';
import { usageError, type Command } from './command.js';

export const kernelCommand: Command = {
  usage: 'convbook kernel -f CONNECTION_FILE',
  summary: 'run the kernel (Jupyter starts this through the kernelspec)',
  async run(argv) {
    const parsed = parseArgs(argv, { values: { file: ['-f', '--file', '--connection-file'] }, flags: {} });
    if (!parsed.ok) return usageError(this, parsed.message);
    const file = parsed.args.values.file ?? parsed.args.positionals[0];
    if (file === undefined) return usageError(this, 'missing the connection file (-f FILE)');
    const conn = await readConnectionFile(file);
    if (!conn.ok) {
      process.stderr.write(`convbook: ${conn.message}\n`);
      return 1;
    }
    const engine = new Engine();
    try {
      const kernel = await startKernel(conn.info, { engine, language: dslServices });
      installProcessHandlers(kernel, engine);
    } catch (e) {
      process.stderr.write(`convbook: could not start the kernel with ${file}: ${(e as Error).message}\n`);
      await engine.shutdown();
      return 1;
    }
    // Keep running: the sockets' receive loops hold the event loop open until shutdown exits.
    return new Promise<number>(() => undefined);
  },
};
