// The only file that imports zeromq: the kernel's five sockets (and the runner's client side).
// Receive loops hand raw frames to a callback and never die on one bad message; sends are queued
// per socket because a zeromq.js socket allows one send in flight at a time.
import * as zmq from 'zeromq';
import { endpoint, isIpv6, type ConnectionInfo } from './connection.js';
import { log } from './log.js';
import type { Channel } from './message.js';

export type FramesHandler = (channel: Channel, frames: Buffer[]) => void;

/** Serialises sends on one socket; a failed send is logged, never thrown into the caller. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(
    private readonly socket: zmq.Writable & zmq.Socket,
    private readonly name: string,
  ) {}
  push(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.socket.send(frames)).catch((e: unknown) => log.warn(`send on ${this.name} failed`, e));
    return this.tail;
  }
  drained(): Promise<void> {
    return this.tail;
  }
}

function receiveLoop(socket: zmq.Readable & zmq.Socket, channel: Channel, onFrames: FramesHandler): void {
  const run = async (): Promise<void> => {
    for await (const frames of socket) {
      try {
        onFrames(channel, frames);
      } catch (e) {
        // The dispatcher should contain its own errors; this is the last line of defence.
        log.error(`unhandled error on ${channel} message`, e);
      }
    }
  };
  run().catch((e: unknown) => {
    if (!socket.closed) log.error(`${channel} receive loop stopped`, e);
  });
}

/** Heartbeat: echo every ping straight back, untouched, on its own loop. */
function echoLoop(socket: zmq.Reply): void {
  const run = async (): Promise<void> => {
    for await (const frames of socket) await socket.send(frames);
  };
  run().catch((e: unknown) => {
    if (!socket.closed) log.error('heartbeat loop stopped', e);
  });
}

export interface KernelSockets {
  send(channel: Channel, frames: Buffer[]): Promise<void>;
  /** Waits for queued sends (so a shutdown_reply gets out), then closes everything. */
  close(): Promise<void>;
}

export async function bindKernelSockets(info: ConnectionInfo, onFrames: FramesHandler): Promise<KernelSockets> {
  const linger = 1000;
  const ipv6 = isIpv6(info);
  const shell = new zmq.Router({ linger, ipv6 });
  const control = new zmq.Router({ linger, ipv6 });
  const stdin = new zmq.Router({ linger, ipv6 });
  const iopub = new zmq.Publisher({ linger, ipv6 });
  const hb = new zmq.Reply({ linger: 0, ipv6 });
  const all = [shell, control, stdin, iopub, hb];
  try {
    await Promise.all([
      shell.bind(endpoint(info, 'shell')),
      control.bind(endpoint(info, 'control')),
      stdin.bind(endpoint(info, 'stdin')),
      iopub.bind(endpoint(info, 'iopub')),
      hb.bind(endpoint(info, 'hb')),
    ]);
  } catch (e) {
    for (const s of all) s.close();
    throw e;
  }
  receiveLoop(shell, 'shell', onFrames);
  receiveLoop(control, 'control', onFrames);
  receiveLoop(stdin, 'stdin', onFrames);
  echoLoop(hb);
  const queues: Record<Channel, SendQueue> = {
    shell: new SendQueue(shell, 'shell'),
    control: new SendQueue(control, 'control'),
    stdin: new SendQueue(stdin, 'stdin'),
    iopub: new SendQueue(iopub, 'iopub'),
  };
  return {
    send: (channel, frames) => queues[channel].push(frames),
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.drained()));
      for (const s of all) s.close();
    },
  };
}

export interface ClientSockets {
  send(channel: Exclude<Channel, 'iopub'>, frames: Buffer[]): Promise<void>;
  /** One heartbeat round trip; false when nothing came back in time. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** The client side used by `convbook run`: DEALERs sharing one routing id, a SUB for iopub. */
export function connectClientSockets(info: ConnectionInfo, routingId: string, onFrames: FramesHandler): ClientSockets {
  const ipv6 = isIpv6(info);
  const shell = new zmq.Dealer({ routingId, linger: 0, ipv6 });
  const control = new zmq.Dealer({ routingId, linger: 0, ipv6 });
  const stdin = new zmq.Dealer({ routingId, linger: 0, ipv6 });
  const iopub = new zmq.Subscriber({ linger: 0, ipv6 });
  shell.connect(endpoint(info, 'shell'));
  control.connect(endpoint(info, 'control'));
  stdin.connect(endpoint(info, 'stdin'));
  iopub.connect(endpoint(info, 'iopub'));
  iopub.subscribe();
  receiveLoop(shell, 'shell', onFrames);
  receiveLoop(control, 'control', onFrames);
  receiveLoop(stdin, 'stdin', onFrames);
  receiveLoop(iopub, 'iopub', onFrames);
  const queues = {
    shell: new SendQueue(shell, 'shell'),
    control: new SendQueue(control, 'control'),
    stdin: new SendQueue(stdin, 'stdin'),
  };
  return {
    send: (channel, frames) => queues[channel].push(frames),
    async ping(timeoutMs) {
      // A fresh REQ per ping: a REQ that missed its reply is stuck, so never reuse one.
      const hb = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs, ipv6 });
      try {
        hb.connect(endpoint(info, 'hb'));
        await hb.send(Buffer.from('ping'));
        const [reply] = await hb.receive();
        return reply.toString() === 'ping';
      } catch {
        return false;
      } finally {
        hb.close();
      }
    },
    close() {
      for (const s of [shell, control, stdin, iopub]) s.close();
    },
  };
}
