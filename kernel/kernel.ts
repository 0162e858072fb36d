// A running kernel: sockets + dispatcher + session worker, plus process signals and the shutdown path.
// Heavy work is in the session worker, so this thread only ever moves messages.
import type { SessionHandle, LanguageServices } from './handler-context.js';
import { Dispatcher } from './dispatch.js';
import type { ConnectionInfo } from './connection.js';
import { SessionWorker } from './session-worker.js';
import { handlers } from './handler-table.js';
import { HistoryStore } from './history-store.js';
import { log } from './log.js';
import { orphan, type Channel, type Message } from './message.js';
import { bindKernelSockets } from './sockets.js';
import { encode, makeSigner } from './wire.js';

export interface KernelOptions {
  session?: SessionHandle;
  /** Passed in (kernel-command binds the dsl's) so the kernel core does not depend on dsl/index. */
  language: LanguageServices;
  /** Called instead of process.exit once shutdown has finished (tests). */
  exit?: (code: number) => void;
}

export interface RunningKernel {
  shutdown(): Promise<void>;
}

export async function startKernel(info: ConnectionInfo, options: KernelOptions): Promise<RunningKernel> {
  const signerResult = makeSigner(info.key, info.signature_scheme);
  if (!signerResult.ok) throw new Error(signerResult.message);
  const signer = signerResult.signer;
  const session = options.session ?? new SessionWorker();
  const exit = options.exit ?? ((code: number) => process.exit(code));

  let sendFrames: (channel: Channel, frames: Buffer[]) => Promise<void> = () => Promise.resolve();
  const send = (channel: Channel, message: Message): void => {
    sendFrames(channel, encode(message, signer)).catch((e: unknown) => log.warn(`send on ${channel} failed`, e));
  };

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down');
      // Whatever happens below, the process is gone within a second.
      const deadline = setTimeout(() => exit(0), 1000);
      try {
        await session.shutdown();
        // The shutdown_reply is queued; give ZeroMQ's I/O thread a moment to put it on the wire.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sockets.close();
      } catch (e) {
        log.warn('error during shutdown', e);
      }
      clearTimeout(deadline);
      exit(0);
    })();
    return stopping;
  };

  const dispatcher = new Dispatcher({
    table: handlers,
    signer,
    send,
    services: {
      session,
      language: options.language,
      history: new HistoryStore(),
      counter: { value: 0 },
      requestShutdown: () => {
        void shutdown();
      },
    },
  });

  const sockets = await bindKernelSockets(info, (channel, frames) => dispatcher.receive(channel, frames));
  sendFrames = (channel, frames) => sockets.send(channel, frames);
  const starting = orphan('status', { execution_state: 'starting' });
  starting.identities = [Buffer.from('kernel.starting.status')];
  send('iopub', starting);
  log.info(`listening (${info.transport}://${info.ip}, shell ${info.shell_port})`);
  return { shutdown };
}

/** Process-wide behaviour for the `kernel` subcommand: SIGINT interrupts, it never kills. */
export function installProcessHandlers(kernel: RunningKernel, session: SessionHandle): void {
  process.on('SIGINT', () => {
    log.info('SIGINT: interrupting the running cell');
    session.interrupt();
  });
  process.on('SIGTERM', () => {
    void kernel.shutdown();
  });
  watchParent(kernel);
  process.on('uncaughtException', (e) => log.error('uncaught exception (kernel keeps running)', e));
  process.on('unhandledRejection', (e) => log.error('unhandled rejection (kernel keeps running)', e));
}

/**
 * If the process that started us (the Jupyter server) dies without shutting us down, we are
 * re-parented; notice it and exit rather than linger with a worker holding gigabytes.
 */
function watchParent(kernel: RunningKernel): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  setInterval(() => {
    if (process.ppid !== parent) {
      log.warn(`parent process ${parent} is gone; shutting down`);
      void kernel.shutdown();
    }
  }, 2000).unref();
}
