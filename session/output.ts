// The CellIo a running cell writes to: stream text, display bundles, update them in place by display id
// (the kernel's handler Io is kernel/handler-context.ts's). The session worker forwards each call as an Output
// message; tests collect them in an array.
import type { MimeBundle } from '../render/mime.js';
import type { Output } from './protocol.js';

export interface CellIo {
  stream(text: string, name?: 'stdout' | 'stderr'): void;
  display(data: MimeBundle, opts?: { displayId?: string; metadata?: Record<string, unknown> }): void;
  update(displayId: string, data: MimeBundle, metadata?: Record<string, unknown>): void;
  result(data: MimeBundle): void;
  clear(wait?: boolean): void;
}

/** An CellIo that hands every output to one sink function (postMessage in the worker, push in tests). */
export function ioFromSink(sink: (o: Output) => void): CellIo {
  return {
    stream: (text, name = 'stdout') => sink({ type: 'stream', name, text }),
    display: (data, opts = {}) => sink({ type: 'display', data, metadata: opts.metadata ?? {}, displayId: opts.displayId }),
    update: (displayId, data, metadata = {}) => sink({ type: 'update', data, metadata, displayId }),
    result: (data) => sink({ type: 'result', data, metadata: {} }),
    clear: (wait = false) => sink({ type: 'clear', wait }),
  };
}

/** A text-only bundle. */
export const plain = (text: string): MimeBundle => ({ 'text/plain': text });
