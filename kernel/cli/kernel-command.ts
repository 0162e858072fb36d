// `convbook kernel -f CONNECTION_FILE`: what a kernelspec's argv runs.
import { readConnectionFile } from '../connection.js';
import { SessionWorker } from '../session-worker.js';
import { installProcessHandlers, startKernel } from '../kernel.js';
import { parseArgs } from './args.js';
import { usageError, type Run } from './command.js';
import { usages } from './usages.js';

export const kernel: Run = async (argv) => {
  const parsed = parseArgs(argv, { values: { file: ['-f', '--file', '--connection-file'] }, flags: {} });
  if (!parsed.ok) return usageError(usages.kernel, parsed.message);
  const file = parsed.args.values.file ?? parsed.args.positionals[0];
  if (file === undefined) return usageError(usages.kernel, 'missing the connection file (-f FILE)');
  const conn = await readConnectionFile(file);
  if (!conn.ok) {
    process.stderr.write(`convbook: ${conn.message}\n`);
    return 1;
  }
  // The session worker starts loading first, so that it and this thread's copy of the language (for
  // completion) load side by side on two cores rather than one after the other.
  const session = new SessionWorker();
  try {
    const { dslServices } = await import('../language.js');
    const running = await startKernel(conn.info, { session, language: dslServices });
    installProcessHandlers(running, session);
  } catch (e) {
    process.stderr.write(`convbook: could not start the kernel with ${file}: ${(e as Error).message}\n`);
    await session.shutdown();
    return 1;
  }
  // Keep running: the sockets' receive loops hold the event loop open until shutdown exits.
  return new Promise<number>(() => undefined);
};
