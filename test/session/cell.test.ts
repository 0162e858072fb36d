// The session end to end without the kernel: real compile, real runtime, real renderers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHarness, streamText } from './harness.js';

const DATA = 'data digits = mnist(train: 600, test: 200, seed: 1)';
const MODEL = `model tiny(input: 28x28x1) {
  conv 4 kernel 3x3 padding same relu
  maxpool 2x2
  dense 10 softmax
}`;

describe('session cells', () => {
  it('loads data, defines a model with a summary, trains with a live dashboard, evaluates', async () => {
    const h = createHarness();
    const d = await h.run(DATA);
    expect(d.error).toBeUndefined();
    expect(streamText(d.outputs)).toMatch(/600 train \/ 200 test images of 28×28×1, 10 classes/);
    const m = await h.run(MODEL);
    expect(m.error).toBeUndefined();
    const summary = m.outputs.find((o) => o.type === 'display');
    expect(summary && summary.type === 'display' && String(summary.data['text/plain'])).toMatch(/conv1/);
    const t = await h.run('train tiny on digits { epochs 2  batch 20  seed 3  optimizer sgd(lr: 0.1, momentum: 0.9) }');
    expect(t.error).toBeUndefined();
    const displays = t.outputs.filter((o) => o.type === 'display');
    const updates = t.outputs.filter((o) => o.type === 'update');
    expect(displays).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    const id = displays[0].type === 'display' ? displays[0].displayId : undefined;
    expect(id).toBeTruthy();
    expect(updates.every((u) => u.type === 'update' && u.displayId === id)).toBe(true);
    expect(streamText(t.outputs)).toMatch(/reproducibility: seed 3, data sha256 [0-9a-f]{12}/);
    expect(h.state.models.get('tiny')?.runs).toHaveLength(1);
    const e = await h.run('evaluate tiny on digits.test');
    expect(e.error).toBeUndefined();
    const acc = /accuracy (\d+\.\d+)%/.exec(streamText(e.outputs));
    expect(Number(acc?.[1])).toBeGreaterThan(50);
  });

  it('a cell that does not compile reports every error with a caret and changes nothing', async () => {
    const h = createHarness();
    const r = await h.run(`${DATA}\nmodel broken(input: 28x28x1) {\n  conv 4 kernel 40x40\n}`);
    expect(r.error).toBeDefined();
    expect(r.error!.traceback.join('\n')).toMatch(/\^/);
    expect(r.outputs).toHaveLength(0);
    expect(h.state.data.size).toBe(0);
    expect(h.state.models.size).toBe(0);
  });

  it('a bad file is a clear error at its statement and binds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-session-'));
    writeFileSync(join(dir, 'bad-images.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1]));
    writeFileSync(join(dir, 'labels.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    const h = createHarness(dir);
    const r = await h.run('data mine = idx("bad-images.idx", "labels.idx")');
    expect(r.error?.ename).toBe('DataError');
    expect(r.error?.evalue).toMatch(/bad-images\.idx/);
    expect(h.state.data.has('mine')).toBe(false);
  });

  it('a statement failing at run time stops the cell there; the earlier ones keep their effect and the error says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-session-'));
    const h = createHarness(dir);
    const r = await h.run(`${DATA}\nload z = "missing.cnm"\nz\nprint "after"`);
    expect(r.error?.ename).toBe('IOError');
    // A plain sentence naming the path once, no Node internals.
    expect(r.error?.evalue).toBe(`cannot read the model file ${join(dir, 'missing.cnm')}: no such file`);
    const tb = r.error!.traceback.join('\n');
    expect(tb).not.toMatch(/ENOENT/);
    // The caret is under the path string, not the whole statement.
    expect(r.error!.traceback).toContain('load z = "missing.cnm"');
    expect(r.error!.traceback).toContain('         ^^^^^^^^^^^^^');
    expect(tb).toMatch(
      /the cell stopped at this statement: the statement before it \(line 1\) ran and keeps its effect; the 2 statements after it did not run/,
    );
    expect(h.state.data.has('digits')).toBe(true);
    expect(h.state.models.has('z')).toBe(false);
    expect(streamText(r.outputs)).not.toMatch(/after/);
  });

  it('a data file that is missing is reported at its path string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convbook-session-'));
    writeFileSync(join(dir, 'labels.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    const h = createHarness(dir);
    const r = await h.run('data mine = idx("nope.idx", "labels.idx")');
    expect(r.error?.ename).toBe('DataError');
    expect(r.error!.traceback).toContain('                ^^^^^^^^^^');
  });

  it('an interrupt during training stops it, keeps the last step and the history, and the next cell runs', async () => {
    const h = createHarness();
    await h.run(DATA);
    await h.run(MODEL);
    const before = Float32Array.from(h.state.models.get('tiny')!.net.paramBuf);
    let seen = 0;
    const r = await h.run('train tiny on digits { epochs 50  batch 10  seed 1 }', (o) => {
      // The first dashboard update means steps have run: interrupt as a user would.
      if (o.type === 'update' && ++seen === 1) Atomics.store(h.interrupt, 0, 1);
    });
    expect(r.error?.ename).toBe('KeyboardInterrupt');
    const entry = h.state.models.get('tiny')!;
    expect(entry.runs).toHaveLength(1);
    expect(entry.runs[0].reason).toBe('aborted');
    expect(Float32Array.from(entry.net.paramBuf)).not.toEqual(before);
    const next = await h.run('evaluate tiny on digits.test');
    expect(next.error).toBeUndefined();
  });

  it('the same cells give bit-identical metrics in two sessions', async () => {
    const histories: string[] = [];
    for (let i = 0; i < 2; i++) {
      const h = createHarness();
      await h.run(DATA);
      await h.run(MODEL);
      await h.run('train tiny on digits { epochs 1  batch 20  seed 5  optimizer adam(lr: 0.003) }');
      histories.push(JSON.stringify(h.state.models.get('tiny')!.runs[0].history));
    }
    expect(histories[0]).toBe(histories[1]);
  });
});

describe('cell values and clearing', () => {
  it('a bare name is the cell result; clear empties the outputs so far', async () => {
    const h = createHarness();
    const r = await h.run(`${DATA}\n${MODEL}\nprint "before"\nclear\ndigits\ntiny`);
    expect(r.error).toBeUndefined();
    const kinds = r.outputs.map((o) => o.type);
    const cleared = kinds.indexOf('clear');
    expect(cleared).toBeGreaterThan(kinds.indexOf('stream'));
    const results = r.outputs.filter((o) => o.type === 'result');
    expect(results).toHaveLength(2);
    expect(results[0].type === 'result' && String(results[0].data['text/plain'])).toMatch(/^digits: .*600 train \/ 200 test/);
    expect(results[1].type === 'result' && String(results[1].data['text/html'])).toMatch(/conv1/);
  });
});
