// Messages between the kernel's main thread and the session worker that owns the session.
// The session worker runs every cell (compile, train, render) off the main thread; the kernel turns
// its Output messages into Jupyter messages. Plain data only: these cross postMessage.

import type { MimeBundle } from '../render/mime.js';

/** What a running cell emits. The kernel maps each to stream / display_data / update_display_data / clear_output / execute_result. */
export type Output =
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string }
  | { type: 'update'; data: MimeBundle; metadata: Record<string, unknown>; displayId: string }
  | { type: 'clear'; wait: boolean }
  | { type: 'result'; data: MimeBundle; metadata: Record<string, unknown> };

/** The error a cell ends with. traceback lines may carry ANSI colour, as ipykernel's do. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Kernel → session worker. */
export type WorkerRequest = { type: 'execute'; id: number; code: string; silent: boolean } | { type: 'shutdown' };

/** Session worker → kernel. */
export type WorkerReply =
  | { type: 'ready'; names: SessionNames }
  | { type: 'output'; id: number; output: Output }
  | { type: 'done'; id: number; error?: CellError; names: SessionNames };

/** Names defined in the session, for completion and inspection on the main thread. */
export interface SessionNames {
  models: string[];
  data: string[];
  /** The checker's view of the session (dsl SessionEnv), kept current after each cell. */
  env: import('../dsl/program.js').SessionEnv;
}

/**
 * Interrupt flag shared between the kernel and the session worker: slot 0 becomes nonzero (the id of the
 * running cell) on interrupt_request / SIGINT. Long loops read it between batches (Atomics.load), so
 * the main thread never has to wait for the session worker. The handshake around it is session/interrupt-flag.ts.
 */
export const INTERRUPT_SLOT = 0;
