// history_request: tail, range and search over this session's stored cells.
import type { Handler } from '../handler-context.js';
import { toRows, type HistoryEntry } from '../history-store.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export const history: Handler = (io, kernel) => {
  const c = io.request.content;
  const store = kernel.history;
  let entries: HistoryEntry[];
  switch (c.hist_access_type) {
    case 'tail':
      entries = store.tail(num(c.n) ?? 10);
      break;
    case 'range':
      entries = store.range(num(c.session) ?? 0, num(c.start) ?? 1, num(c.stop));
      break;
    case 'search':
      entries = store.search(typeof c.pattern === 'string' ? c.pattern : '*', num(c.n), c.unique === true);
      break;
    default:
      io.reply({
        status: 'error',
        ename: 'ValueError',
        evalue: `unknown hist_access_type ${JSON.stringify(c.hist_access_type)}`,
        traceback: [],
      });
      return;
  }
  io.reply({ status: 'ok', history: toRows(entries, c.output === true) });
};
