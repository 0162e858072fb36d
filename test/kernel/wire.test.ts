// The wire layer without sockets: framing round trips, HMAC acceptance and rejection, malformed input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childOf, request } from '../../kernel/message.js';
import { DELIMITER, decode, encode, makeSigner, type Signer } from '../../kernel/wire.js';

function signer(key: string, scheme?: string): Signer {
  const r = makeSigner(key, scheme);
  if (!r.ok) throw new Error(r.message);
  return r.signer;
}

const from = { session: 's', username: 'u' };

describe('encode/decode', () => {
  it('round-trips identities, all four dicts and binary buffers', () => {
    const s = signer('k');
    const req = request('execute_request', { code: 'print "hi"', silent: false }, from);
    req.identities = [Buffer.from([0, 1, 2]), Buffer.from('second')];
    const msg = childOf(req, 'execute_reply', { status: 'ok', execution_count: 3 }, { started: 'x' });
    msg.buffers = [Buffer.from([255, 0, 7])];
    const frames = encode(msg, s);
    expect(frames[2].toString()).toBe(DELIMITER);
    const back = decode(frames, s);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.message.identities.map((b) => [...b])).toEqual([[0, 1, 2], [...Buffer.from('second')]]);
    expect(back.message.header).toEqual(msg.header);
    expect(back.message.parent_header).toEqual(req.header);
    expect(back.message.metadata).toEqual({ started: 'x' });
    expect(back.message.content).toEqual({ status: 'ok', execution_count: 3 });
    expect(back.message.buffers.map((b) => [...b])).toEqual([[255, 0, 7]]);
  });

  it('round-trips arbitrary JSON content (property)', () => {
    const s = signer('property-key');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (content) => {
        const msg = request('x_request', content as Record<string, unknown>, from);
        const back = decode(encode(msg, s), s);
        return back.ok && JSON.stringify(back.message.content) === JSON.stringify(JSON.parse(JSON.stringify(content)));
      }),
      { numRuns: 200 },
    );
  });

  it('signs with hmac-sha256 over header, parent, metadata, content as jupyter_client does', () => {
    const s = signer('abc');
    const msg = request('kernel_info_request', {}, from);
    const frames = encode(msg, s);
    // Recompute the expected digest independently with node's crypto over the same four frames.
    return import('node:crypto').then(({ createHmac }) => {
      const h = createHmac('sha256', 'abc');
      for (const f of frames.slice(2, 6)) h.update(f);
      expect(frames[1].toString()).toBe(h.digest('hex'));
    });
  });
});

describe('signature verification', () => {
  const msg = request('execute_request', { code: 'x' }, from);

  it('rejects a tampered content frame', () => {
    const s = signer('secret');
    const frames = encode(msg, s);
    frames[frames.length - 1] = Buffer.from(JSON.stringify({ code: 'evil' }));
    const r = decode(frames, s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('bad-signature');
  });

  it('rejects a message signed with another key, and an unsigned one', () => {
    const good = signer('secret');
    const r1 = decode(encode(msg, signer('other')), good);
    const r2 = decode(encode(msg, signer('')), good);
    expect(r1.ok || r2.ok).toBe(false);
    if (!r1.ok) expect(r1.error.kind).toBe('bad-signature');
    if (!r2.ok) expect(r2.error.kind).toBe('bad-signature');
  });

  it('rejects a signature of the wrong length without throwing', () => {
    const s = signer('secret');
    const frames = encode(msg, s);
    frames[1] = Buffer.from('abc');
    const r = decode(frames, s);
    expect(r.ok).toBe(false);
  });

  it('accepts anything when the key is empty (signing disabled), and signs with ""', () => {
    const s = signer('');
    const frames = encode(msg, s);
    expect(frames[1].toString()).toBe('');
    frames[1] = Buffer.from('whatever');
    expect(decode(frames, s).ok).toBe(true);
  });

  it('supports other hmac schemes and refuses unknown ones', () => {
    const s = signer('k', 'hmac-sha512');
    expect(encode(msg, s)[1].toString()).toHaveLength(128);
    expect(makeSigner('k', 'rot13').ok).toBe(false);
    expect(makeSigner('k', 'hmac-nosuchhash').ok).toBe(false);
  });
});

describe('malformed frames come back as errors, never throws', () => {
  const s = signer('');
  const kinds = (frames: Buffer[]) => {
    const r = decode(frames, s);
    return r.ok ? 'ok' : r.error.kind;
  };

  it('classifies each kind of damage', () => {
    const b = (x: string) => Buffer.from(x);
    expect(kinds([])).toBe('no-delimiter');
    expect(kinds([b('garbage'), b('more')])).toBe('no-delimiter');
    expect(kinds([b(DELIMITER), b(''), b('{}')])).toBe('too-few-frames');
    expect(kinds([b(DELIMITER), b(''), b('{not json'), b('{}'), b('{}'), b('{}')])).toBe('bad-json');
    expect(kinds([b(DELIMITER), b(''), b('[1,2]'), b('{}'), b('{}'), b('{}')])).toBe('bad-json');
    expect(kinds([b(DELIMITER), b(''), b('{}'), b('{}'), b('{}'), b('{}')])).toBe('bad-header');
    expect(kinds([b(DELIMITER), b(''), b('{"msg_id":"1","msg_type":"x"}'), b('{}'), b('{}'), b('null')])).toBe('bad-json');
    expect(kinds([b(DELIMITER), b(''), b('{"msg_id":"1","msg_type":"x"}'), b('{}'), b('{}'), b('{}')])).toBe('ok');
  });

  it('never throws on random frames (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.boolean(), (arrays, withDelimiter) => {
        const frames = arrays.map((a) => Buffer.from(a));
        if (withDelimiter) frames.splice(Math.min(1, frames.length), 0, Buffer.from(DELIMITER));
        const r = decode(frames, signer('k'));
        return r.ok === false;
      }),
      { numRuns: 300 },
    );
  });
});
