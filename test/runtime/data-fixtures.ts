// Writers for the small data files the loader tests make in a temp dir (IDX, NPY, PNG, CSV).
// Deliberately independent of the loaders: each writes the format from its published layout.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';

export function tempDir(prefix = 'convbook-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function write(path: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** An IDX ubyte file: magic 0x0000 08 <ndims>, big-endian dims, data. */
export function idxBytes(dims: number[], data: ArrayLike<number>, typeCode = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = typeCode;
  out[3] = dims.length;
  const dv = new DataView(out.buffer);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

export function writeIdx(path: string, dims: number[], data: ArrayLike<number>, opts: { gzip?: boolean; typeCode?: number } = {}): string {
  const b = idxBytes(dims, data, opts.typeCode);
  return write(path, opts.gzip ? gzipSync(b) : b);
}

/** A version-1.0 .npy file; header padded with spaces to a multiple of 64 bytes as numpy does. */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(data, 10 + header.length);
  return out;
}

export function writeNpy(path: string, descr: string, shape: number[], data: Uint8Array, fortran = false): string {
  return write(path, npyBytes(descr, shape, data, fortran));
}

export function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

export function i64Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
}

/** A PNG from planar channel values: gray (h·w) when rgb is false, else (3, h, w). */
export function writePng(path: string, w: number, h: number, planar: number[], rgb: boolean): string {
  const png = new PNG({ width: w, height: h });
  const plane = w * h;
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < 3; ch++) png.data[4 * p + ch] = rgb ? planar[ch * plane + p] : planar[p];
    png.data[4 * p + 3] = 255;
  }
  return write(path, PNG.sync.write(png, { colorType: rgb ? 2 : 0 }));
}

export function writeText(path: string, text: string): string {
  return write(path, text);
}

export function writeRaw(path: string, bytes: Uint8Array): string {
  return write(path, bytes);
}
