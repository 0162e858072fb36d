// The kernel's handlers bound to the real dsl services (kernel/language.ts), through the dispatcher:
// the wiring and the protocol mapping, with a few facts about the language that must hold.
import { describe, expect, it } from 'vitest';
import type { SessionEnv } from '../../dsl/program.js';
import { Dispatcher } from '../../kernel/dispatch.js';
import { handlers } from '../../kernel/handler-table.js';
import { HistoryStore } from '../../kernel/history-store.js';
import { dslServices } from '../../kernel/language.js';
import { request, type Message } from '../../kernel/message.js';
import { encode, makeSigner } from '../../kernel/wire.js';
import { FakeSession } from './helpers.js';

function ask(msgType: string, content: Record<string, unknown>, env?: SessionEnv): Promise<Message> {
  const signer = makeSigner('');
  if (!signer.ok) throw new Error(signer.message);
  const session = new FakeSession();
  if (env) session.env = env;
  const sent: Message[] = [];
  const d = new Dispatcher({
    table: handlers,
    signer: signer.signer,
    send: (channel, m) => {
      if (channel !== 'iopub') sent.push(m);
    },
    services: { session, language: dslServices, history: new HistoryStore(), counter: { value: 0 }, requestShutdown: () => undefined },
  });
  d.receive('shell', encode(request(msgType, content, { session: 's', username: 'u' }), signer.signer));
  return d.settled().then(() => sent[0]);
}

describe('dsl-backed introspection', () => {
  it('completes a statement keyword at the start of a line', async () => {
    const r = await ask('complete_request', { code: 'pri', cursor_pos: 3 });
    expect(r.content.status).toBe('ok');
    expect(r.content.matches).toContain('print');
    expect([r.content.cursor_start, r.content.cursor_end]).toEqual([0, 3]);
  });

  it('completes names from the session worker env (a model defined in an earlier cell)', async () => {
    const env: SessionEnv = { models: {}, data: { digits: { classes: 10 } } };
    const code = 'show dig';
    const r = await ask('complete_request', { code, cursor_pos: code.length }, env);
    expect(r.content.matches).toContain('digits');
    expect(r.content.cursor_start).toBe(5);
  });

  it('inspects a built-in with plain text and markdown', async () => {
    const r = await ask('inspect_request', { code: 'maxpool', cursor_pos: 3, detail_level: 0 });
    expect(r.content.found).toBe(true);
    const data = r.content.data as Record<string, string>;
    expect(data['text/plain']).toMatch(/pool/i);
    expect(data['text/markdown']).toMatch(/maxpool/);
  });

  it('classifies open blocks as incomplete and stray braces as invalid', async () => {
    expect((await ask('is_complete_request', { code: 'model m(input: 28x28x1) {' })).content.status).toBe('incomplete');
    expect((await ask('is_complete_request', { code: 'print "hi"' })).content).toEqual({ status: 'complete' });
    expect((await ask('is_complete_request', { code: '}' })).content.status).toBe('invalid');
  });
});
