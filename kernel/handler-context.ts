// What a handler gets instead of sockets: an Io bound to one request, and the kernel's services.
// Handlers are plain functions of these two, so tests drive them with fakes and no zeromq.
import type { SessionEnv } from '../dsl/program.js';
import type { CellError, Output } from '../session/protocol.js';
import type { HistoryStore } from './history-store.js';
import type { Channel, Content, Message } from './message.js';

export interface Io {
  readonly request: Message;
  readonly channel: Channel;
  /** Sends <request type>_reply on the request's channel, parent = the request. At most once. */
  reply(content: Content, metadata?: Record<string, unknown>): void;
  /** Publishes on iopub with parent = the request. */
  publish(msgType: string, content: Content, metadata?: Record<string, unknown>): void;
  /** True once reply() ran; the dispatcher answers with an error reply if a handler fails before. */
  readonly replied: boolean;
}

export interface CellOutcome {
  error?: CellError;
}

/** The session as handlers see it (session-worker.ts runs it in a worker; tests use an in-process fake). */
export interface SessionHandle {
  /** The latest session names from the session worker, kept on the main thread so completion never waits. */
  readonly env: SessionEnv;
  execute(code: string, silent: boolean, onOutput: (output: Output) => void): Promise<CellOutcome>;
  interrupt(): void;
  shutdown(): Promise<void>;
  /** Resolves once a cell sent now would start at once (or after timeoutMs); kernel_info waits for it. */
  whenReady?(timeoutMs: number): Promise<void>;
}

/** The dsl services completion/inspection need; kernel/language.ts binds them to dsl/index.ts. */
export interface LanguageServices {
  complete(source: string, cursor: number, env: SessionEnv): { matches: string[]; cursorStart: number; cursorEnd: number };
  inspect(source: string, cursor: number, env: SessionEnv): { found: boolean; markdown: string; plain: string };
  isComplete(source: string): { status: 'complete' | 'incomplete' | 'invalid'; indent?: string };
}

export interface KernelServices {
  session: SessionHandle;
  language: LanguageServices;
  history: HistoryStore;
  /** The execution counter: counts store_history runs only. */
  counter: { value: number };
  /** Marks the execute_requests already waiting on shell as aborted (stop_on_error); returns how many. */
  abortQueued(): number;
  /** Ends the process after the reply is out (shutdown_request). */
  requestShutdown(restart: boolean): void;
}

export type Handler = (io: Io, kernel: KernelServices) => void | Promise<void>;
