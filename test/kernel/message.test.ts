// Message construction: headers carry protocol 5.3 and a fresh uuid; childOf links to the request.
import { describe, expect, it } from 'vitest';
import { childOf, kernelSender, newHeader, replyType, request } from '../../kernel/message.js';

describe('headers and childOf', () => {
  it('newHeader fills every field the spec requires', () => {
    const h = newHeader('status');
    expect(h.version).toBe('5.3');
    expect(h.msg_type).toBe('status');
    expect(h.session).toBe(kernelSender.session);
    expect(h.msg_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(h.date).toISOString()).toBe(h.date);
    expect(newHeader('status').msg_id).not.toBe(h.msg_id);
  });

  it('childOf sets parent_header to the request header and reuses its identities', () => {
    const req = request('complete_request', { code: 'sh', cursor_pos: 2 }, { session: 'c', username: 'u' });
    req.identities = [Buffer.from('peer')];
    const reply = childOf(req, 'complete_reply', { status: 'ok' });
    expect(reply.parent_header).toBe(req.header);
    expect(reply.identities).toBe(req.identities);
    expect(reply.header.session).toBe(kernelSender.session);
    expect(reply.header.session).not.toBe(req.header.session);
    expect(reply.content).toEqual({ status: 'ok' });
    expect(reply.metadata).toEqual({});
  });

  it('replyType follows the _request → _reply rule', () => {
    expect(replyType('execute_request')).toBe('execute_reply');
    expect(replyType('kernel_info_request')).toBe('kernel_info_reply');
  });
});
