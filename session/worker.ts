// The engine: a worker thread that owns the session and runs cells one at a time, so the kernel's
// main thread stays free for heartbeat, control and completion while a model trains.
import { parentPort, workerData } from 'node:worker_threads';
import { preloadPlots } from '../render/plot.js';
import { packageVersion } from '../runtime/version.js';
import { runCell } from './cell.js';
import { createContext } from './exec/context.js';
import { ioFromSink } from './output.js';
import { INTERRUPT_SLOT, type EngineReply, type EngineRequest } from './protocol.js';
import { createState, sessionNames } from './state.js';

const port = parentPort;
if (!port) throw new Error('session/worker.js must run as a worker thread');
const data = workerData as { interrupt: SharedArrayBuffer; cwd?: string };
const interrupt = new Int32Array(data.interrupt);
const state = createState(data.cwd ?? process.cwd());
const version = packageVersion;
const post = (m: EngineReply) => port.postMessage(m);

// Cells arrive in order and run in order: each waits for the previous one.
let queue: Promise<void> = Promise.resolve();

port.on('message', (req: EngineRequest) => {
  if (req.type === 'shutdown') {
    process.exit(0);
  }
  const { id, code, silent } = req;
  queue = queue.then(async () => {
    // An interrupt that arrived while idle must not cancel the next cell.
    Atomics.store(interrupt, INTERRUPT_SLOT, 0);
    const io = ioFromSink((output) => {
      if (!silent) post({ type: 'output', id, output });
    });
    const error = await runCell(code, createContext(state, io, interrupt, version));
    post({ type: 'done', id, error, names: sessionNames(state) });
  });
});

post({ type: 'ready', names: sessionNames(state) });
// Loading vega takes about a second; do it while the engine is idle so the first plot is not slow.
queue = queue.then(() => preloadPlots()).catch(() => undefined);
