// complete_request, inspect_request, is_complete_request: answered on the main thread from the dsl
// services and the session worker's latest session names, so they never wait for a running cell.
import type { Handler } from '../handler-context.js';
import { codePointsToUtf16, utf16ToCodePoints } from '../cursor.js';

function codeAndCursor(content: Record<string, unknown>): { code: string; cursor: number } {
  const code = typeof content.code === 'string' ? content.code : '';
  const points = typeof content.cursor_pos === 'number' ? content.cursor_pos : [...code].length;
  return { code, cursor: codePointsToUtf16(code, Math.max(0, points)) };
}

export const complete: Handler = (io, kernel) => {
  const { code, cursor } = codeAndCursor(io.request.content);
  const r = kernel.language.complete(code, cursor, kernel.session.env);
  io.reply({
    status: 'ok',
    matches: r.matches,
    cursor_start: utf16ToCodePoints(code, r.cursorStart),
    cursor_end: utf16ToCodePoints(code, r.cursorEnd),
    metadata: {},
  });
};

export const inspect: Handler = (io, kernel) => {
  const { code, cursor } = codeAndCursor(io.request.content);
  const r = kernel.language.inspect(code, cursor, kernel.session.env);
  io.reply({
    status: 'ok',
    found: r.found,
    data: r.found ? { 'text/plain': r.plain, 'text/markdown': r.markdown } : {},
    metadata: {},
  });
};

export const isComplete: Handler = (io, kernel) => {
  const code = typeof io.request.content.code === 'string' ? io.request.content.code : '';
  const r = kernel.language.isComplete(code);
  io.reply(r.status === 'incomplete' ? { status: r.status, indent: r.indent ?? '' } : { status: r.status });
};
