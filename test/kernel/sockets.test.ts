// The kernel over real ZeroMQ sockets (fake session, fake language): signed round trips on shell
// and control, iopub status, heartbeat echo, bad signatures ignored, shutdown reaching exit().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshConnection, type ConnectionInfo } from '../../kernel/connection.js';
import { startKernel, type RunningKernel } from '../../kernel/kernel.js';
import { setLogLevel } from '../../kernel/log.js';
import { request, type Channel, type Message } from '../../kernel/message.js';
import { connectClientSockets, type ClientSockets } from '../../kernel/sockets.js';
import { decode, encode, makeSigner, type Signer } from '../../kernel/wire.js';
import { FakeSession, fakeLanguage } from './helpers.js';

setLogLevel('error');

let info: ConnectionInfo;
let kernel: RunningKernel;
let client: ClientSockets;
let signer: Signer;
const exits: number[] = [];
const received: { channel: Channel; msg: Message }[] = [];
const from = { session: 'socket-test', username: 'tester' };

beforeAll(async () => {
  info = await freshConnection();
  const s = makeSigner(info.key, info.signature_scheme);
  if (!s.ok) throw new Error(s.message);
  signer = s.signer;
  kernel = await startKernel(info, { session: new FakeSession(), language: fakeLanguage, exit: (c) => exits.push(c) });
  client = connectClientSockets(info, 'socket-test-client', (channel, frames) => {
    const d = decode(frames, signer);
    if (d.ok) received.push({ channel, msg: d.message });
  });
});

afterAll(() => {
  client.close();
});

async function until<T>(find: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function send(channel: 'shell' | 'control', type: string, content: Record<string, unknown>, key: Signer = signer): string {
  const m = request(type, content, from);
  void client.send(channel, encode(m, key));
  return m.header.msg_id;
}

const childOfId = (id: string) => (r: { msg: Message }) => (r.msg.parent_header as { msg_id?: string }).msg_id === id;

describe('kernel over ZeroMQ', () => {
  it('answers kernel_info on shell with a correctly signed reply, and publishes status', async () => {
    // The SUB socket may join late; retry until iopub traffic for our request is seen.
    let id = send('shell', 'kernel_info_request', {});
    const idle = await until(() => {
      const got = received.find(
        (r) => r.channel === 'iopub' && r.msg.header.msg_type === 'status' && r.msg.content.execution_state === 'idle',
      );
      if (got === undefined) id = send('shell', 'kernel_info_request', {});
      return got;
    });
    expect(idle).toBeDefined();
    const reply = await until(() => received.find((r) => r.channel === 'shell' && r.msg.header.msg_type === 'kernel_info_reply'));
    expect(reply.msg.content.implementation).toBe('convbook');
    expect(id).not.toBe('');
  });

  it('runs a cell: execute_input, stream, reply, in order on their channels', async () => {
    const id = send('shell', 'execute_request', {
      code: 'out hello, world',
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    await until(() => received.filter(childOfId(id)).find((r) => r.msg.content.execution_state === 'idle'));
    const reply = await until(() => received.filter(childOfId(id)).find((r) => r.channel === 'shell'));
    expect(reply.msg.content).toMatchObject({ status: 'ok', execution_count: 1 });
    // Channels are separate sockets: order is only guaranteed within one.
    const iopub = received.filter((r) => r.channel === 'iopub' && childOfId(id)(r)).map((r) => r.msg.header.msg_type);
    expect(iopub).toEqual(['status', 'execute_input', 'stream', 'status']);
  });

  it('echoes heartbeats', async () => {
    expect(await client.ping(2000)).toBe(true);
  });

  it('ignores a request signed with the wrong key, then still answers a good one', async () => {
    const other = makeSigner('not-the-key');
    if (!other.ok) throw new Error(other.message);
    const bad = send('shell', 'kernel_info_request', {}, other.signer);
    const good = send('control', 'kernel_info_request', {});
    await until(() => received.find((r) => r.channel === 'control' && childOfId(good)(r)));
    await new Promise((r) => setTimeout(r, 100));
    expect(received.filter(childOfId(bad))).toEqual([]);
  });

  it('shutdown_request on control replies, then exits', async () => {
    const id = send('control', 'shutdown_request', { restart: false });
    const reply = await until(() => received.find((r) => r.channel === 'control' && childOfId(id)(r)));
    expect(reply.msg.content).toEqual({ status: 'ok', restart: false });
    await until(() => (exits.length > 0 ? exits : undefined));
    expect(exits).toEqual([0]);
    await kernel.shutdown();
  });
});
