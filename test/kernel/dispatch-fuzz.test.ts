// Property: whatever content a correctly signed request carries, every handler in the table answers
// with busy, at most one reply (exactly one for *_request), then idle — and nothing throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handlers } from '../../kernel/handler-table.js';
import { setLogLevel } from '../../kernel/log.js';
import { harness } from './helpers.js';

setLogLevel('error');

const field = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);
const keys = [
  'code',
  'cursor_pos',
  'silent',
  'store_history',
  'stop_on_error',
  'user_expressions',
  'hist_access_type',
  'n',
  'session',
  'start',
  'stop',
  'pattern',
  'unique',
  'output',
  'restart',
  'comm_id',
  'target_name',
  'detail_level',
];
const content = fc.dictionary(fc.constantFrom(...keys), field, { maxKeys: 8 });
// Every row of the table, shutdown and interrupt included (the harness only records them).
const types = Object.keys(handlers);

describe('dispatcher under arbitrary content', () => {
  it('always answers busy, one reply per request, idle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types),
        content,
        fc.constantFrom('shell' as const, 'control' as const),
        async (type, c, channel) => {
          const h = harness();
          const id = h.send(channel, type, c);
          await h.settled();
          const trace = h.trace(id);
          expect(trace[0]).toBe('iopub:status:busy');
          expect(trace[trace.length - 1]).toBe('iopub:status:idle');
          const replies = trace.filter((t) => !t.startsWith('iopub:'));
          expect(replies.length).toBe(type.endsWith('_request') ? 1 : 0);
          if (replies.length === 1) expect(h.reply(id).content.status).toMatch(/^(ok|error|complete|incomplete|invalid|unknown)$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
