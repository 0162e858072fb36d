// Jupyter message shapes (protocol 5.3) and the two ways to make one: a fresh header, and childOf.
// Wire fields keep the spec's snake_case. Framing and signing live in wire.ts, not here.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';

export const PROTOCOL_VERSION = '5.3';

export type Channel = 'shell' | 'control' | 'stdin' | 'iopub';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export type Content = Record<string, unknown>;

export interface Message<C = Content> {
  /** ZeroMQ routing prefix (ROUTER identities, or the PUB topic); replies reuse the request's. */
  identities: Buffer[];
  header: Header;
  /** The request's header, or {} for a message nobody asked for (e.g. status 'starting'). */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'convbook';
  }
}

/** Who this process is on the wire: one session id for the life of the kernel (or client). */
export interface Sender {
  session: string;
  username: string;
}

export const kernelSender: Sender = { session: randomUUID(), username: currentUser() };

export function newHeader(msgType: string, from: Sender = kernelSender): Header {
  return {
    msg_id: randomUUID(),
    session: from.session,
    username: from.username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** A message nobody asked for (the 'starting' status); everything else goes through childOf. */
export function orphan<C extends Content>(msgType: string, content: C, from: Sender = kernelSender): Message<C> {
  return { identities: [], header: newHeader(msgType, from), parent_header: {}, metadata: {}, content, buffers: [] };
}

/**
 * The only way the kernel builds a reply or an iopub message: parent_header is the request's header,
 * identities are the request's routing prefix (the socket layer swaps in a topic for iopub).
 */
export function childOf<C extends Content>(
  parent: Message<unknown>,
  msgType: string,
  content: C,
  metadata: Record<string, unknown> = {},
  from: Sender = kernelSender,
): Message<C> {
  return {
    identities: parent.identities,
    header: newHeader(msgType, from),
    parent_header: parent.header,
    metadata,
    content,
    buffers: [],
  };
}

/** A client-side request (used by the runner): no parent, explicit identities left to the socket. */
export function request<C extends Content>(msgType: string, content: C, from: Sender): Message<C> {
  return { identities: [], header: newHeader(msgType, from), parent_header: {}, metadata: {}, content, buffers: [] };
}

/** execute_request → execute_reply; the spec's naming rule for every request/reply pair. */
export function replyType(requestType: string): string {
  return requestType.replace(/_request$/, '_reply');
}
