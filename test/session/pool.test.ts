// The session's pool: evaluate, predict and feature maps give the same bits on 1, 2 and 4 lanes as the
// one-thread runtime; the threads are started once and reused by later statements (counted, not timed),
// re-sized by `workers N`, replaced when the model's shape changes; an interrupt between chunks stops the
// lanes and leaves them usable. Needs the compiled worker: run `npm run build` first.
import { afterEach, describe, expect, it } from 'vitest';
import { createPool } from '../../runtime/pool/pool.js';
import { evaluateReport } from '../../runtime/train/report.js';
import { measureOnLanes, sessionLanes } from '../../session/lanes.js';
import type { Output } from '../../session/protocol.js';
import { createHarness, streamText, type Harness } from './harness.js';

// 1100 test images: chunks of 250, 250, 250, 250 and 100, so 4 lanes each get some.
const DATA = 'data digits = mnist(train: 320, test: 1100, seed: 1)';
const MODEL = `model tiny(input: 28x28x1) {
  conv 4 kernel 3x3 padding same relu
  maxpool 2x2
  batchnorm
  dense 10 softmax
}`;
const TRAIN = (workers: number) => `train tiny on digits { epochs 1  batch 32  seed 3  optimizer sgd(lr: 0.1)  workers ${workers} }`;
const LOOK = ['evaluate tiny on digits.test', 'predict tiny digits.test[7]', 'show tiny.feature_maps conv1 of digits.test[7]'];

/** Byte for byte (NaN payloads and −0 included), and quick on millions of values. */
const sameBits = (a: Float32Array | Float64Array, b: Float32Array | Float64Array) =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.state.lanes?.close();
});

async function session(workers: number): Promise<Harness> {
  const h = createHarness();
  open.push(h);
  for (const cell of [DATA, MODEL, TRAIN(workers)]) {
    const r = await h.run(cell);
    expect(r.error, cell).toBeUndefined();
  }
  return h;
}

/** A cell's outputs without what differs between sessions by design (display ids). */
async function outputsOf(h: Harness, cell: string): Promise<Output[]> {
  const r = await h.run(cell);
  expect(r.error, cell).toBeUndefined();
  return r.outputs.map((o) => (o.type === 'display' ? { ...o, displayId: undefined } : o));
}

/** Everything the session's lanes compute for the three statements, as raw numbers. */
async function numbers(h: Harness) {
  const net = h.state.models.get('tiny')!.net;
  const d = h.state.data.get('digits')!;
  const all = Int32Array.from({ length: d.test.count }, (_, i) => i);
  const evaluated = await measureOnLanes(h.state, net, d.test, d.shape, all);
  const predicted = await measureOnLanes(h.state, net, d.test, d.shape, [7]);
  const maps = await measureOnLanes(h.state, net, d.test, d.shape, [7], { layer: 'conv1' });
  // Several examples of a layer's maps, spread over the lanes too.
  const manyMaps = await measureOnLanes(h.state, net, d.test, d.shape, all, { layer: 'conv1' });
  return { evaluated, predicted, maps, manyMaps };
}

describe('the session pool', () => {
  it('evaluate, predict and feature maps give the same bits on 1, 2 and 4 lanes as one thread', async () => {
    const runs = [];
    for (const workers of [1, 2, 4]) {
      const h = await session(workers);
      const shown = [];
      for (const cell of LOOK) shown.push(await outputsOf(h, cell));
      runs.push({ workers, h, shown, n: await numbers(h) });
    }
    const [one, ...others] = runs;
    // Training is bit-identical across worker counts (test/runtime/pool.test.ts), so the nets are the same.
    for (const r of others) expect(r.h.state.models.get('tiny')!.net.paramBuf).toEqual(one.h.state.models.get('tiny')!.net.paramBuf);

    // The reference: the one-thread runtime on lane 1's session, with no pool involved.
    const net = one.h.state.models.get('tiny')!.net;
    const d = one.h.state.data.get('digits')!;
    const report = evaluateReport(net, d.test, d.shape, d.classes);
    expect(one.n.evaluated.loss / d.test.count).toBe(report.loss);
    const y = net
      .forward(
        Float32Array.from(d.test.images.subarray(7 * 784, 8 * 784), (v) => v / 255),
        1,
        'eval',
      )
      .slice();
    const conv1 = net.activation('conv1').data.slice();
    expect(sameBits(one.n.predicted.outputs, y)).toBe(true);
    expect(sameBits(one.n.maps.outputs, conv1)).toBe(true);
    expect(sameBits(one.n.manyMaps.outputs.subarray(7 * conv1.length, 8 * conv1.length), conv1)).toBe(true);
    expect(sameBits(one.n.evaluated.outputs.subarray(70, 80), y)).toBe(true);

    for (const r of others) {
      expect(r.n.evaluated.loss).toBe(one.n.evaluated.loss);
      expect(r.n.evaluated.correct).toBe(one.n.evaluated.correct);
      expect(sameBits(r.n.evaluated.outputs, one.n.evaluated.outputs)).toBe(true);
      expect(sameBits(r.n.predicted.outputs, one.n.predicted.outputs)).toBe(true);
      expect(sameBits(r.n.maps.outputs, one.n.maps.outputs)).toBe(true);
      expect(sameBits(r.n.manyMaps.outputs, one.n.manyMaps.outputs)).toBe(true);
      // What the user sees: the report (accuracy, loss, confusion, mistakes), the probabilities, the maps.
      expect(r.shown).toEqual(one.shown);
    }
    expect(streamText(one.shown[0])).toMatch(/tiny on digits.test: accuracy \d+\.\d+%, loss \d\.\d{4}/);
    // The lanes were really used: threads beyond lane 0 exist for 2 and 4 workers, none for 1.
    expect(runs.map((r) => r.h.state.lanes?.size ?? 0)).toEqual([0, 1, 3]);
  }, 120_000);

  it('starts the threads once: later statements reuse them, workers N re-sizes, a new shape replaces them', async () => {
    const h = await session(2);
    const lanes = sessionLanes(h.state);
    expect(lanes.starts).toBe(1);
    const test = h.state.data.get('digits')!.test;
    await outputsOf(h, LOOK[0]);
    // The split now reads the shared copy the lanes read (the data is not held twice), made once.
    const shared = test.images.buffer;
    expect(shared).toBeInstanceOf(SharedArrayBuffer);
    for (let i = 0; i < 3; i++) for (const cell of LOOK) await outputsOf(h, cell);
    expect(test.images.buffer).toBe(shared);
    await outputsOf(h, TRAIN(2));
    expect(lanes.starts).toBe(1);
    await outputsOf(h, TRAIN(4));
    expect(lanes.size).toBe(3);
    expect(lanes.starts).toBe(3);
    await outputsOf(h, LOOK[0]);
    expect(lanes.starts).toBe(3);
    // A model of another shape: fresh threads (an old one might keep a larger model's WebAssembly memory).
    await outputsOf(h, MODEL.replace('tiny', 'wide').replace('conv 4', 'conv 8'));
    await outputsOf(h, 'evaluate wide on digits.test');
    expect(lanes.starts).toBe(6);
    await outputsOf(h, 'evaluate wide on digits.test');
    expect(lanes.starts).toBe(6);
  }, 120_000);

  it('an interrupt between chunks stops every lane; the next statement runs on the same threads', async () => {
    const h = await session(2);
    const net = h.state.models.get('tiny')!.net;
    const d = h.state.data.get('digits')!;
    const all = Int32Array.from({ length: d.test.count }, (_, i) => i);
    const before = await measureOnLanes(h.state, net, d.test, d.shape, all);
    let calls = 0;
    const stop = () => {
      if (++calls === 2) throw new Error('interrupted here');
    };
    await expect(measureOnLanes(h.state, net, d.test, d.shape, all, { beforeChunk: stop })).rejects.toThrow('interrupted here');
    expect(calls).toBe(2);
    const after = await measureOnLanes(h.state, net, d.test, d.shape, all);
    expect(after.loss).toBe(before.loss);
    expect(sameBits(after.outputs, before.outputs)).toBe(true);
    expect(sessionLanes(h.state).starts).toBe(1);
    // Through the statement: an untrained model's note comes before the first chunk; the user interrupts then.
    await outputsOf(h, MODEL.replace('tiny', 'fresh'));
    const r = await h.run('evaluate fresh on digits.test', (o) => {
      if (o.type === 'stream' && o.text.includes('has not been trained')) Atomics.store(h.interrupt, 0, 1);
    });
    expect(r.error?.ename).toBe('KeyboardInterrupt');
    expect(r.outputs.some((o) => o.type === 'display')).toBe(false);
    expect(streamText(await outputsOf(h, 'evaluate fresh on digits.test'))).toMatch(/fresh on digits.test: accuracy/);
    expect(sessionLanes(h.state).starts).toBe(1);
  }, 120_000);

  it('a thread that crashes is replaced: the next statement starts a fresh one and gets the same bits', async () => {
    const h = await session(2);
    const lanes = sessionLanes(h.state);
    const net = h.state.models.get('tiny')!.net;
    const d = h.state.data.get('digits')!;
    const all = Int32Array.from({ length: d.test.count }, (_, i) => i);
    const before = await measureOnLanes(h.state, net, d.test, d.shape, all);
    expect(lanes.starts).toBe(1);
    // A training job on the session's threads whose worker crashes (uncaught) on its first micro-batch.
    const crashing = await createPool({
      net,
      split: d.train,
      shape: d.shape,
      seed: 1,
      batch: 32,
      micro: 16,
      workers: 2,
      lanes,
      fault: { step: 0, micro: 1 },
    });
    const batch = Int32Array.from({ length: 32 }, (_, i) => i);
    await expect(crashing.compute(0, batch, 32)).rejects.toThrow(/training worker 2 of 2 failed: injected fault/);
    await crashing.close();
    expect(lanes.size).toBe(0);
    const after = await measureOnLanes(h.state, net, d.test, d.shape, all);
    expect(lanes.starts).toBe(2);
    expect(after.loss).toBe(before.loss);
    expect(sameBits(after.outputs, before.outputs)).toBe(true);
    expect(streamText(await outputsOf(h, LOOK[0]))).toMatch(/tiny on digits.test: accuracy/);
    expect(lanes.starts).toBe(2);
  }, 120_000);
});
