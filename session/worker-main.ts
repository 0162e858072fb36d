// The session worker's entry point: a worker thread that owns the session and runs cells one at a time, so the kernel's
// main thread stays free for heartbeat, control and completion while a model trains.
import { parentPort, workerData } from 'node:worker_threads';
import { preloadPlots } from '../render/plot.js';
import { cleanStaleSaves } from '../runtime/io/index.js';
import { packageVersion } from '../runtime/version.js';
import { runCell } from './cell.js';
import { createContext } from './exec/context.js';
import { claimCell } from './interrupt-flag.js';
import { ioFromSink } from './output.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { createState, sessionNames } from './state.js';

const port = parentPort;
if (!port) throw new Error('session/worker-main.js must run as a worker thread');
const data = workerData as { interrupt: SharedArrayBuffer; cwd?: string };
const interrupt = new Int32Array(data.interrupt);
const state = createState(data.cwd ?? process.cwd());
const version = packageVersion;
const post = (m: WorkerReply) => port.postMessage(m);

// Cells arrive in order and run in order: each waits for the previous one.
let queue: Promise<void> = Promise.resolve();
/** Cells received and not finished: the background preload waits for zero. */
let waiting = 0;

port.on('message', (req: WorkerRequest) => {
  if (req.type === 'shutdown') {
    // The pool's threads first (they would end with this thread anyway).
    void (state.lanes?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    return;
  }
  const { id, code, silent } = req;
  waiting++;
  queue = queue.then(async () => {
    try {
      // False when an interrupt reached the kernel before this cell started: it was answered there.
      if (!claimCell(interrupt, id)) return;
      const io = ioFromSink((output) => {
        if (!silent) post({ type: 'output', id, output });
      });
      const error = await runCell(code, createContext(state, io, interrupt, version));
      post({ type: 'done', id, error, names: sessionNames(state) });
    } finally {
      waiting--;
      schedulePreload();
    }
  });
});

// Loading vega takes a few hundred milliseconds of this thread. It loads on first use; besides, once
// the worker has been idle for a while it loads in the background, so that a later first plot is quick
// while a first cell sent right after start never waits behind it.
let preloaded = false;
let preloadTimer: NodeJS.Timeout | undefined;
function schedulePreload(): void {
  if (preloaded) return;
  clearTimeout(preloadTimer);
  preloadTimer = setTimeout(() => {
    if (waiting > 0) return schedulePreload();
    preloaded = true;
    queue = queue.then(() => preloadPlots()).catch(() => undefined);
  }, 2000);
  preloadTimer.unref();
}

post({ type: 'ready', names: sessionNames(state) });
// Temporary files of saves whose kernel was killed mid-write (recorded in a journal) go now.
setTimeout(() => {
  for (const file of cleanStaleSaves()) console.error(`convbook: removed ${file}, left by a save that was killed`);
}, 0).unref();
schedulePreload();
