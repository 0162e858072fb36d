// What a user sees from `save`, `load` and `data` on awkward paths: "overwrote", refused links and
// devices, special files refused by the readers, and an interrupted load that binds nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, streamText } from './harness.js';

const MODEL = `model tiny(input: 8x8x1) {
  conv 2 kernel 3x3 relu
  dense 3 softmax
}`;

const made: string[] = [];
const fresh = () => made[made.push(mkdtempSync(join(tmpdir(), 'convbook-files-'))) - 1];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('save, load and data on awkward paths', () => {
  it('says when save replaced a file, and refuses links and devices in plain words', async () => {
    const dir = fresh();
    const h = createHarness(dir);
    expect((await h.run(MODEL)).error).toBeUndefined();
    const first = await h.run('save tiny "tiny.convbook"');
    expect(streamText(first.outputs)).not.toMatch(/overwrote/);
    const again = await h.run('save tiny "tiny.convbook"');
    expect(streamText(again.outputs)).toMatch(/saved tiny \(\d+ parameters\) to .*tiny\.convbook \(overwrote the file that was there\)/);
    symlinkSync(join(dir, 'tiny.convbook'), join(dir, 'link.convbook'));
    const link = await h.run('save tiny "link.convbook"');
    expect(link.error?.evalue).toMatch(/^cannot save to .*link\.convbook: is a symbolic link/);
    const dev = await h.run('save tiny "/dev/full"');
    expect(dev.error?.evalue).toBe(
      'cannot save to /dev/full: is a device, pipe or socket, not a regular file; convbook only replaces regular files',
    );
    // export writes the same way: a link is refused, a second export says it overwrote.
    symlinkSync(join(dir, 'tiny.convbook'), join(dir, 'link.onnx'));
    const exported = await h.run('export tiny to "link.onnx"');
    expect(exported.error?.evalue).toMatch(/^cannot write .*link\.onnx: is a symbolic link/);
    expect((await h.run('export tiny to "tiny.onnx"')).error).toBeUndefined();
    expect(streamText((await h.run('export tiny to "tiny.onnx"')).outputs)).toMatch(/\(overwrote the file that was there\)/);
    expect(readdirSync(dir).sort()).toEqual(['link.convbook', 'link.onnx', 'tiny.convbook', 'tiny.onnx']);
  });

  it('data from /dev/zero, a FIFO or a folder is refused at once and binds nothing', async () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    const h = createHarness(dir);
    for (const [cell, kind] of [
      ['data x = csv("/dev/zero")', 'a character device'],
      ['data x = csv("pipe.csv")', 'a named pipe (FIFO)'],
      ['data x = idx("/dev/urandom", "/dev/urandom")', 'a character device'],
      [`data x = csv("${dir}")`, 'a directory'],
    ]) {
      const r = await h.run(cell);
      expect(r.error?.ename).toBe('DataError');
      expect(r.error?.evalue).toContain(`cannot read file: it is ${kind}, not a regular file`);
    }
    expect(h.state.data.size).toBe(0);
  });

  it('an interrupt during a load stops it with KeyboardInterrupt and binds nothing', async () => {
    const dir = fresh();
    const rows = Array.from({ length: 20000 }, (_, i) => `${i % 3},${Array.from({ length: 64 }, (_, j) => (i + j) % 256).join(',')}`);
    writeFileSync(join(dir, 'big.csv'), rows.join('\n'));
    const h = createHarness(dir);
    // Set once the statement is running (the executor checks before it starts, the reader between chunks).
    const run = h.run('data x = csv("big.csv")');
    Atomics.store(h.interrupt, 0, 1);
    const r = await run;
    expect(r.error?.ename).toBe('KeyboardInterrupt');
    expect(h.state.data.has('x')).toBe(false);
  });
});
