// The ipc transport: a kernel bound to ipc:// endpoints (as a connection file with transport "ipc"
// asks) answers kernel_info on shell and control over real ZeroMQ sockets.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshConnection } from '../../kernel/connection.js';
import { startKernel } from '../../kernel/kernel.js';
import { setLogLevel } from '../../kernel/log.js';
import { request, type Channel, type Message } from '../../kernel/message.js';
import { connectClientSockets, type ClientSockets } from '../../kernel/sockets.js';
import { decode, encode, makeSigner } from '../../kernel/wire.js';
import { FakeSession, fakeLanguage } from './helpers.js';

setLogLevel('error');
let client: ClientSockets | undefined;
afterAll(() => client?.close());

describe('kernel over ipc', () => {
  it('binds ipc endpoints and answers on shell and control', async () => {
    const base = await freshConnection();
    const info = { ...base, transport: 'ipc' as const, ip: join(mkdtempSync(join(tmpdir(), 'convbook-ipc-')), 'kernel') };
    const s = makeSigner(info.key, info.signature_scheme);
    if (!s.ok) throw new Error(s.message);
    await startKernel(info, { session: new FakeSession(), language: fakeLanguage, exit: () => undefined });
    const received: { channel: Channel; msg: Message }[] = [];
    client = connectClientSockets(info, 'ipc-client', (channel, frames) => {
      const d = decode(frames, s.signer);
      if (d.ok) received.push({ channel, msg: d.message });
    });
    for (const channel of ['shell', 'control'] as const) {
      const m = request('kernel_info_request', {}, { session: 'ipc', username: 'tester' });
      void client.send(channel, encode(m, s.signer));
      const end = Date.now() + 5000;
      let reply: Message | undefined;
      while (!reply && Date.now() < end) {
        reply = received.find(
          (r) =>
            r.channel === channel &&
            r.msg.header.msg_type === 'kernel_info_reply' &&
            (r.msg.parent_header as { msg_id?: string }).msg_id === m.header.msg_id,
        )?.msg;
        if (!reply) await new Promise((r) => setTimeout(r, 10));
      }
      expect(reply?.content).toMatchObject({ status: 'ok', implementation: 'convbook' });
    }
  });
});
