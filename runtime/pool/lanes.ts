// The pool's worker threads, kept between jobs: a session starts them once and every statement (a training
// run, an evaluation, a prediction) hands them a job (runtime/pool/pool.ts) instead of starting threads
// again. Nothing here knows about jobs: it starts, counts, re-sizes, replaces and stops threads.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface Lanes {
  /** Worker threads started so far, restarts included (a statement that reuses threads adds none). */
  readonly starts: number;
  /** Worker threads alive now (the lanes beyond lane 0, which is the calling thread). */
  readonly size: number;
  /**
   * Exactly `threads` worker threads for a job whose replicas have the shape `key`: those alive are reused
   * when the key is unchanged, extra ones are stopped, missing ones started. A new key replaces every
   * thread, so no thread keeps the WebAssembly memory a larger model grew (it never shrinks).
   */
  acquire(threads: number, key: string): Promise<Worker[]>;
  /** The threads alive now, without starting any (a job too small to need more uses what is there). */
  idle(key: string): Worker[];
  /** Stops every thread (after a failure, none may write shared memory later); the next acquire starts fresh ones. */
  discard(): Promise<void>;
  close(): Promise<void>;
}

/** The compiled worker beside this file, or (when running from TypeScript sources) the one `npm run build` made. */
export function workerScript(): URL {
  const own = new URL('./lane-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(own))) return own;
  const built = new URL('../../dist/runtime/pool/lane-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`pool: worker script not found at ${fileURLToPath(own)} or ${fileURLToPath(built)}; run npm run build`);
}

export function createLanes(): Lanes {
  let threads: Worker[] = [];
  let key: string | undefined;
  let starts = 0;

  const spawn = (): Worker => {
    const w = new Worker(workerScript());
    starts++;
    // An idle thread does not keep the process alive; a job holds a reference while it runs (pool.ts).
    w.unref();
    // A thread that dies between jobs is dropped here, and replaced by the next acquire.
    w.on('exit', () => {
      threads = threads.filter((t) => t !== w);
    });
    w.on('error', () => undefined);
    return w;
  };
  const stop = async (ws: Worker[]): Promise<void> => {
    threads = threads.filter((t) => !ws.includes(t));
    await Promise.all(ws.map((w) => w.terminate()));
  };

  return {
    get starts() {
      return starts;
    },
    get size() {
      return threads.length;
    },
    async acquire(n, k) {
      if (key !== k) await stop(threads);
      key = k;
      if (threads.length > n) await stop(threads.slice(n));
      while (threads.length < n) threads.push(spawn());
      return threads.slice();
    },
    idle(k) {
      return key === k ? threads.slice() : [];
    },
    async discard() {
      await stop(threads);
    },
    async close() {
      await stop(threads);
      key = undefined;
    },
  };
}
