// The connection file Jupyter hands a kernel: parse and validate it, build endpoints, and (for the
// runner) write a fresh one with free ports and a random key. Errors name the file and the field.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Channel } from './message.js';

export type SocketName = Channel | 'hb';

export interface ConnectionInfo {
  ip: string;
  transport: 'tcp' | 'ipc';
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

const portFields = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

export type ConnectionResult = { ok: true; info: ConnectionInfo } | { ok: false; message: string };

export function parseConnection(text: string, file: string): ConnectionResult {
  const fail = (why: string): ConnectionResult => ({ ok: false, message: `connection file ${file}: ${why}` });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('expected a JSON object');
  const o = raw as Record<string, unknown>;
  const transport = o.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') return fail(`field 'transport' must be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  const ip = o.ip ?? '127.0.0.1';
  if (typeof ip !== 'string' || ip === '') return fail(`field 'ip' must be a non-empty string`);
  const ports: Partial<Record<(typeof portFields)[number], number>> = {};
  for (const field of portFields) {
    const v = o[field];
    // Port 0 ("pick one") is not supported: the client must know where to connect.
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 65535) {
      return fail(`field '${field}' must be an integer port in 1..65535, got ${JSON.stringify(v)}`);
    }
    ports[field] = v;
  }
  const key = o.key ?? '';
  if (typeof key !== 'string') return fail(`field 'key' must be a string`);
  const scheme = o.signature_scheme ?? 'hmac-sha256';
  if (typeof scheme !== 'string' || !/^hmac-[a-z0-9-]+$/i.test(scheme)) {
    return fail(`field 'signature_scheme' must look like "hmac-sha256", got ${JSON.stringify(scheme)}`);
  }
  return {
    ok: true,
    info: {
      ip,
      transport,
      shell_port: ports.shell_port!,
      iopub_port: ports.iopub_port!,
      stdin_port: ports.stdin_port!,
      control_port: ports.control_port!,
      hb_port: ports.hb_port!,
      key,
      signature_scheme: scheme,
      ...(typeof o.kernel_name === 'string' ? { kernel_name: o.kernel_name } : {}),
    },
  };
}

export async function readConnectionFile(file: string): Promise<ConnectionResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, message: `connection file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return parseConnection(text, file);
}

const portOf: Record<SocketName, (typeof portFields)[number]> = {
  shell: 'shell_port',
  iopub: 'iopub_port',
  stdin: 'stdin_port',
  control: 'control_port',
  hb: 'hb_port',
};

/** An IPv6 address (`::1`, `fe80::1%eth0`, `[::1]`): ZeroMQ needs the socket's ipv6 option for it. */
export function isIpv6(info: ConnectionInfo): boolean {
  return info.transport === 'tcp' && info.ip.includes(':');
}

/** tcp://ip:port (tcp://[ip]:port for IPv6), or for ipc the jupyter_client convention ipc://<ip>-<port>. */
export function endpoint(info: ConnectionInfo, socket: SocketName): string {
  const port = info[portOf[socket]];
  if (info.transport === 'ipc') return `ipc://${info.ip}-${port}`;
  const host = isIpv6(info) && !info.ip.startsWith('[') ? `[${info.ip}]` : info.ip;
  return `tcp://${host}:${port}`;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Five distinct free tcp ports on 127.0.0.1 and a random key, as jupyter_client would write. */
export async function freshConnection(): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort('127.0.0.1'));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return {
    ip: '127.0.0.1',
    transport: 'tcp',
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
    key: randomBytes(16).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: 'convbook',
  };
}

export async function writeConnectionFile(file: string, info: ConnectionInfo): Promise<void> {
  await writeFile(file, JSON.stringify(info, null, 2), { mode: 0o600 });
}
