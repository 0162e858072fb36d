// NumPy .npy arrays (format versions 1–3, C order): images as uint8 0..255 (any integer type in that
// range) or float32/float64 in [0,1]; shapes (n,h,w), (n,c,h,w), (n,h,w,c) with c ∈ {1,3} or (n,h·w) square.
// Labels: an integer array (n) or (n,1). Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { assemble } from './assemble.js';
import { fail, type Dataset, type Result } from './dataset.js';
import { readBytes, type ReadAbort } from './read-file.js';

export interface NpyArray {
  /** 'u' unsigned int, 'i' signed int, 'f' float, 'b' bool. */
  kind: 'u' | 'i' | 'f' | 'b';
  itemsize: number;
  littleEndian: boolean;
  shape: number[];
  /** Element reader over the data bytes. */
  get(i: number): number;
  size: number;
  /** The raw data bytes (a view into the file). */
  bytes: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, file: string): Result<NpyArray> {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return fail(file, `wrong magic number (${got || 'empty file'}): not a NumPy .npy file (expected 93 4e 55 4d 50 59 = \\x93NUMPY)`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) return fail(file, `unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) return fail(file, 'truncated: header length missing');
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + hlen;
  if (bytes.length < start) return fail(file, `truncated: header declares ${hlen} bytes, file ends first`);
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + 8 + lenBytes, hlen).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([<>|=]?)([uifb])(\d+)'/.exec(header);
  if (!descr) return fail(file, `header has no simple 'descr' (structured or object arrays are not supported): ${header.trim()}`);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  if (!fortran) return fail(file, `header has no 'fortran_order': ${header.trim()}`);
  if (fortran[1] === 'True') return fail(file, 'array is in Fortran order; save it in C order (np.ascontiguousarray)');
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeM) return fail(file, `header has no 'shape': ${header.trim()}`);
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) return fail(file, `bad shape (${shapeM[1]}) in header`);
  const kind = descr[2] as NpyArray['kind'];
  const itemsize = Number(descr[3]);
  const okSizes: Record<string, number[]> = { u: [1, 2, 4, 8], i: [1, 2, 4, 8], f: [4, 8], b: [1] };
  if (!okSizes[kind].includes(itemsize)) return fail(file, `unsupported dtype '${descr[1]}${kind}${itemsize}'`);
  const littleEndian = descr[1] !== '>';
  const size = shape.reduce((a, b) => a * b, 1);
  const need = size * itemsize;
  const have = bytes.length - start;
  if (have < need)
    return fail(file, `truncated: shape (${shape.join(', ')}) of ${itemsize}-byte items needs ${need} data bytes, file has ${have}`);
  if (have > need) return fail(file, `${have - need} unexpected bytes after the (${shape.join(', ')}) array`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + start, need);
  const readers: Record<string, (o: number) => number> = {
    u1: (o) => dv.getUint8(o),
    u2: (o) => dv.getUint16(o, littleEndian),
    u4: (o) => dv.getUint32(o, littleEndian),
    u8: (o) => Number(dv.getBigUint64(o, littleEndian)),
    i1: (o) => dv.getInt8(o),
    i2: (o) => dv.getInt16(o, littleEndian),
    i4: (o) => dv.getInt32(o, littleEndian),
    i8: (o) => Number(dv.getBigInt64(o, littleEndian)),
    f4: (o) => dv.getFloat32(o, littleEndian),
    f8: (o) => dv.getFloat64(o, littleEndian),
    b1: (o) => dv.getUint8(o),
  };
  const read = readers[`${kind}${itemsize}`];
  return {
    ok: true,
    value: {
      kind,
      itemsize,
      littleEndian,
      shape,
      size,
      get: (i) => read(i * itemsize),
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset + start, need),
    },
  };
}

const CHANNELS = [1, 3];

/** (n, …) image shape → n, c, h, w and whether the stored order is channels-last. */
function imageLayout(shape: number[], file: string): Result<{ n: number; c: number; h: number; w: number; last: boolean }> {
  const [n] = shape;
  if (shape.length === 3) return { ok: true, value: { n, c: 1, h: shape[1], w: shape[2], last: false } };
  if (shape.length === 4) {
    const first = CHANNELS.includes(shape[1]);
    const last = CHANNELS.includes(shape[3]);
    // Both plausible (e.g. (n,3,5,3)): NCHW, the runtime's own layout, wins.
    if (first) return { ok: true, value: { n, c: shape[1], h: shape[2], w: shape[3], last: false } };
    if (last) return { ok: true, value: { n, c: shape[3], h: shape[1], w: shape[2], last: true } };
    return fail(file, `shape (${shape.join(', ')}) has no channel axis of size 1 or 3 at position 1 (NCHW) or 3 (NHWC)`);
  }
  if (shape.length === 2) {
    const side = Math.round(Math.sqrt(shape[1]));
    if (side * side === shape[1]) return { ok: true, value: { n, c: 1, h: side, w: side, last: false } };
    return fail(file, `shape (${shape.join(', ')}): ${shape[1]} values per example is not a square image; reshape to (n, h, w)`);
  }
  return fail(file, `shape (${shape.join(', ')}) is not an image batch: expected (n, h, w), (n, c, h, w), (n, h, w, c) or (n, h·w)`);
}

export interface NpyOptions {
  test?: number;
  seed: number;
  classes?: number;
  name?: string;
  /** Stops the read between chunks. */
  abort?: ReadAbort;
}

export async function loadNpy(images: string, labels: string, opts: NpyOptions): Promise<Result<Dataset>> {
  const [ib, lb] = await Promise.all([readBytes(images, { abort: opts.abort }), readBytes(labels, { abort: opts.abort })]);
  if (!ib.ok) return ib;
  if (!lb.ok) return lb;
  const im = parseNpy(ib.value, images);
  if (!im.ok) return im;
  const lab = parseNpy(lb.value, labels);
  if (!lab.ok) return lab;
  const L = lab.value;
  if (L.kind === 'f' || L.kind === 'b')
    return fail(labels, `labels must be an integer array (class indices), not dtype ${L.kind}${L.itemsize}`);
  if (!(L.shape.length === 1 || (L.shape.length === 2 && L.shape[1] === 1)))
    return fail(labels, `labels must have shape (n) or (n, 1), not (${L.shape.join(', ')})`);
  const layout = imageLayout(im.value.shape, images);
  if (!layout.ok) return layout;
  const { n, c, h, w, last } = layout.value;
  if (h === 0 || w === 0)
    return fail(images, `shape (${im.value.shape.join(', ')}) declares images of ${h}×${w} pixels; an image needs at least 1×1`);
  if (L.shape[0] !== n) return fail(labels, `has ${L.shape[0]} labels but ${images} has ${n} images`);
  const labelBytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = L.get(i);
    if (v < 0 || v > 255) return fail(labels, `label ${v} of example ${i} is outside the class range 0..255`);
    labelBytes[i] = v;
  }
  const I = im.value;
  const plane = h * w;
  const per = c * plane;
  const data = I.kind === 'f' ? new Float32Array(n * per) : new Uint8Array(n * per);
  // Common layouts skip the per-element reader: uint8 NCHW is a copy (every byte is in range), and
  // little-endian float32 NCHW is a copy plus a range check.
  const fast = !last && ((I.kind === 'u' && I.itemsize === 1) || (I.kind === 'f' && I.itemsize === 4 && I.littleEndian));
  if (fast) {
    new Uint8Array(data.buffer).set(I.bytes);
    if (data instanceof Float32Array) {
      for (let i = 0; i < data.length; i++) {
        if (!(data[i] >= 0 && data[i] <= 1))
          return fail(
            images,
            `value ${data[i]} at flat index ${i} is out of range: float pixels must be in [0, 1] (or save uint8 pixels 0..255)`,
          );
      }
    }
  }
  // Otherwise element by element; channels-last files are transposed to NCHW here, once.
  for (let e = 0; e < (fast ? 0 : n); e++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        const src = last ? e * per + p * c + ch : e * per + ch * plane + p;
        const v = I.get(src);
        if (I.kind === 'f' ? !(v >= 0 && v <= 1) : !(v >= 0 && v <= 255)) {
          const range = I.kind === 'f' ? 'float pixels must be in [0, 1] (or save uint8 pixels 0..255)' : 'integer pixels must be 0..255';
          return fail(images, `value ${v} at flat index ${src} is out of range: ${range}`);
        }
        data[e * per + ch * plane + p] = v;
      }
    }
  }
  return assemble({
    name: opts.name ?? 'npy',
    source: `${images}, ${labels}`,
    shape: { c, h, w },
    classes: opts.classes,
    train: { images: data, labels: labelBytes, count: n },
    trainFile: labels,
    testSize: opts.test,
    seed: opts.seed,
  });
}
