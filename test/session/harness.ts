// Runs cells through the real session (compile + executors) in-process, collecting outputs.
import { runCell } from '../../session/cell.js';
import { createContext } from '../../session/exec/context.js';
import { ioFromSink } from '../../session/output.js';
import type { CellError, Output } from '../../session/protocol.js';
import { createState, type SessionState } from '../../session/state.js';

export interface Harness {
  state: SessionState;
  interrupt: Int32Array;
  run(code: string, onOutput?: (o: Output) => void): Promise<{ error?: CellError; outputs: Output[] }>;
}

export function createHarness(baseDir = process.cwd()): Harness {
  const state = createState(baseDir);
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  return {
    state,
    interrupt,
    async run(code, onOutput) {
      const outputs: Output[] = [];
      Atomics.store(interrupt, 0, 0);
      const io = ioFromSink((o) => {
        outputs.push(o);
        onOutput?.(o);
      });
      const error = await runCell(code, createContext(state, io, interrupt, 'test'));
      return { error, outputs };
    },
  };
}

export const streamText = (outputs: Output[]) =>
  outputs
    .filter((o): o is Extract<Output, { type: 'stream' }> => o.type === 'stream')
    .map((o) => o.text)
    .join('');
