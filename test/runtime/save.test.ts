// Saving model files safely: atomic replace with "overwrote" reported, symbolic links and special
// files refused, the temporary file removed when a write fails, and a killed save's leftovers
// removed by the next start (cleanStaleSaves, from the journal).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanStaleSaves, loadModelFile, modelFileOf, saveModelFile } from '../../runtime/io/index.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { toyModel } from './train-helpers.js';

const net = createNet(toyModel(), { rng: createRng(3) });
const file = () => modelFileOf(net);
const made: string[] = [];
const fresh = () => made[made.push(mkdtempSync(join(tmpdir(), 'convbook-save-'))) - 1];
const journalDir = () => made[made.push(mkdtempSync(join(tmpdir(), 'convbook-journal-'))) - 1];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const distIo = join(__dirname, '..', '..', 'dist', 'runtime', 'io', 'index.js');

describe('saveModelFile', () => {
  it('writes a new file, then says it overwrote it; no temporary file or journal entry stays', async () => {
    const dir = fresh();
    const journal = journalDir();
    const path = join(dir, 'm.convbook');
    expect(await saveModelFile(path, file(), { journalDir: journal })).toEqual({ overwrote: false });
    expect(await saveModelFile(path, file(), { journalDir: journal })).toEqual({ overwrote: true });
    expect(readdirSync(dir)).toEqual(['m.convbook']);
    expect(readdirSync(journal)).toEqual([]);
    const back = await loadModelFile(path);
    expect(back.ok && back.value.params).toEqual(net.paramBuf);
  });

  it('an interrupt during the save leaves the old file and no temporary file', async () => {
    const dir = fresh();
    const journal = journalDir();
    const path = join(dir, 'm.convbook');
    writeFileSync(path, 'old contents');
    const flag = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(flag, 0, 1);
    await expect(saveModelFile(path, file(), { journalDir: journal, abort: flag })).rejects.toMatchObject({ interrupted: true });
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    expect(readdirSync(dir)).toEqual(['m.convbook']);
    expect(readdirSync(journal)).toEqual([]);
  });

  it('refuses a symbolic link and leaves both the link and its target alone', async () => {
    const dir = fresh();
    const target = join(dir, 'real.txt');
    writeFileSync(target, 'keep me');
    const link = join(dir, 'm.convbook');
    symlinkSync(target, link);
    await expect(saveModelFile(link, file())).rejects.toThrow(
      'is a symbolic link; convbook does not replace links (give the path of the file it points to)',
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  it('refuses devices, pipes and directories', async () => {
    const dir = fresh();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const target of ['/dev/null', '/dev/full', fifo]) {
      await expect(saveModelFile(target, file())).rejects.toThrow(/is a device, pipe or socket, not a regular file/);
    }
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
    await expect(saveModelFile(dir, file())).rejects.toThrow('is a directory');
    await expect(saveModelFile(join(dir, 'no', 'such', 'm.convbook'), file())).rejects.toThrow(
      `the folder ${join(dir, 'no', 'such')} does not exist`,
    );
  });

  // A real failed write: the file-size limit (ulimit -f) makes write() fail with EFBIG part-way.
  it.skipIf(!existsSync(distIo))('removes its temporary file when the write fails part-way', () => {
    const dir = fresh();
    const journal = journalDir();
    const script = `
      import { saveModelFile } from ${JSON.stringify(distIo)};
      process.on('SIGXFSZ', () => {});
      const file = { spec: ${JSON.stringify(toyModel())}, params: new Float32Array(${net.paramBuf.length}), state: new Float32Array(${net.stateBuf.length}) };
      try { await saveModelFile(${JSON.stringify(join(dir, 'm.convbook'))}, file, { journalDir: ${JSON.stringify(journal)} }); console.log('saved'); }
      catch (e) { console.log('error: ' + e.message); }`;
    const r = spawnSync(
      'bash',
      ['-c', `ulimit -f 1; exec "${process.execPath}" --input-type=module -e '${script.replace(/'/g, `'\\''`)}'`],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toMatch(/^error: /);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(journal)).toEqual([]);
  });

  it.skipIf(!existsSync(distIo))('a save killed mid-write leaves a temporary file that the next start removes', () => {
    const dir = fresh();
    const journal = journalDir();
    // kill -9 lands between the write and the rename: the process kills itself when the save fsyncs.
    const script = `
      import { open } from 'node:fs/promises';
      import { saveModelFile } from ${JSON.stringify(distIo)};
      const probe = await open('/dev/null');
      Object.getPrototypeOf(probe).sync = () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => {}); };
      await probe.close();
      const file = { spec: ${JSON.stringify(toyModel())}, params: new Float32Array(${net.paramBuf.length}), state: new Float32Array(${net.stateBuf.length}) };
      await saveModelFile(${JSON.stringify(join(dir, 'm.convbook'))}, file, { journalDir: ${JSON.stringify(journal)} });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const left = readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.m\.convbook\.convbook-tmp-\d+-[0-9a-f]+$/);
    expect(cleanStaleSaves(journal)).toEqual([join(dir, left[0])]);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(journal)).toEqual([]);
  });
});
