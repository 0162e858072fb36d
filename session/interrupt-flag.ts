// The interrupt handshake between the kernel (kernel/session-worker.ts) and the session worker, on two Int32
// slots of one SharedArrayBuffer. Each slot names a cell by id, so an interrupt meant for one cell
// can neither be lost by the worker starting it late nor carried over to the next one.
//
//   INTERRUPT_SLOT  ≠ 0: stop the running cell (the runtime polls "≠ 0" between batches and chunks).
//   PENDING_SLOT    the id of a cell posted to the worker but not started yet; whoever swaps it out
//                   first decides: the worker (the cell runs) or the kernel (the cell is cancelled).
import { INTERRUPT_SLOT } from './protocol.js';

export { INTERRUPT_SLOT };
export const PENDING_SLOT = 1;

export function newInterruptFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** Kernel, before posting cell `id`: no stop request is pending for it, and it is waiting to start. */
export function markPending(flag: Int32Array, id: number): void {
  Atomics.store(flag, PENDING_SLOT, id);
}

/** Kernel, on interrupt: true when cell `id` had not started and now never will. */
export function cancelPending(flag: Int32Array, id: number): boolean {
  return Atomics.compareExchange(flag, PENDING_SLOT, id, 0) === id;
}

/** Kernel, on interrupt of a cell the worker has started: the runtime stops at its next check. */
export function requestStop(flag: Int32Array, id: number): void {
  Atomics.store(flag, INTERRUPT_SLOT, id);
}

/**
 * Worker, as cell `id` starts: clears a stop request left from an earlier cell, then claims the cell.
 * False means the kernel cancelled it first: skip it without running anything. The order matters:
 * the kernel only requests a stop after its cancel failed, i.e. after this claim, so the clear
 * below can never wipe a request meant for this cell.
 */
export function claimCell(flag: Int32Array, id: number): boolean {
  Atomics.store(flag, INTERRUPT_SLOT, 0);
  return Atomics.compareExchange(flag, PENDING_SLOT, id, 0) === id;
}
