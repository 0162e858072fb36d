// Model file → bytes (format in format.ts and docs/checkpoint-format.md). Deterministic: the same model
// gives the same bytes, so files can be compared and hashed.
import { createHash } from 'node:crypto';
import { createNet } from '../net.js';
import { packageVersion } from '../version.js';
import { CHECKSUM_BYTES, FORMAT_VERSION, MAGIC, PREFIX_BYTES, type FileHeader, type ParamEntry, type SectionEntry } from './format.js';
import type { ModelFile } from './model-file.js';

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The parameter layout createNet gives this spec: what the file records and what loading checks against. */
export function paramLayout(spec: ModelFile['spec']): { params: ParamEntry[]; stateSize: number } {
  const net = createNet(spec, { dtype: 'float32' });
  return {
    params: net.params.map((p) => ({ name: p.name, layer: p.layer, shape: p.shape.slice(), offset: p.offset, size: p.size })),
    stateSize: net.stateBuf.length,
  };
}

export function encodeModel(file: ModelFile): Uint8Array {
  const layout = paramLayout(file.spec);
  const blobs: { name: string; data: Float32Array | Float64Array }[] = [
    { name: 'params', data: file.params },
    { name: 'state', data: file.state },
  ];
  const ck = file.checkpoint;
  let training: FileHeader['training'];
  if (ck) {
    const slots = Object.keys(ck.optimizer.slots).sort();
    for (const s of slots) blobs.push({ name: `optimizer.${s}`, data: ck.optimizer.slots[s] });
    const snapshot = !!(ck.earlyStop.params && ck.earlyStop.state);
    if (snapshot) {
      blobs.push({ name: 'earlyStop.params', data: Float32Array.from(ck.earlyStop.params!) });
      blobs.push({ name: 'earlyStop.state', data: Float32Array.from(ck.earlyStop.state!) });
    }
    training = {
      epoch: ck.epoch,
      step: ck.step,
      optimizer: { kind: ck.optimizer.kind, t: ck.optimizer.t, slots },
      earlyStop: { best: ck.earlyStop.best, bad: ck.earlyStop.bad, snapshot },
    };
  }
  const sections: SectionEntry[] = [];
  let offset = 0;
  for (const b of blobs) {
    const dtype = b.data instanceof Float64Array ? 'float64' : 'float32';
    sections.push({ name: b.name, dtype, offset, length: b.data.length });
    offset = align8(offset + b.data.byteLength);
  }
  const header: FileHeader = { convbook: packageVersion, spec: file.spec, params: layout.params, stateSize: layout.stateSize, sections };
  const history = file.history ?? ck?.history;
  if (history) header.history = history;
  if (training) header.training = training;

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = align8(json.length);
  const total = PREFIX_BYTES + headerBytes + offset + CHECKSUM_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes, true);
  view.setBigUint64(16, BigInt(total), true);
  out.set(json, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + json.length, PREFIX_BYTES + headerBytes);
  const base = PREFIX_BYTES + headerBytes;
  blobs.forEach((b, i) => {
    const s = sections[i];
    for (let k = 0; k < b.data.length; k++) {
      if (s.dtype === 'float64') view.setFloat64(base + s.offset + 8 * k, b.data[k], true);
      else view.setFloat32(base + s.offset + 4 * k, b.data[k], true);
    }
  });
  const digest = createHash('sha256')
    .update(out.subarray(0, total - CHECKSUM_BYTES))
    .digest();
  out.set(digest, total - CHECKSUM_BYTES);
  return out;
}
