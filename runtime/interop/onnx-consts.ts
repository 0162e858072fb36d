// Constant tensors of an ONNX graph: initializers and Constant nodes decoded to numbers, and the small
// int64 arithmetic PyTorch leaves around a padding or a view (ConstantOfShape, Concat, Reshape, Slice,
// Transpose, Cast, Gather, Unsqueeze, Squeeze) folded at import time. Not an evaluator for data tensors.
import { DataType, type AttrObj, type NodeObj, type TensorObj } from './onnx-schema.js';

export interface Const {
  dims: number[];
  data: Float64Array;
}

export class ImportFailure extends Error {
  constructor(
    message: string,
    readonly node?: string,
    readonly op?: string,
  ) {
    super(message);
  }
}

const numel = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** Decodes an initializer or a Constant's tensor; size mismatches mean a damaged file. */
export function decodeTensor(t: TensorObj, what: string): Const {
  const dims = (t.dims ?? []).map(Number);
  const n = numel(dims);
  if (t.data_location === 1)
    throw new ImportFailure(`${what} keeps its values in an external file; convbook reads self-contained .onnx files only`);
  let data: Float64Array;
  const raw = t.raw_data;
  const type = t.data_type ?? 0;
  if (raw && raw.length > 0) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width = type === DataType.FLOAT || type === DataType.INT32 ? 4 : type === DataType.INT64 || type === DataType.DOUBLE ? 8 : 0;
    if (width === 0) throw new ImportFailure(`${what} has element type ${type}; convbook reads float32, float64, int32 and int64 tensors`);
    if (raw.length !== n * width)
      throw new ImportFailure(
        `${what} holds ${raw.length} bytes but its dimensions [${dims.join(', ')}] need ${n * width}: the file is truncated or corrupt`,
      );
    data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * width;
      data[i] =
        type === DataType.FLOAT
          ? dv.getFloat32(o, true)
          : type === DataType.INT32
            ? dv.getInt32(o, true)
            : type === DataType.DOUBLE
              ? dv.getFloat64(o, true)
              : Number(dv.getBigInt64(o, true));
    }
  } else {
    const src = t.float_data?.length
      ? t.float_data
      : t.int64_data?.length
        ? t.int64_data
        : t.int32_data?.length
          ? t.int32_data
          : (t.double_data ?? []);
    if (src.length !== n)
      throw new ImportFailure(
        `${what} holds ${src.length} values but its dimensions [${dims.join(', ')}] need ${n}: the file is truncated or corrupt`,
      );
    data = Float64Array.from(src.map(Number));
  }
  return { dims, data };
}

export function attrOf(n: NodeObj, name: string): AttrObj | undefined {
  return n.attribute?.find((a) => a.name === name);
}

const strides = (dims: number[]) => dims.map((_, i) => numel(dims.slice(i + 1)));

function transpose(x: Const, perm: number[]): Const {
  const dims = perm.map((p) => x.dims[p]);
  const inStride = strides(x.dims);
  const out = new Float64Array(x.data.length);
  const idx = new Array(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < dims.length; a++) src += idx[a] * inStride[perm[a]];
    out[o] = x.data[src];
    for (let a = dims.length - 1; a >= 0 && ++idx[a] === dims[a]; a--) idx[a] = 0;
  }
  return { dims, data: out };
}

function slice(x: Const, starts: number[], ends: number[], axes: number[], steps: number[]): Const {
  const r = x.dims.length;
  const lo = x.dims.map(() => 0),
    step = x.dims.map(() => 1),
    count = x.dims.slice();
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + r : a0;
    const d = x.dims[a],
      s = steps[i] ?? 1;
    const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v < 0 ? v + d : v, min), max);
    const b = s > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
    const e = s > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    lo[a] = b;
    step[a] = s;
    count[a] = Math.max(0, Math.ceil((e - b) / s));
  });
  const inStride = strides(x.dims);
  const out = new Float64Array(numel(count));
  const idx = count.map(() => 0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < r; a++) src += (lo[a] + idx[a] * step[a]) * inStride[a];
    out[o] = x.data[src];
    for (let a = r - 1; a >= 0 && ++idx[a] === count[a]; a--) idx[a] = 0;
  }
  return { dims: count, data: out };
}

function concat(xs: Const[], axis0: number): Const {
  const r = xs[0].dims.length;
  const axis = axis0 < 0 ? axis0 + r : axis0;
  const outer = numel(xs[0].dims.slice(0, axis));
  const dims = xs[0].dims.slice();
  dims[axis] = xs.reduce((a, x) => a + x.dims[axis], 0);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const inner = numel(x.dims.slice(axis));
      for (let i = 0; i < inner; i++) out.push(x.data[o * inner + i]);
    }
  }
  return { dims, data: Float64Array.from(out) };
}

/** Reshape's target shape: 0 copies the input's dimension, one −1 takes the rest. */
export function reshapeDims(from: number[], shape: number[]): number[] {
  const dims = shape.map((s, i) => (s === 0 ? from[i] : s));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return dims.map((d) => (d === -1 ? numel(from) / known : d));
}

const ints = (c: Const | undefined) => (c ? Array.from(c.data) : undefined);

/** Folds one node whose inputs are all constant; undefined when convbook does not fold that operator. */
export function foldNode(n: NodeObj, inputs: (Const | undefined)[]): Const | undefined {
  const a = (name: string) => attrOf(n, name);
  const x = inputs[0];
  switch (n.op_type) {
    case 'Constant': {
      const v = a('value');
      if (v?.t) return decodeTensor(v.t, `constant ${n.name}`);
      const vi = a('value_ints') ?? a('value_int');
      if (vi)
        return vi.ints?.length
          ? { dims: [vi.ints.length], data: Float64Array.from(vi.ints.map(Number)) }
          : { dims: [], data: Float64Array.of(Number(vi.i ?? 0)) };
      const vf = a('value_float');
      if (vf) return { dims: [], data: Float64Array.of(vf.f ?? 0) };
      return undefined;
    }
    case 'ConstantOfShape': {
      const dims = ints(x) ?? [];
      const fill = a('value')?.t ? decodeTensor(a('value')!.t!, `constant ${n.name}`).data[0] : 0;
      return { dims, data: new Float64Array(numel(dims)).fill(fill) };
    }
    case 'Identity':
    case 'Cast':
      return x;
    case 'Concat':
      return concat(inputs as Const[], Number(a('axis')?.i ?? 0));
    case 'Reshape':
      return x && inputs[1] ? { dims: reshapeDims(x.dims, ints(inputs[1])!), data: x.data } : undefined;
    case 'Transpose': {
      const perm = a('perm')?.ints?.map(Number) ?? x!.dims.map((_, i) => x!.dims.length - 1 - i);
      return transpose(x!, perm);
    }
    case 'Slice': {
      const starts = ints(inputs[1])!,
        ends = ints(inputs[2])!;
      return slice(x!, starts, ends, ints(inputs[3]) ?? starts.map((_, i) => i), ints(inputs[4]) ?? starts.map(() => 1));
    }
    case 'Gather': {
      // Picking entries of a shape vector (x.size(0) in PyTorch); only 1-D data is folded.
      const idx = inputs[1];
      if (!x || !idx || x.dims.length !== 1 || Number(a('axis')?.i ?? 0) !== 0) return undefined;
      return { dims: idx.dims, data: idx.data.map((i) => x.data[i < 0 ? i + x.data.length : i]) };
    }
    case 'Unsqueeze': {
      const axes = ints(inputs[1]) ?? a('axes')?.ints?.map(Number) ?? [];
      const dims = x!.dims.slice();
      for (const ax of axes.map((v) => (v < 0 ? v + x!.dims.length + axes.length : v)).sort((p, q) => p - q)) dims.splice(ax, 0, 1);
      return { dims, data: x!.data };
    }
    case 'Squeeze': {
      const axes = ints(inputs[1]) ?? a('axes')?.ints?.map(Number);
      const dims = x!.dims.filter((d, i) => (axes ? !axes.map((v) => (v < 0 ? v + x!.dims.length : v)).includes(i) : d !== 1));
      return { dims, data: x!.data };
    }
    default:
      return undefined;
  }
}
