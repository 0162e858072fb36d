// Every handler through the dispatcher with a fake session: status ordering, execution counts,
// stop_on_error, silent runs, history, completion mapping, comms, lifecycle, bad input.
import { describe, expect, it } from 'vitest';
import { encode } from '../../kernel/wire.js';
import { DELIMITER } from '../../kernel/wire.js';
import { harness } from './helpers.js';

const exec = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  silent: false,
  store_history: true,
  user_expressions: {},
  allow_stdin: false,
  stop_on_error: true,
  ...extra,
});

describe('status and ordering', () => {
  it('wraps an execute in busy … idle with outputs in order between', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('out one\nresult two\nerr three'));
    await h.settled();
    expect(h.trace(id)).toEqual([
      'iopub:status:busy',
      'iopub:execute_input',
      'iopub:stream',
      'iopub:execute_result',
      'iopub:stream',
      'shell:execute_reply',
      'iopub:status:idle',
    ]);
    const kids = h.childrenOf(id);
    expect(kids[2].msg.content).toEqual({ name: 'stdout', text: 'one\n' });
    expect(kids[3].msg.content).toEqual({ execution_count: 1, data: { 'text/plain': 'two' }, metadata: {} });
    expect(kids[4].msg.content).toEqual({ name: 'stderr', text: 'three\n' });
    // Replies go back to the requester's routing identity.
    expect(kids[5].msg.identities.map(String)).toEqual(['client-identity']);
  });

  it('publishes busy/idle around control requests too', async () => {
    const h = harness();
    const id = h.send('control', 'kernel_info_request');
    await h.settled();
    expect(h.trace(id)).toEqual(['iopub:status:busy', 'control:kernel_info_reply', 'iopub:status:idle']);
  });

  it('kernel_info_reply waits until the session worker is ready', async () => {
    const h = harness();
    let ready: () => void = () => undefined;
    const waits: number[] = [];
    h.session.whenReady = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => (ready = resolve));
    };
    const id = h.send('shell', 'kernel_info_request');
    await new Promise((r) => setTimeout(r, 20));
    expect(h.trace(id)).toEqual(['iopub:status:busy']);
    ready();
    await h.settled();
    expect(h.trace(id)).toEqual(['iopub:status:busy', 'shell:kernel_info_reply', 'iopub:status:idle']);
    expect(waits).toEqual([10_000]);
  });

  it('answers an unknown msg_type with busy then idle, and no reply', async () => {
    const h = harness();
    const id = h.send('shell', 'frobnicate_request', {});
    await h.settled();
    expect(h.trace(id)).toEqual(['iopub:status:busy', 'iopub:status:idle']);
  });

  it("answers usage_request on control with the kernel's memory and cpu", async () => {
    const h = harness();
    const id = h.send('control', 'usage_request');
    await h.settled();
    expect(h.trace(id)).toEqual(['iopub:status:busy', 'control:usage_reply', 'iopub:status:idle']);
    const c = h.reply(id).content as Record<string, unknown>;
    expect(c.pid).toBe(process.pid);
    expect(c.kernel_memory as number).toBeGreaterThan(1 << 20);
    expect(typeof c.kernel_cpu).toBe('number');
    expect((c.host_virtual_memory as { total: number }).total).toBeGreaterThan(0);
  });

  it('drops a correctly signed message sent a second time (replay)', async () => {
    const h = harness('right-key');
    const frames = encode(h.build('execute_request', exec('out once')), h.signer);
    h.dispatcher.receive('shell', frames);
    await h.settled();
    h.dispatcher.receive(
      'shell',
      frames.map((f) => Buffer.from(f)),
    );
    await h.settled();
    expect(h.session.executed.map((e) => e.code)).toEqual(['out once']);
    // A fresh message (new msg_id, so a new signature) still runs.
    h.send('shell', 'execute_request', exec('out twice'));
    await h.settled();
    expect(h.session.executed.map((e) => e.code)).toEqual(['out once', 'out twice']);
  });

  it('ignores messages on stdin (the kernel never sends input_request)', async () => {
    const h = harness();
    const id = h.send('stdin', 'input_reply', { value: 'x' });
    await h.settled();
    expect(h.childrenOf(id)).toEqual([]);
  });

  it('drops a message with a bad signature: nothing executed, nothing answered', async () => {
    const h = harness('right-key');
    const m = h.build('execute_request', exec('out pwned'));
    const frames = encode(m, h.signer);
    frames[frames.length - 1] = Buffer.from(JSON.stringify(exec('out changed')));
    h.dispatcher.receive('shell', frames);
    await h.settled();
    expect(h.sent).toEqual([]);
    expect(h.session.executed).toEqual([]);
    expect(h.counter.value).toBe(0);
  });

  it('survives garbage frames and keeps answering', async () => {
    const h = harness();
    h.dispatcher.receive('shell', [Buffer.from('x')]);
    h.dispatcher.receive('shell', [Buffer.from(DELIMITER), Buffer.from('sig')]);
    h.dispatcher.receive('control', []);
    const id = h.send('shell', 'kernel_info_request');
    await h.settled();
    expect(h.sent.length).toBe(3);
    expect(h.reply(id).header.msg_type).toBe('kernel_info_reply');
  });

  it('contains a throwing handler: error reply, then idle', async () => {
    const h = harness();
    h.session.execute = () => Promise.reject(new TypeError('engine exploded'));
    const id = h.send('shell', 'execute_request', exec('out x'));
    await h.settled();
    const reply = h.reply(id);
    expect(reply.content).toMatchObject({ status: 'error', ename: 'TypeError', evalue: 'engine exploded' });
    expect(h.trace(id).at(-1)).toBe('iopub:status:idle');
  });

  it('runs queued shell requests one at a time, in arrival order', async () => {
    const h = harness();
    const a = h.send('shell', 'execute_request', exec('wait\nout a'));
    const b = h.send('shell', 'execute_request', exec('out b'));
    // While a waits, b has not started, but completion is answered at once.
    const c = h.send('shell', 'complete_request', { code: 'tr', cursor_pos: 2 });
    await new Promise((r) => setTimeout(r, 10));
    expect(h.trace(b)).toEqual([]);
    expect(h.trace(c)).toEqual(['iopub:status:busy', 'shell:complete_reply', 'iopub:status:idle']);
    h.session.release();
    await h.settled();
    const order = h.sent
      .filter((s) => s.msg.header.msg_type === 'execute_reply')
      .map((s) => (s.msg.parent_header as { msg_id: string }).msg_id);
    expect(order).toEqual([a, b]);
  });
});

describe('shell queue timing', () => {
  it('never strands a request that arrives while the pump is winding down', async () => {
    // Deliver the second request after every possible number of microtask hops, including the
    // gap between the pump's last shift() and its completion callback.
    for (let hops = 0; hops < 30; hops++) {
      const h = harness();
      h.send('shell', 'execute_request', exec('out a'));
      let second = '';
      let p: Promise<void> = Promise.resolve();
      for (let i = 0; i < hops; i++) p = p.then(() => undefined);
      await p.then(() => {
        second = h.send('shell', 'execute_request', exec('out b'));
      });
      await h.settled();
      expect(h.reply(second).content.status).toBe('ok');
    }
  });
});

describe('execute_request', () => {
  it('counts only store_history runs and echoes the count everywhere', async () => {
    const h = harness();
    const a = h.send('shell', 'execute_request', exec('result 1'));
    const b = h.send('shell', 'execute_request', exec('result 2', { store_history: false }));
    const c = h.send('shell', 'execute_request', exec('result 3'));
    await h.settled();
    expect(h.reply(a).content.execution_count).toBe(1);
    expect(h.reply(b).content.execution_count).toBe(1);
    expect(h.reply(c).content.execution_count).toBe(2);
    const input = h.childrenOf(c).find((s) => s.msg.header.msg_type === 'execute_input')!;
    expect(input.msg.content).toEqual({ code: 'result 3', execution_count: 2 });
    expect(h.history.tail(10).map((e) => e.input)).toEqual(['result 1', 'result 3']);
  });

  it('silent: no execute_input, no outputs, count unchanged, session told', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('out hidden\nresult 5', { silent: true }));
    await h.settled();
    expect(h.trace(id)).toEqual(['iopub:status:busy', 'shell:execute_reply', 'iopub:status:idle']);
    expect(h.counter.value).toBe(0);
    expect(h.session.executed).toEqual([{ code: 'out hidden\nresult 5', silent: true }]);
    expect(h.history.tail(5)).toEqual([]);
  });

  it('a blank cell neither counts nor reaches the session worker', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('  \n'));
    await h.settled();
    expect(h.reply(id).content).toMatchObject({ status: 'ok', execution_count: 0 });
    expect(h.session.executed).toEqual([]);
  });

  it('an error publishes error on iopub and replies status error with the same fields', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('out before\nfail ShapeError'));
    await h.settled();
    expect(h.trace(id)).toEqual([
      'iopub:status:busy',
      'iopub:execute_input',
      'iopub:stream',
      'iopub:error',
      'shell:execute_reply',
      'iopub:status:idle',
    ]);
    const err = h.childrenOf(id).find((s) => s.msg.header.msg_type === 'error')!.msg.content;
    expect(err).toEqual({ ename: 'ShapeError', evalue: 'ShapeError happened', traceback: ['ShapeError: ShapeError happened'] });
    expect(h.reply(id).content).toMatchObject({ status: 'error', execution_count: 1, ...err });
  });

  it('stop_on_error aborts the execute_requests already queued behind the failure', async () => {
    const h = harness();
    const a = h.send('shell', 'execute_request', exec('wait\nfail Boom'));
    const b = h.send('shell', 'execute_request', exec('out b'));
    const c = h.send('shell', 'execute_request', exec('out c'));
    h.session.release();
    await h.settled();
    expect(h.reply(a).content.status).toBe('error');
    expect(h.reply(b).content).toEqual({ status: 'aborted' });
    expect(h.reply(c).content).toEqual({ status: 'aborted' });
    expect(h.trace(b)).toEqual(['iopub:status:busy', 'shell:execute_reply', 'iopub:status:idle']);
    expect(h.session.executed.map((e) => e.code)).toEqual(['wait\nfail Boom']);
    // Requests after the abort run normally.
    const d = h.send('shell', 'execute_request', exec('out d'));
    await h.settled();
    expect(h.reply(d).content.status).toBe('ok');
    expect(h.reply(d).content.execution_count).toBe(2);
  });

  it('stop_on_error false lets the queued requests run', async () => {
    const h = harness();
    h.send('shell', 'execute_request', exec('wait\nfail Boom', { stop_on_error: false }));
    const b = h.send('shell', 'execute_request', exec('out b'));
    h.session.release();
    await h.settled();
    expect(h.reply(b).content.status).toBe('ok');
  });

  it('maps display, update and clear to their iopub messages with display ids', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('show plot1\nupdate plot1\nclear'));
    await h.settled();
    const kids = h.childrenOf(id).filter((s) => ['display_data', 'update_display_data', 'clear_output'].includes(s.msg.header.msg_type));
    expect(kids.map((k) => [k.msg.header.msg_type, k.msg.content])).toEqual([
      ['display_data', { data: { 'text/plain': 'shown' }, metadata: {}, transient: { display_id: 'plot1' } }],
      ['update_display_data', { data: { 'text/plain': 'updated' }, metadata: {}, transient: { display_id: 'plot1' } }],
      ['clear_output', { wait: false }],
    ]);
  });

  it('answers user_expressions with a per-expression error instead of ignoring them', async () => {
    const h = harness();
    const id = h.send('shell', 'execute_request', exec('out x', { user_expressions: { a: '1+1' } }));
    await h.settled();
    expect((h.reply(id).content.user_expressions as Record<string, { status: string }>).a.status).toBe('error');
  });
});

describe('help cells', () => {
  it('?word and word? page the reference without running the session worker', async () => {
    const h = harness();
    const a = h.send('shell', 'execute_request', exec('?train'));
    const b = h.send('shell', 'execute_request', exec('train?  '));
    const c = h.send('shell', 'execute_request', exec('?nosuchword'));
    await h.settled();
    const page = { source: 'page', data: { 'text/plain': 'train a model', 'text/markdown': '**train** a model' }, start: 0 };
    expect(h.reply(a).content).toMatchObject({ status: 'ok', execution_count: 1, payload: [page] });
    expect(h.reply(b).content).toMatchObject({ status: 'ok', execution_count: 2, payload: [page] });
    expect(h.reply(c).content).toMatchObject({ status: 'ok', payload: [] });
    expect(h.childrenOf(c).find((s) => s.msg.header.msg_type === 'stream')?.msg.content.text).toMatch(/no help for 'nosuchword'/);
    expect(h.session.executed).toEqual([]);
  });

  it('a ? inside a statement is not a help request', async () => {
    const h = harness();
    h.send('shell', 'execute_request', exec('out what?'));
    await h.settled();
    expect(h.session.executed.map((e) => e.code)).toEqual(['out what?']);
  });
});

describe('introspection handlers', () => {
  it('complete_request maps cursor positions in code points and uses the session worker env', async () => {
    const h = harness();
    h.session.env = { models: {}, data: { digits: {} } };
    // "é" is one code point; "🙂" is one code point but two UTF-16 units.
    const code = '🙂 show d';
    const id = h.send('shell', 'complete_request', { code, cursor_pos: [...code].length });
    await h.settled();
    expect(h.reply(id).content).toEqual({ status: 'ok', matches: ['digits'], cursor_start: 7, cursor_end: 8, metadata: {} });
  });

  it('inspect_request returns text/plain and text/markdown when found, empty data when not', async () => {
    const h = harness();
    const a = h.send('shell', 'inspect_request', { code: 'train m', cursor_pos: 3, detail_level: 0 });
    const b = h.send('shell', 'inspect_request', { code: 'zzz', cursor_pos: 1, detail_level: 0 });
    await h.settled();
    expect(h.reply(a).content).toEqual({
      status: 'ok',
      found: true,
      data: { 'text/plain': 'train a model', 'text/markdown': '**train** a model' },
      metadata: {},
    });
    expect(h.reply(b).content).toEqual({ status: 'ok', found: false, data: {}, metadata: {} });
  });

  it('is_complete_request passes status through, with indent only when incomplete', async () => {
    const h = harness();
    const a = h.send('shell', 'is_complete_request', { code: 'model m {' });
    const b = h.send('shell', 'is_complete_request', { code: 'show m' });
    const c = h.send('shell', 'is_complete_request', { code: '}' });
    await h.settled();
    expect(h.reply(a).content).toEqual({ status: 'incomplete', indent: '  ' });
    expect(h.reply(b).content).toEqual({ status: 'complete' });
    expect(h.reply(c).content).toEqual({ status: 'invalid' });
  });
});

describe('history_request', () => {
  async function withCells(cells: string[]) {
    const h = harness();
    for (const c of cells) h.send('shell', 'execute_request', exec(c));
    await h.settled();
    return h;
  }

  it('tail returns the last n entries, with outputs when asked', async () => {
    const h = await withCells(['result 1', 'out x', 'result 3']);
    const a = h.send('shell', 'history_request', { output: false, raw: true, hist_access_type: 'tail', n: 2 });
    const b = h.send('shell', 'history_request', { output: true, raw: true, hist_access_type: 'tail', n: 3 });
    await h.settled();
    expect(h.reply(a).content).toEqual({
      status: 'ok',
      history: [
        [1, 2, 'out x'],
        [1, 3, 'result 3'],
      ],
    });
    expect(h.reply(b).content.history).toEqual([
      [1, 1, ['result 1', '1']],
      [1, 2, ['out x', null]],
      [1, 3, ['result 3', '3']],
    ]);
  });

  it('range selects [start, stop) of this session; other sessions are empty', async () => {
    const h = await withCells(['result a', 'result b', 'result c']);
    const a = h.send('shell', 'history_request', { output: false, raw: true, hist_access_type: 'range', session: 1, start: 2, stop: 3 });
    const b = h.send('shell', 'history_request', { output: false, raw: true, hist_access_type: 'range', session: 7, start: 1, stop: 3 });
    await h.settled();
    expect(h.reply(a).content.history).toEqual([[1, 2, 'result b']]);
    expect(h.reply(b).content.history).toEqual([]);
  });

  it('search matches a glob against whole inputs, honouring unique and n', async () => {
    const h = await withCells(['result 12', 'out 1x2', 'result 12', 'result 99']);
    const search = (extra: Record<string, unknown>) =>
      h.send('shell', 'history_request', { output: false, raw: true, hist_access_type: 'search', ...extra });
    const all = search({ pattern: 'result 1?' });
    const star = search({ pattern: '*1*2' });
    const unique = search({ pattern: 'result 1?', unique: true });
    const lastOne = search({ pattern: 'result*', n: 1 });
    await h.settled();
    expect(h.reply(all).content.history).toEqual([
      [1, 1, 'result 12'],
      [1, 3, 'result 12'],
    ]);
    expect(h.reply(star).content.history).toEqual([
      [1, 1, 'result 12'],
      [1, 2, 'out 1x2'],
      [1, 3, 'result 12'],
    ]);
    expect(h.reply(unique).content.history).toEqual([[1, 3, 'result 12']]);
    expect(h.reply(lastOne).content.history).toEqual([[1, 4, 'result 99']]);
  });
});

describe('comms and lifecycle', () => {
  it('comm_info lists no comms', async () => {
    const h = harness();
    const id = h.send('shell', 'comm_info_request', { target_name: 'jupyter.widget' });
    await h.settled();
    expect(h.reply(id).header.msg_type).toBe('comm_info_reply');
    expect(h.reply(id).content).toEqual({ status: 'ok', comms: {} });
  });

  it('comm_open to an unknown target is closed on iopub; comm_msg and comm_close are ignored', async () => {
    const h = harness();
    const open = h.send('shell', 'comm_open', { comm_id: 'c1', target_name: 'nope', data: {} });
    const msg = h.send('shell', 'comm_msg', { comm_id: 'c1', data: {} });
    const close = h.send('shell', 'comm_close', { comm_id: 'c1', data: {} });
    await h.settled();
    expect(h.trace(open)).toEqual(['iopub:status:busy', 'iopub:comm_close', 'iopub:status:idle']);
    expect(h.childrenOf(open)[1].msg.content).toEqual({ comm_id: 'c1', data: {} });
    expect(h.trace(msg)).toEqual(['iopub:status:busy', 'iopub:status:idle']);
    expect(h.trace(close)).toEqual(['iopub:status:busy', 'iopub:status:idle']);
  });

  it('kernel_info describes convbook', async () => {
    const h = harness();
    const id = h.send('shell', 'kernel_info_request');
    await h.settled();
    const c = h.reply(id).content as Record<string, any>;
    expect(c.status).toBe('ok');
    expect(c.protocol_version).toBe('5.3');
    expect(c.implementation).toBe('convbook');
    expect(c.implementation_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(c.language_info).toMatchObject({
      name: 'convbook',
      mimetype: 'text/x-convbook',
      file_extension: '.cnb',
      codemirror_mode: 'convbook',
    });
  });

  it('shutdown echoes restart and asks the kernel to stop; interrupt reaches the session worker', async () => {
    const h = harness();
    const s = h.send('control', 'shutdown_request', { restart: true });
    const i = h.send('control', 'interrupt_request', {});
    await h.settled();
    expect(h.reply(s).content).toEqual({ status: 'ok', restart: true });
    expect(h.reply(s).header.msg_type).toBe('shutdown_reply');
    expect(h.shutdowns).toEqual([true]);
    expect(h.reply(i).content).toEqual({ status: 'ok' });
    expect(h.session.interrupts).toBe(1);
  });

  it('control is answered while a shell cell is running', async () => {
    const h = harness();
    const run = h.send('shell', 'execute_request', exec('wait'));
    const info = h.send('control', 'kernel_info_request');
    const stop = h.send('control', 'interrupt_request');
    await new Promise((r) => setTimeout(r, 10));
    expect(h.reply(info).header.msg_type).toBe('kernel_info_reply');
    expect(h.reply(stop).header.msg_type).toBe('interrupt_reply');
    expect(h.trace(run)).not.toContain('shell:execute_reply');
    h.session.release();
    await h.settled();
    expect(h.reply(run).content.status).toBe('ok');
  });
});
