// Model files: bit-exact round trip (weights, state, history, checkpoint), deterministic bytes, resume from a
// decoded checkpoint, and one clear LoadError per kind of damage.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_BYTES, PREFIX_BYTES } from '../../runtime/io/format.js';
import { decodeModel, encodeModel, loadModelFile, modelFileOf, modelFileOfCheckpoint, saveModelFile } from '../../runtime/io/index.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { TrainCheckpoint } from '../../runtime/train/checkpoint.js';
import { train } from '../../runtime/train/loop.js';
import { toyData, toyModel, trainSpec } from './train-helpers.js';

const data = toyData(120, 30);
const model = toyModel({ batchnorm: true, dropout: true });
const spec = trainSpec({ epochs: 3, earlyStop: { every: 2, patience: 100, restoreBest: true, metric: 'loss' } });

async function trained() {
  const net = createNet(model, { rng: createRng(8) });
  const checkpoints: TrainCheckpoint[] = [];
  const r = await train({ net, spec, data, onCheckpoint: (c) => checkpoints.push(c) });
  return { net, history: r.history, checkpoints };
}

/** Re-signs bytes after an edit, so the check under test is not the checksum. */
function resign(b: Uint8Array): Uint8Array {
  const out = b.slice();
  out.set(
    createHash('sha256')
      .update(out.subarray(0, out.length - CHECKSUM_BYTES))
      .digest(),
    out.length - CHECKSUM_BYTES,
  );
  return out;
}

/** Replaces the header JSON (keeping its padded length) and re-signs. */
function editHeader(b: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const len = new DataView(b.buffer, b.byteOffset).getUint32(12, true);
  const h = JSON.parse(new TextDecoder().decode(b.subarray(PREFIX_BYTES, PREFIX_BYTES + len)));
  edit(h);
  const json = new TextEncoder().encode(JSON.stringify(h));
  expect(json.length).toBeLessThanOrEqual(len);
  const out = b.slice();
  out.fill(0x20, PREFIX_BYTES, PREFIX_BYTES + len);
  out.set(json, PREFIX_BYTES);
  return resign(out);
}

describe('model files', () => {
  it('round-trip bit-exactly and encode deterministically', async () => {
    const { net, history } = await trained();
    const bytes = encodeModel(modelFileOf(net, { history }));
    expect(encodeModel(modelFileOf(net, { history }))).toEqual(bytes);
    const r = decodeModel(bytes, { spec: model });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.params).toEqual(net.paramBuf);
    expect(r.value.state).toEqual(net.stateBuf);
    expect(r.value.state.some((v) => v !== 0 && v !== 1)).toBe(true);
    expect(r.value.spec).toEqual(model);
    expect(r.value.history).toEqual(history);
    // A net built over the loaded weights predicts exactly as the original.
    const copy = createNet(r.value.spec, { params: r.value.params.slice(), state: r.value.state.slice() });
    const x = new Float32Array(4 * 64).map((_, i) => (i % 7) / 7);
    expect(copy.forward(x, 4, 'eval')).toEqual(net.forward(x, 4, 'eval'));
  });

  it('a saved and loaded checkpoint resumes to the same weights as an uninterrupted run', async () => {
    const { net, history, checkpoints } = await trained();
    const dir = mkdtempSync(join(tmpdir(), 'convbook-io-'));
    const path = join(dir, 'ck.convbook');
    const ck = checkpoints[0];
    await saveModelFile(path, modelFileOfCheckpoint(model, ck));
    const loaded = await loadModelFile(path);
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(loaded.value.checkpoint!.optimizer).toEqual(ck.optimizer);
    expect(loaded.value.checkpoint!.earlyStop).toEqual(ck.earlyStop);
    const resumed = createNet(model, { rng: createRng(99) });
    const r = await train({ net: resumed, spec, data, resume: loaded.value.checkpoint });
    expect(resumed.paramBuf).toEqual(net.paramBuf);
    expect(r.history).toEqual(history);
  });

  it('reports each kind of damage as data', async () => {
    const { net } = await trained();
    const good = encodeModel(modelFileOf(net));
    const code = (b: Uint8Array, s = model) => {
      const r = decodeModel(b, { spec: s });
      return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
    };
    expect(code(good)).toBe('ok');
    expect(code(good.subarray(0, 10))).toMatch(/^truncated/);
    expect(code(good.subarray(0, good.length - 100))).toMatch(/^truncated: file is truncated/);
    const magic = good.slice();
    magic[0] = 0x58;
    expect(code(magic)).toMatch(/^magic: not a convbook model file/);
    const version = good.slice();
    version[8] = 9;
    expect(code(version)).toMatch(/^version: model file format version 9/);
    const flipped = good.slice();
    flipped[good.length - CHECKSUM_BYTES - 5] ^= 0x10;
    expect(code(flipped)).toMatch(/^checksum/);
    const header = good.slice();
    header[PREFIX_BYTES] = 0x7b + 1; // '{' → '|'
    expect(code(resign(header))).toMatch(/^header: unreadable header/);
    expect(code(editHeader(good, (h) => ((h.params as { size: number }[])[0].size += 1)))).toMatch(/^layout/);
    expect(code(editHeader(good, (h) => ((h.sections as { length: number }[])[0].length += 1000)))).toMatch(/^truncated: section params/);
    const other = { ...model, layers: model.layers.map((l) => (l.kind === 'dense' ? { ...l, units: 4 } : l)) };
    expect(code(good, other)).toMatch(/^spec_mismatch: layer \d+ differs: expected dense out/);
    expect(code(good, { ...model, input: { c: 1, h: 9, w: 9 } })).toMatch(/^spec_mismatch: input shape differs/);
    expect(code(good, { ...model, name: 'renamed' })).toBe('ok');
    const missing = await loadModelFile('/nonexistent/dir/x.convbook');
    expect(missing.ok ? 'ok' : missing.error.code).toBe('io');
  });
});
