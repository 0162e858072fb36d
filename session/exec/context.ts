// What every statement executor receives: the session, the cell's CellIo, and the interrupt flag.
import { Interrupted } from '../errors.js';
import type { CellIo } from '../output.js';
import { INTERRUPT_SLOT } from '../protocol.js';
import type { SessionState } from '../state.js';

export interface ExecContext {
  state: SessionState;
  io: CellIo;
  /** Shared with the kernel: slot 0 becomes 1 on interrupt. Long loops pass it to the runtime. */
  interrupt: Int32Array;
  /** Throws Interrupted when the kernel asked to stop. */
  checkInterrupt(): void;
  /** convbook's version, recorded with every run. */
  version: string;
  /** A fresh display id for outputs updated in place. */
  newDisplayId(): string;
}

export function createContext(state: SessionState, io: CellIo, interrupt: Int32Array, version: string): ExecContext {
  let displays = 0;
  return {
    state,
    io,
    interrupt,
    version,
    checkInterrupt() {
      if (Atomics.load(interrupt, INTERRUPT_SLOT) !== 0) throw new Interrupted();
    },
    newDisplayId: () => `convbook-${process.pid}-${Date.now().toString(36)}-${++displays}`,
  };
}
