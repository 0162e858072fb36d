// Multipart ZeroMQ frames ⇄ Message, with HMAC signing and constant-time verification.
// Pure: no sockets, no I/O. Bad input comes back as a WireError value, never as a throw.
import { createHmac, getHashes, timingSafeEqual } from 'node:crypto';
import type { Header, Message } from './message.js';

export const DELIMITER = '<IDS|MSG>';
const delimiterBytes = Buffer.from(DELIMITER);

/** Signs and verifies the four JSON frames. An empty key disables signing (signature ''). */
export interface Signer {
  sign(parts: readonly Buffer[]): string;
  verify(signature: string, parts: readonly Buffer[]): boolean;
}

export type SignerResult = { ok: true; signer: Signer } | { ok: false; message: string };

/** signature_scheme is 'hmac-<hash>' with any hash node supports; the spec's default is hmac-sha256. */
export function makeSigner(key: string, scheme = 'hmac-sha256'): SignerResult {
  if (key === '') {
    return { ok: true, signer: { sign: () => '', verify: () => true } };
  }
  const match = /^hmac-([a-z0-9-]+)$/i.exec(scheme);
  const hash = match?.[1].toLowerCase();
  if (hash === undefined || !getHashes().includes(hash)) {
    return { ok: false, message: `unsupported signature_scheme '${scheme}' (expected e.g. 'hmac-sha256')` };
  }
  const digest = (parts: readonly Buffer[]): string => {
    const h = createHmac(hash, key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
  return {
    ok: true,
    signer: {
      sign: digest,
      verify(signature, parts) {
        const expected = Buffer.from(digest(parts), 'latin1');
        const given = Buffer.from(signature, 'latin1');
        // timingSafeEqual throws on unequal lengths; a length mismatch is already a failure.
        return expected.length === given.length && timingSafeEqual(expected, given);
      },
    },
  };
}

export type WireError =
  | { kind: 'no-delimiter'; detail: string }
  | { kind: 'too-few-frames'; detail: string }
  | { kind: 'bad-signature'; detail: string }
  | { kind: 'bad-json'; detail: string }
  | { kind: 'bad-header'; detail: string };

/** signature is the verified HMAC ('' when signing is off), for the replay check. */
export type Decoded = { ok: true; message: Message; signature: string } | { ok: false; error: WireError };

function jsonFrames(msg: Message<unknown>): Buffer[] {
  return [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part)));
}

/** [...identities, <IDS|MSG>, signature, header, parent_header, metadata, content, ...buffers] */
export function encode(msg: Message<unknown>, signer: Signer): Buffer[] {
  const parts = jsonFrames(msg);
  return [...msg.identities, delimiterBytes, Buffer.from(signer.sign(parts)), ...parts, ...msg.buffers];
}

function parseObject(frame: Buffer, name: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: WireError } {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch (e) {
    return { ok: false, error: { kind: 'bad-json', detail: `${name}: ${(e as Error).message}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: { kind: 'bad-json', detail: `${name} is not a JSON object` } };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function checkHeader(h: Record<string, unknown>): WireError | undefined {
  for (const field of ['msg_id', 'msg_type'] as const) {
    if (typeof h[field] !== 'string' || h[field] === '') return { kind: 'bad-header', detail: `header.${field} missing or not a string` };
  }
  return undefined;
}

/** Verifies the signature before parsing anything, so unsigned input never reaches JSON.parse. */
export function decode(frames: readonly Buffer[], signer: Signer): Decoded {
  const at = frames.findIndex((f) => f.equals(delimiterBytes));
  if (at < 0) return { ok: false, error: { kind: 'no-delimiter', detail: `no ${DELIMITER} among ${frames.length} frames` } };
  if (frames.length < at + 6) {
    return { ok: false, error: { kind: 'too-few-frames', detail: `${frames.length - at - 1} frames after the delimiter, need 5` } };
  }
  const signature = frames[at + 1].toString('latin1');
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) return { ok: false, error: { kind: 'bad-signature', detail: 'HMAC does not match' } };
  const parsed = [];
  for (const [i, name] of ['header', 'parent_header', 'metadata', 'content'].entries()) {
    const r = parseObject(parts[i], name);
    if (!r.ok) return r;
    parsed.push(r.value);
  }
  const [header, parent, metadata, content] = parsed;
  const headerError = checkHeader(header);
  if (headerError) return { ok: false, error: headerError };
  return {
    ok: true,
    signature,
    message: {
      identities: frames.slice(0, at).map((f) => Buffer.from(f)),
      header: header as unknown as Header,
      parent_header: parent as Header | Record<string, never>,
      metadata,
      content,
      buffers: frames.slice(at + 6).map((f) => Buffer.from(f)),
    },
  };
}
