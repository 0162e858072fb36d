// A real Jupyter client for the runner: starts `convbook kernel` as a child process with a fresh
// connection file, speaks signed messages over ZeroMQ, and waits for replies by parent msg_id.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freshConnection, writeConnectionFile } from '../connection.js';
import { mainScriptPath } from '../kernelspec.js';
import { log } from '../log.js';
import { request, type Channel, type Content, type Message, type Sender } from '../message.js';
import { connectClientSockets, type ClientSockets } from '../sockets.js';
import { decode, encode, makeSigner, type Signer } from '../wire.js';

export interface StartOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the kernel to answer kernel_info on shell and iopub. */
  startTimeoutMs?: number;
}

interface Pending {
  onIopub: (msgType: string, content: Content) => void;
  reply?: Message;
  idle: boolean;
  finish: () => void;
}

export interface ExecuteOutcome {
  reply: Content;
}

export class KernelClient {
  private readonly pending = new Map<string, Pending>();
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly deathListeners = new Set<(why: string) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly sockets: ClientSockets,
    private readonly signer: Signer,
    private readonly sender: Sender,
    private readonly tempDir: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        for (const l of this.deathListeners) l(`the kernel process exited (${signal ?? `code ${code}`})`);
        resolve(code);
      });
    });
  }

  static async start(options: StartOptions): Promise<KernelClient> {
    const info = await freshConnection();
    const tempDir = await mkdtemp(join(tmpdir(), 'convbook-run-'));
    const file = join(tempDir, 'kernel.json');
    await writeConnectionFile(file, info);
    const child = spawn(process.execPath, [mainScriptPath(), 'kernel', '-f', file], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const signerResult = makeSigner(info.key, info.signature_scheme);
    if (!signerResult.ok) throw new Error(signerResult.message);
    const sender: Sender = { session: randomUUID(), username: userInfo().username };
    let client: KernelClient | undefined;
    const sockets = connectClientSockets(info, `runner-${sender.session}`, (channel, frames) => client?.receive(channel, frames));
    client = new KernelClient(child, sockets, signerResult.signer, sender, tempDir);
    await client.waitReady(options.startTimeoutMs ?? 30_000);
    return client;
  }

  private receive(channel: Channel, frames: Buffer[]): void {
    const decoded = decode(frames, this.signer);
    if (!decoded.ok) {
      log.warn(`runner dropped a ${channel} message: ${decoded.error.kind}`);
      return;
    }
    const msg = decoded.message;
    const parentId = (msg.parent_header as { msg_id?: string }).msg_id;
    const p = parentId === undefined ? undefined : this.pending.get(parentId);
    if (p === undefined) return;
    if (channel === 'iopub') {
      if (msg.header.msg_type === 'status') p.idle ||= msg.content.execution_state === 'idle';
      else p.onIopub(msg.header.msg_type, msg.content);
    } else {
      p.reply = msg;
    }
    if (p.reply !== undefined && p.idle) p.finish();
  }

  /** Sends a request and resolves with its reply once the kernel has also gone idle for it. */
  private call(
    channel: 'shell' | 'control',
    msgType: string,
    content: Content,
    onIopub: Pending['onIopub'],
    timeoutMs: number,
  ): Promise<Message | undefined> {
    const msg = request(msgType, content, this.sender);
    return new Promise((resolve, reject) => {
      const done = (value: Message | undefined, error?: Error): void => {
        clearTimeout(timer);
        this.pending.delete(msg.header.msg_id);
        this.deathListeners.delete(onDeath);
        if (error) reject(error);
        else resolve(value);
      };
      const onDeath = (why: string): void => done(undefined, new Error(why));
      const timer = setTimeout(() => done(undefined), timeoutMs > 0 ? timeoutMs : 2 ** 31 - 1);
      const pending: Pending = { onIopub, idle: false, finish: () => done(pending.reply) };
      this.pending.set(msg.header.msg_id, pending);
      this.deathListeners.add(onDeath);
      if (this.exitCode !== undefined) onDeath('the kernel process has exited');
      this.sockets.send(channel, encode(msg, this.signer)).catch((e: unknown) => done(undefined, e as Error));
    });
  }

  /** kernel_info until both the reply and its iopub idle arrive: then iopub is surely subscribed. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const reply = await this.call('shell', 'kernel_info_request', {}, () => undefined, 500);
      if (reply !== undefined) return;
    }
    await this.shutdown();
    throw new Error(`the kernel did not answer kernel_info within ${timeoutMs / 1000} s`);
  }

  kernelInfo(): Promise<Message | undefined> {
    return this.call('shell', 'kernel_info_request', {}, () => undefined, 10_000);
  }

  /** Runs one cell. Resolves with undefined reply content on timeout (after interrupting the kernel). */
  async execute(code: string, onIopub: (msgType: string, content: Content) => void, timeoutMs = 0): Promise<ExecuteOutcome | undefined> {
    const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };
    const reply = await this.call('shell', 'execute_request', content, onIopub, timeoutMs);
    if (reply === undefined) {
      await this.call('control', 'interrupt_request', {}, () => undefined, 5000);
      return undefined;
    }
    return { reply: reply.content };
  }

  async shutdown(): Promise<void> {
    if (this.exitCode === undefined) {
      await this.call('control', 'shutdown_request', { restart: false }, () => undefined, 3000).catch(() => undefined);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(killer);
    }
    this.sockets.close();
    await rm(this.tempDir, { recursive: true, force: true });
  }
}
