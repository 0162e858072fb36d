// The dispatcher: verifies and decodes frames, looks the msg_type up in the handler table, and alone
// publishes status busy/idle around every request. Shell requests marked `queued` run one at a time
// in arrival order; everything else (control, completion, kernel_info) is answered at once.
import type { Handler, Io, KernelServices } from './handler-context.js';
import { log } from './log.js';
import { childOf, replyType, type Channel, type Content, type Message } from './message.js';
import { SeenSignatures } from './replay.js';
import { decode, type Signer } from './wire.js';

export interface HandlerRow {
  handle: Handler;
  /** Runs in the shell queue behind earlier queued requests (execute, history). */
  queued: boolean;
}

export type HandlerTable = Readonly<Record<string, HandlerRow>>;

export type Send = (channel: Channel, message: Message) => void;

interface QueueItem {
  message: Message;
  aborted: boolean;
}

export interface DispatcherOptions {
  table: HandlerTable;
  signer: Signer;
  send: Send;
  services: Omit<KernelServices, 'abortQueued'>;
}

export class Dispatcher {
  private readonly queue: QueueItem[] = [];
  private pumping: Promise<void> | undefined;
  private readonly services: KernelServices;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly signatures = new SeenSignatures();

  constructor(private readonly options: DispatcherOptions) {
    this.services = { ...options.services, abortQueued: () => this.abortQueued() };
  }

  /** Entry point from the sockets: never throws, whatever the frames hold. */
  receive(channel: Channel, frames: Buffer[]): void {
    const decoded = decode(frames, this.options.signer);
    if (!decoded.ok) {
      // A bad signature is someone without the key: drop it silently on the wire, loudly in the log.
      log.warn(`dropped message on ${channel}: ${decoded.error.kind} (${decoded.error.detail})`);
      return;
    }
    // Signed correctly but seen before: a captured message sent again. jupyter_client refuses these too.
    if (decoded.signature !== '' && this.signatures.replayed(decoded.signature)) {
      log.warn(`dropped message on ${channel}: replayed signature (${decoded.message.header.msg_type} ${decoded.message.header.msg_id})`);
      return;
    }
    this.route(channel, decoded.message);
  }

  /** Routes an already verified message. */
  route(channel: Channel, message: Message): void {
    if (channel === 'stdin') {
      // The kernel never sends input_request (nothing in the language reads from the user), so
      // nothing on stdin can be an answer to it.
      log.warn(`ignored ${message.header.msg_type} on stdin: this kernel never asks for input`);
      return;
    }
    const type = message.header.msg_type;
    const row = this.options.table[type];
    if (row === undefined) {
      // As ipykernel: busy and idle around it, so a client waiting for idle is not left hanging, and no reply.
      log.error(`unknown msg_type '${type}' on ${channel}; no handler, not answered`);
      this.publishStatus(message, 'busy');
      this.publishStatus(message, 'idle');
      return;
    }
    if (row.queued && channel === 'shell') {
      this.queue.push({ message, aborted: false });
      this.kick();
      return;
    }
    this.track(this.run(channel, message, row));
  }

  /** Resolves once every request received so far has been answered (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pumping !== undefined || this.inFlight.size > 0) {
      await Promise.all([this.pumping, ...this.inFlight]);
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private abortQueued(): number {
    let n = 0;
    for (const item of this.queue) {
      if (item.message.header.msg_type === 'execute_request' && !item.aborted) {
        item.aborted = true;
        n++;
      }
    }
    return n;
  }

  private kick(): void {
    if (this.pumping !== undefined) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      // A request may have been queued between the pump's last look and this callback.
      if (this.queue.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
      const row = this.options.table[item.message.header.msg_type];
      if (item.aborted || row === undefined) this.replyAborted(item.message);
      else await this.run('shell', item.message, row);
    }
  }

  private publishStatus(parent: Message, state: 'busy' | 'idle'): void {
    this.publish(parent, 'status', { execution_state: state }, {});
  }

  private publish(parent: Message, msgType: string, content: Content, metadata: Record<string, unknown>): void {
    const msg = childOf(parent, msgType, content, metadata);
    // ipykernel's topic convention; clients subscribe to everything, so it is informational.
    msg.identities = [Buffer.from(`kernel.${msg.header.session}.${msgType}`)];
    this.safeSend('iopub', msg);
  }

  private safeSend(channel: Channel, msg: Message): void {
    try {
      this.options.send(channel, msg);
    } catch (e) {
      log.error(`could not send ${msg.header.msg_type} on ${channel}`, e);
    }
  }

  private makeIo(channel: Channel, request: Message): Io {
    let replied = false;
    return {
      request,
      channel,
      get replied() {
        return replied;
      },
      reply: (content, metadata = {}) => {
        if (replied) {
          log.warn(`second reply to ${request.header.msg_type} ignored`);
          return;
        }
        replied = true;
        this.safeSend(channel, childOf(request, replyType(request.header.msg_type), content, metadata));
      },
      publish: (msgType, content, metadata = {}) => this.publish(request, msgType, content, metadata),
    };
  }

  private async run(channel: Channel, message: Message, row: HandlerRow): Promise<void> {
    const io = this.makeIo(channel, message);
    this.publishStatus(message, 'busy');
    try {
      await row.handle(io, this.services);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      log.error(`handler for ${message.header.msg_type} failed`, err);
      if (!io.replied && message.header.msg_type.endsWith('_request')) {
        io.reply({ status: 'error', ename: err.name, evalue: err.message, traceback: (err.stack ?? err.message).split('\n') });
      }
    } finally {
      this.publishStatus(message, 'idle');
    }
  }

  private replyAborted(message: Message): void {
    const io = this.makeIo('shell', message);
    this.publishStatus(message, 'busy');
    log.info(`aborting ${message.header.msg_type} ${message.header.msg_id} after an earlier error`);
    io.reply({ status: 'aborted' }, { status: 'aborted' });
    this.publishStatus(message, 'idle');
  }
}
