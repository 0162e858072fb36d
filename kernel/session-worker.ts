// The kernel's handle on the session worker (session/worker-main.js): one cell at a time, outputs streamed back,
// interrupts through a shared flag, and a fresh worker if the old one dies. Never blocks the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { emptyEnv, type SessionEnv } from '../dsl/program.js';
import { cancelPending, markPending, newInterruptFlag, requestStop } from '../session/interrupt-flag.js';
import type { CellError, WorkerReply, WorkerRequest, Output } from '../session/protocol.js';
import type { CellOutcome, SessionHandle } from './handler-context.js';
import { log } from './log.js';

export interface SessionWorkerOptions {
  /** The worker script; defaults to session/worker-main.js beside this file, or dist/ when run from sources. */
  workerUrl?: URL;
  /** Working directory the session resolves relative paths against. */
  cwd?: string;
  /** A second interrupt this long after the first, with the cell still running, ends the worker. */
  forceInterruptAfterMs?: number;
}

export function defaultWorkerUrl(): URL {
  const beside = new URL('../session/worker-main.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // Under vitest this file is kernel/session-worker.ts and the compiled worker lives in dist/.
  return new URL('../dist/session/worker-main.js', import.meta.url);
}

interface Running {
  id: number;
  onOutput: (output: Output) => void;
  resolve: (outcome: CellOutcome) => void;
  interruptedAt?: number;
}

/** An error with no source line: the name in red, then the message. */
function plainError(ename: string, evalue: string): CellError {
  return { ename, evalue, traceback: [`\u001b[31m${ename}\u001b[0m: ${evalue}`] };
}

function lostState(ename: string, why: string): CellError {
  return plainError(
    ename,
    `${why}; a fresh session worker was started and the session state was lost (models and data from earlier cells). Re-run the cells you need.`,
  );
}

export class SessionWorker implements SessionHandle {
  env: SessionEnv = emptyEnv();
  /** undefined after a worker died before it was ready: the next cell starts one, so a broken
   *  worker build is reported per cell instead of respawning in a tight loop. */
  private worker: Worker | undefined;
  private ready = false;
  private flag = newInterruptFlag();
  private readyWaiters: (() => void)[] = [];
  private running: Running | undefined;
  private nextId = 1;
  private generation = 0;
  private stopping = false;
  private lastError = '';

  constructor(private readonly options: SessionWorkerOptions = {}) {
    this.spawn();
  }

  private spawn(): void {
    const generation = ++this.generation;
    // A fresh flag per worker: a terminated worker can no longer claim or clear anything.
    this.flag = newInterruptFlag();
    this.lastError = '';
    this.ready = false;
    const worker = new Worker(this.options.workerUrl ?? defaultWorkerUrl(), {
      workerData: { interrupt: this.flag.buffer, cwd: this.options.cwd ?? process.cwd() },
    });
    // console.log in the worker goes to the kernel's own stdout (the server log), not to a cell:
    // it is not ordered with the port messages, so it could land in the wrong cell.
    worker.on('message', (m: WorkerReply) => {
      if (generation === this.generation) this.onReply(m);
    });
    worker.on('error', (e) => {
      this.lastError = e.message;
      log.error('session worker error', e);
    });
    worker.on('exit', (code) => {
      if (generation === this.generation) this.onExit(code);
    });
    this.worker = worker;
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.env = m.names.env;
      this.wakeReadyWaiters();
      return;
    }
    const running = this.running;
    if (running === undefined || m.id !== running.id) {
      log.warn(`session worker reply for cell ${m.id}, which is not running; ignored`);
      return;
    }
    if (m.type === 'output') {
      running.onOutput(m.output);
      return;
    }
    this.env = m.names.env;
    this.running = undefined;
    running.resolve(m.error === undefined ? {} : { error: m.error });
  }

  private onExit(code: number): void {
    if (this.stopping) return;
    const why = this.lastError !== '' ? `the session worker crashed (${this.lastError})` : `the session worker exited with code ${code}`;
    this.env = emptyEnv();
    if (!this.ready) {
      log.error(`${why} while starting; the next cell will try again`);
      this.wakeReadyWaiters();
      this.worker = undefined;
      this.finishRunning(plainError('SessionWorkerUnavailable', `${why} while starting`));
      return;
    }
    log.error(`${why}; starting a fresh session worker`);
    this.finishRunning(lostState('SessionWorkerDied', why));
    this.spawn();
  }

  private wakeReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once the worker has loaded and can start a cell at once (or has failed to start), or after timeoutMs. */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready || this.worker === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private finishRunning(error: CellError): void {
    const running = this.running;
    this.running = undefined;
    running?.resolve({ error });
  }

  execute(code: string, silent: boolean, onOutput: (output: Output) => void): Promise<CellOutcome> {
    if (this.running !== undefined) {
      // The shell queue runs one cell at a time; reaching here is a kernel bug, reported as data.
      return Promise.resolve({ error: { ename: 'SessionBusy', evalue: 'another cell is still running', traceback: [] } });
    }
    if (this.worker === undefined) this.spawn();
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise<CellOutcome>((resolve) => {
      this.running = { id, onOutput, resolve };
      markPending(this.flag, id);
      const request: WorkerRequest = { type: 'execute', id, code, silent };
      worker.postMessage(request);
    });
  }

  /**
   * A cell the worker has not started yet (still loading, say) is cancelled here and answered at once;
   * a started one is stopped cooperatively (the session polls the flag between batches and chunks), and
   * a repeated interrupt forces it. With no cell running, nothing is recorded for the next one.
   */
  interrupt(): void {
    const running = this.running;
    if (running === undefined) return;
    if (cancelPending(this.flag, running.id)) {
      this.running = undefined;
      running.resolve({ error: plainError('KeyboardInterrupt', 'interrupted before the cell started; nothing in it ran') });
      return;
    }
    requestStop(this.flag, running.id);
    const now = Date.now();
    if (running.interruptedAt === undefined) {
      running.interruptedAt = now;
      return;
    }
    if (now - running.interruptedAt < (this.options.forceInterruptAfterMs ?? 2000)) return;
    log.warn('cell ignored the interrupt flag; terminating the session worker');
    const old = this.worker;
    this.generation++; // the old worker's exit must not trigger crash handling
    this.finishRunning(lostState('KeyboardInterrupt', 'the cell did not stop when interrupted, so the session worker was stopped'));
    this.env = emptyEnv();
    old?.terminate().catch((e: unknown) => log.warn('terminate failed', e));
    this.spawn();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    this.finishRunning({ ename: 'Shutdown', evalue: 'the kernel is shutting down', traceback: [] });
    const worker = this.worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      const request: WorkerRequest = { type: 'shutdown' };
      worker.postMessage(request);
    } catch {
      // already gone
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 500).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') await worker.terminate();
  }
}
