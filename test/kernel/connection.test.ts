// Connection files: valid ones parse, each kind of mistake names the file and the field.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpoint, freshConnection, parseConnection, readConnectionFile } from '../../kernel/connection.js';

const good = {
  ip: '127.0.0.1',
  transport: 'tcp',
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  key: 'abc',
  signature_scheme: 'hmac-sha256',
  kernel_name: 'convbook',
};

const parse = (o: unknown) => parseConnection(JSON.stringify(o), 'conn.json');

describe('parseConnection', () => {
  it('accepts a jupyter_client connection file and builds endpoints', () => {
    const r = parse(good);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(endpoint(r.info, 'shell')).toBe('tcp://127.0.0.1:5001');
    expect(endpoint(r.info, 'hb')).toBe('tcp://127.0.0.1:5005');
    const ipc = parse({ ...good, transport: 'ipc', ip: '/tmp/k' });
    expect(ipc.ok && endpoint(ipc.info, 'iopub')).toBe('ipc:///tmp/k-5002');
    const v6 = parse({ ...good, ip: '::1' });
    expect(v6.ok && endpoint(v6.info, 'shell')).toBe('tcp://[::1]:5001');
  });

  it.each([
    [{ ...good, shell_port: 'x' }, "field 'shell_port'"],
    [{ ...good, hb_port: undefined }, "field 'hb_port'"],
    [{ ...good, control_port: 70000 }, "field 'control_port'"],
    [{ ...good, transport: 'udp' }, "field 'transport'"],
    [{ ...good, key: 5 }, "field 'key'"],
    [{ ...good, signature_scheme: 'md5' }, "field 'signature_scheme'"],
    [{ ...good, ip: '' }, "field 'ip'"],
    [[1, 2], 'JSON object'],
  ])('rejects %j naming the field', (input, field) => {
    const r = parse(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('conn.json');
      expect(r.message).toContain(field);
    }
  });

  it('reports invalid JSON and missing files with the file name', async () => {
    const bad = parseConnection('{nope', 'x.json');
    expect(!bad.ok && bad.message).toMatch(/x\.json.*not valid JSON/);
    const dir = await mkdtemp(join(tmpdir(), 'convbook-conn-'));
    const missing = await readConnectionFile(join(dir, 'absent.json'));
    expect(!missing.ok && missing.message).toMatch(/absent\.json.*ENOENT/);
    await writeFile(join(dir, 'ok.json'), JSON.stringify(good));
    expect((await readConnectionFile(join(dir, 'ok.json'))).ok).toBe(true);
  });

  it('freshConnection gives five distinct ports and a key', async () => {
    const info = await freshConnection();
    const ports = [info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port];
    expect(new Set(ports).size).toBe(5);
    expect(info.key).toMatch(/^[0-9a-f]{32}$/);
    expect(parse(info).ok).toBe(true);
  });
});
