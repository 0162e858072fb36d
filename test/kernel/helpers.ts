// Test doubles for kernel unit tests: an in-process session with scripted cells, a stand-in for the
// dsl services, and a dispatcher harness that sends signed frames and records what comes out.
import { emptyEnv, type SessionEnv } from '../../dsl/program.js';
import type { Output } from '../../session/protocol.js';
import type { CellOutcome, SessionHandle, LanguageServices } from '../../kernel/handler-context.js';
import { Dispatcher } from '../../kernel/dispatch.js';
import { handlers } from '../../kernel/handler-table.js';
import { HistoryStore } from '../../kernel/history-store.js';
import { request, type Channel, type Content, type Message } from '../../kernel/message.js';
import { encode, makeSigner, type Signer } from '../../kernel/wire.js';

/**
 * Cells are tiny scripts, one command per line:
 *   out TEXT      → stdout stream        err TEXT → stderr stream
 *   result TEXT   → execute_result       show ID  → display_data with display_id ID
 *   update ID     → update_display_data  clear    → clear_output(wait=false)
 *   fail NAME     → the cell ends with error NAME   wait → blocks until release()
 */
export class FakeSession implements SessionHandle {
  env: SessionEnv = emptyEnv();
  interrupts = 0;
  executed: { code: string; silent: boolean }[] = [];
  /** Unset: ready at once (as SessionHandle allows); tests set it to hold kernel_info_reply back. */
  whenReady?: (timeoutMs: number) => Promise<void>;
  private releases: (() => void)[] = [];

  release(): void {
    this.releases.shift()?.();
  }

  async execute(code: string, silent: boolean, onOutput: (output: Output) => void): Promise<CellOutcome> {
    this.executed.push({ code, silent });
    for (const line of code.split('\n')) {
      const [cmd, ...rest] = line.split(' ');
      const arg = rest.join(' ');
      if (cmd === 'out') onOutput({ type: 'stream', name: 'stdout', text: arg + '\n' });
      else if (cmd === 'err') onOutput({ type: 'stream', name: 'stderr', text: arg + '\n' });
      else if (cmd === 'result') onOutput({ type: 'result', data: { 'text/plain': arg }, metadata: {} });
      else if (cmd === 'show') onOutput({ type: 'display', data: { 'text/plain': 'shown' }, metadata: {}, displayId: arg });
      else if (cmd === 'update') onOutput({ type: 'update', data: { 'text/plain': 'updated' }, metadata: {}, displayId: arg });
      else if (cmd === 'clear') onOutput({ type: 'clear', wait: false });
      else if (cmd === 'wait') await new Promise<void>((resolve) => this.releases.push(resolve));
      else if (cmd === 'fail') return { error: { ename: arg, evalue: `${arg} happened`, traceback: [`${arg}: ${arg} happened`] } };
      else if (cmd === 'define') this.env = { ...this.env, data: { ...this.env.data, [arg]: {} } };
    }
    return {};
  }

  interrupt(): void {
    this.interrupts++;
  }

  async shutdown(): Promise<void> {}
}

/** Enough of a language to test the handlers' protocol mapping, not the language itself. */
export const fakeLanguage: LanguageServices = {
  complete(source, cursor, env) {
    const start = source.slice(0, cursor).search(/\w*$/);
    const prefix = source.slice(start, cursor);
    const words = ['train', 'test', 'show', ...Object.keys(env.data)];
    return { matches: words.filter((w) => w.startsWith(prefix)), cursorStart: start, cursorEnd: cursor };
  },
  inspect(source, cursor) {
    const word = /\w*$/.exec(source.slice(0, cursor))![0] + /^\w*/.exec(source.slice(cursor))![0];
    return word === 'train'
      ? { found: true, markdown: '**train** a model', plain: 'train a model' }
      : { found: false, markdown: '', plain: '' };
  },
  isComplete(source) {
    if (source.includes('{') && !source.includes('}')) return { status: 'incomplete', indent: '  ' };
    if (source.includes('}') && !source.includes('{')) return { status: 'invalid' };
    return { status: 'complete' };
  },
};

export interface Sent {
  channel: Channel;
  msg: Message;
}

export function harness(key = 'test-key') {
  const signerResult = makeSigner(key);
  if (!signerResult.ok) throw new Error(signerResult.message);
  const signer: Signer = signerResult.signer;
  const session = new FakeSession();
  const history = new HistoryStore();
  const counter = { value: 0 };
  const shutdowns: boolean[] = [];
  const sent: Sent[] = [];
  const dispatcher = new Dispatcher({
    table: handlers,
    signer,
    send: (channel, msg) => sent.push({ channel, msg }),
    services: { session, language: fakeLanguage, history, counter, requestShutdown: (restart) => shutdowns.push(restart) },
  });
  const from = { session: 'client-session', username: 'tester' };

  function build(msgType: string, content: Content): Message {
    const m = request(msgType, content, from);
    m.identities = [Buffer.from('client-identity')];
    return m;
  }

  return {
    session,
    history,
    counter,
    shutdowns,
    sent,
    dispatcher,
    signer,
    build,
    /** Signs and delivers a request; returns its msg_id. */
    send(channel: Channel, msgType: string, content: Content = {}): string {
      const m = build(msgType, content);
      dispatcher.receive(channel, encode(m, signer));
      return m.header.msg_id;
    },
    /** Every message whose parent is the given request, in the order sent. */
    childrenOf(msgId: string): Sent[] {
      return sent.filter((s) => (s.msg.parent_header as { msg_id?: string }).msg_id === msgId);
    },
    /** Compact trace of a request's messages: 'iopub:status:busy', 'shell:execute_reply', ... */
    trace(msgId: string): string[] {
      return sent
        .filter((s) => (s.msg.parent_header as { msg_id?: string }).msg_id === msgId)
        .map((s) =>
          s.msg.header.msg_type === 'status'
            ? `${s.channel}:status:${String(s.msg.content.execution_state)}`
            : `${s.channel}:${s.msg.header.msg_type}`,
        );
    },
    reply(msgId: string): Message {
      const r = sent.find((s) => s.channel !== 'iopub' && (s.msg.parent_header as { msg_id?: string }).msg_id === msgId);
      if (r === undefined) throw new Error(`no reply to ${msgId}`);
      return r.msg;
    },
    settled: () => dispatcher.settled(),
  };
}
