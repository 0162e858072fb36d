// The table where an ONNX operator becomes convbook layers on import: one reader per supported op, each
// checking its attributes and refusing, with the node's name and op type, what convbook cannot express
// (dilation, groups, ceil mode, padded pools, a data flow that is not a chain). Walked by onnx-import.ts.
import { DEFAULT_LEAKY_SLOPE } from '../layers/activation.js';
import type { Activation, LayerSpec, PadSpec, Pair, Shape3 } from '../spec.js';
import { ImportFailure, attrOf, reshapeDims, type Const } from './onnx-consts.js';
import type { NodeObj } from './onnx-schema.js';

/** A layer being built with the weights ONNX gave it (by convbook parameter suffix) and its state. */
export interface ImportedLayer {
  spec: LayerSpec;
  tensors: Record<string, Float64Array>;
  state?: Float64Array;
  /** The ONNX node it came from, for the summary. */
  from: string;
  /** A MatMul's dense layer, whose bias the next Add supplies. */
  awaitingBias?: boolean;
}

export interface ImportWalk {
  layers: ImportedLayer[];
  /** Shape after the layers so far (without the batch) and the data tensor's rank. */
  shape(): Shape3;
  rank: 2 | 4;
  /** A Pad waiting for the Conv it belongs to. */
  pendingPad?: { pad: PadSpec; node: string };
  opset: number;
  /** The file was written by convbook (its implicit flatten before a dense layer is not a layer). */
  convbookFile: boolean;
  /** A fresh convbook name for a layer with this prefix (conv1, pool1, dense1, …), or the node's own name
   * when the file was written by convbook. */
  name(prefix: string, node?: NodeObj): string;
}

type Reader = (n: NodeObj, consts: (Const | undefined)[], w: ImportWalk) => void;

const fail = (n: NodeObj, why: string): never => {
  throw new ImportFailure(`node ${n.name || '(unnamed)'} (${n.op_type}): ${why}`, n.name, n.op_type);
};
const ints = (n: NodeObj, name: string): number[] | undefined => attrOf(n, name)?.ints?.map(Number);
const int = (n: NodeObj, name: string, def: number): number => Number(attrOf(n, name)?.i ?? def);
/** Float attributes are float32 in ONNX: read back as the shortest decimal with the same float32 (1e-5, not 9.99999974e-6). */
export function shortFloat(v: number): number {
  for (let p = 1; p < 17; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === Math.fround(v)) return d;
  }
  return v;
}
const float = (n: NodeObj, name: string, def: number): number => shortFloat(attrOf(n, name)?.f ?? def);
const str = (n: NodeObj, name: string, def: string): string => {
  const s = attrOf(n, name)?.s;
  return s ? new TextDecoder().decode(s) : def;
};

function need(n: NodeObj, c: Const | undefined, what: string): Const {
  return c ?? fail(n, `its ${what} must be a constant (an initializer), not computed from the input`);
}

function noAutoPad(n: NodeObj): void {
  const a = str(n, 'auto_pad', 'NOTSET');
  if (a !== 'NOTSET' && a !== 'VALID') fail(n, `auto_pad ${a} is not supported; export with explicit pads`);
}

function unitDilations(n: NodeObj): void {
  const d = ints(n, 'dilations');
  if (d && d.some((v) => v !== 1)) fail(n, `dilation ${d.join('×')} is not supported (convbook's windows are dense)`);
}

function pair(v: number[] | undefined, def: [number, number]): [number, number] {
  return v && v.length === 2 ? [v[0], v[1]] : def;
}

/** ONNX windows (ceil_mode 0) drop what a stride leaves over, as PyTorch does: convbook says so with round floor. */
function rounding(input: Shape3, pads: Pair, k: Pair, stride: Pair): { round?: 'floor' } {
  const exact = (n: number, p: number, kk: number, st: number) => (n + p - kk) % st === 0;
  return exact(input.h, pads[0], k[0], stride[0]) && exact(input.w, pads[1], k[1], stride[1]) ? {} : { round: 'floor' };
}

function takePad(w: ImportWalk): PadSpec | undefined {
  const p = w.pendingPad;
  w.pendingPad = undefined;
  return p?.pad;
}

const conv: Reader = (n, c, w) => {
  const weight = need(n, c[1], 'weight');
  if (weight.dims.length !== 4) fail(n, `only 2-D convolutions are supported (weight has ${weight.dims.length} dimensions)`);
  const group = int(n, 'group', 1);
  if (group !== 1) fail(n, `groups ${group} is not supported (convbook convolves over all input channels)`);
  unitDilations(n);
  noAutoPad(n);
  const [f, ch, kh, kw] = weight.dims;
  if (ch !== w.shape().c) fail(n, `its weight expects ${ch} input channels but the input has ${w.shape().c}`);
  const p = ints(n, 'pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) fail(n, `pads [${p.join(', ')}] must have 4 values`);
  const pre = takePad(w);
  if (pre && pre.mode === 'replicate' && p.some((v) => v !== 0))
    fail(n, 'an edge Pad followed by a Conv with its own zero pads cannot be expressed');
  const padding: PadSpec = {
    mode: pre?.mode ?? 'zero',
    top: p[0] + (pre?.top ?? 0),
    left: p[1] + (pre?.left ?? 0),
    bottom: p[2] + (pre?.bottom ?? 0),
    right: p[3] + (pre?.right ?? 0),
  };
  const bias = c[2] ? need(n, c[2], 'bias').data : new Float64Array(f);
  const name = w.name('conv', n);
  const stride = pair(ints(n, 'strides'), [1, 1]);
  const round = rounding(w.shape(), [padding.top + padding.bottom, padding.left + padding.right], [kh, kw], stride);
  w.layers.push({
    spec: { kind: 'conv2d', name, filters: f, kernel: [kh, kw], stride, padding, activation: 'linear', init: 'he', ...round },
    tensors: { weight: weight.data, bias },
    from: n.name ?? '',
  });
};

function pool(kind: 'maxpool' | 'avgpool'): Reader {
  return (n, _c, w) => {
    if (w.pendingPad) {
      const p = takePad(w)!;
      if (p.mode !== 'zero' || p.top + p.bottom + p.left + p.right > 0)
        fail(n, 'padding before a pool is not supported (convbook pools have no padding)');
    }
    const p = ints(n, 'pads');
    if (p && p.some((v) => v !== 0)) fail(n, `pads [${p.join(', ')}] are not supported (convbook pools have no padding)`);
    if (int(n, 'ceil_mode', 0) !== 0) fail(n, 'ceil_mode 1 is not supported (convbook rounds window counts down)');
    unitDilations(n);
    noAutoPad(n);
    if (int(n, 'storage_order', 0) !== 0) fail(n, 'storage_order 1 is not supported');
    const k = ints(n, 'kernel_shape');
    if (!k || k.length !== 2) fail(n, 'only 2-D pools with a kernel_shape are supported');
    const size = pair(k, [1, 1]);
    const stride = pair(ints(n, 'strides'), [1, 1]);
    w.layers.push({
      spec: { kind, name: w.name('pool', n), size, stride, ...rounding(w.shape(), [0, 0], size, stride) },
      tensors: {},
      from: n.name ?? '',
    });
  };
}

/** GlobalAveragePool (what PyTorch's AdaptiveAvgPool2d(1) exports): one mean per channel. */
const globalAveragePool: Reader = (n, _c, w) => {
  if (w.pendingPad) fail(n, 'padding before a global pool is not supported');
  w.layers.push({ spec: { kind: 'globalavgpool', name: w.name('gap', n) }, tensors: {}, from: n.name ?? '' });
};

/** An activation fuses into the conv or dense layer just before it when that layer has none yet. */
function activate(fn: Activation, n: NodeObj, w: ImportWalk, slope?: number): void {
  const last = w.layers[w.layers.length - 1]?.spec;
  const fusable = slope === undefined || Math.abs(slope - DEFAULT_LEAKY_SLOPE) < 1e-7;
  if (last && (last.kind === 'conv2d' || last.kind === 'dense') && last.activation === 'linear' && fusable) {
    last.activation = fn;
    return;
  }
  const spec: LayerSpec = {
    kind: 'activation',
    name: w.name('act', n),
    fn,
    ...(fn === 'leaky_relu' ? { slope: slope ?? DEFAULT_LEAKY_SLOPE } : {}),
  };
  w.layers.push({ spec, tensors: {}, from: n.name ?? '' });
}

const softmax: Reader = (n, _c, w) => {
  const axis = int(n, 'axis', w.opset >= 13 ? -1 : 1);
  const channel = axis === 1 || (w.rank === 2 && axis === -1);
  if (!channel) fail(n, `softmax over axis ${axis} is not supported (convbook's softmax runs over the channels, axis 1)`);
  if (w.opset < 13 && w.rank === 4) fail(n, 'softmax of a 4-D tensor before opset 13 flattens the maps; convbook cannot express it');
  activate('softmax', n, w);
};

function denseFrom(n: NodeObj, w: ImportWalk, weight: Float64Array, units: number, bias: Float64Array): void {
  const s = w.shape();
  const inputs = s.c * s.h * s.w;
  if (weight.length !== units * inputs)
    fail(n, `its weight has ${weight.length} values, ${units} outputs of ${inputs} inputs need ${units * inputs}`);
  w.layers.push({
    spec: { kind: 'dense', name: w.name('dense', n), units, activation: 'linear', init: 'he' },
    tensors: { weight, bias },
    from: n.name ?? '',
  });
  w.rank = 2;
}

/** Transposes a (rows, cols) matrix into (cols, rows). */
function transposed(m: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
  return out;
}

const gemm: Reader = (n, c, w) => {
  if (int(n, 'transA', 0) !== 0) fail(n, 'transA 1 is not supported');
  const b = need(n, c[1], 'weight B');
  if (b.dims.length !== 2) fail(n, 'its weight B must be a matrix');
  const transB = int(n, 'transB', 0) === 1;
  const units = transB ? b.dims[0] : b.dims[1];
  const alpha = float(n, 'alpha', 1),
    beta = float(n, 'beta', 1);
  let weight = transB ? b.data : transposed(b.data, b.dims[0], b.dims[1]);
  if (alpha !== 1) weight = weight.map((v) => v * alpha);
  let bias = new Float64Array(units);
  if (c[2]) {
    const cb = need(n, c[2], 'bias C');
    if (cb.data.length === units) bias = cb.data.map((v) => v * beta);
    else if (cb.data.length === 1) bias.fill(cb.data[0] * beta);
    else fail(n, `bias C has ${cb.data.length} values for ${units} outputs`);
  }
  denseFrom(n, w, weight, units, bias);
};

const matmul: Reader = (n, c, w) => {
  const b = need(n, c[1], 'second operand');
  if (b.dims.length !== 2) fail(n, 'only a matrix as second operand is supported');
  if (w.rank !== 2) fail(n, 'MatMul of a 4-D tensor is not a dense layer; flatten first');
  denseFrom(n, w, transposed(b.data, b.dims[0], b.dims[1]), b.dims[1], new Float64Array(b.dims[1]));
  w.layers[w.layers.length - 1].awaitingBias = true;
};

/** Add after MatMul is the dense layer's bias; any other Add is not a layer convbook has. */
const add: Reader = (n, c, w) => {
  const last = w.layers[w.layers.length - 1];
  const bias = c.find((v) => v !== undefined);
  if (!last || last.spec.kind !== 'dense' || !last.awaitingBias || !bias) fail(n, 'only the bias of a MatMul (MatMul + Add) is supported');
  const units = (last.spec as { units: number }).units;
  if (bias!.data.length !== units && bias!.data.length !== 1) fail(n, `its bias has ${bias!.data.length} values for ${units} outputs`);
  last.tensors.bias = bias!.data.length === units ? bias!.data : new Float64Array(units).fill(bias!.data[0]);
  last.awaitingBias = false;
};

function flattenLayer(n: NodeObj, w: ImportWalk): void {
  w.layers.push({ spec: { kind: 'flatten', name: w.name('flatten', n) }, tensors: {}, from: n.name ?? '' });
  w.rank = 2;
}

const flatten: Reader = (n, _c, w) => {
  const axis = int(n, 'axis', 1);
  if (axis !== 1 && !(w.rank === 4 && axis === -3) && !(w.rank === 2 && axis === -1))
    fail(n, `flatten from axis ${axis} is not supported (convbook keeps the batch axis)`);
  if (w.convbookFile && n.name?.endsWith('_flatten')) {
    w.rank = 2;
    return;
  }
  flattenLayer(n, w);
};

const reshape: Reader = (n, c, w) => {
  const target = need(n, c[1], 'shape');
  const s = w.shape();
  const size = s.c * s.h * s.w;
  const dims = Array.from(target.data);
  const from = w.rank === 4 ? [7, s.c, s.h, s.w] : [7, size];
  const out = dims.length === 2 ? reshapeDims(from, dims) : [];
  // Only (batch, C·H·W): what view(-1, n), view(x.size(0), -1) or reshape(n, -1) mean in a classifier.
  if (out.length === 2 && out[1] === size && (dims[0] === -1 || dims[0] === 0 || dims[1] === -1)) return flattenLayer(n, w);
  fail(n, `reshape to [${dims.join(', ')}] is not supported; only flattening each example (batch, ${size}) is`);
};

const dropout: Reader = (n, c, w) => {
  const ratio = shortFloat(c[1]?.data[0] ?? float(n, 'ratio', 0.5));
  if (c[2] && c[2].data[0] !== 0) fail(n, 'training_mode true is not supported (an exported inference graph has it off)');
  w.layers.push({ spec: { kind: 'dropout', name: w.name('dropout', n), rate: ratio }, tensors: {}, from: n.name ?? '' });
};

const batchnorm: Reader = (n, c, w) => {
  if (int(n, 'training_mode', 0) !== 0) fail(n, 'training_mode 1 is not supported');
  if ((n.output?.filter((o) => o !== '').length ?? 1) > 1) fail(n, 'only the inference form (one output) is supported');
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => need(n, c[i], ['scale', 'bias', 'mean', 'variance'][i - 1]).data);
  const ch = w.shape().c;
  if (gamma.length !== ch) fail(n, `it has ${gamma.length} channels but its input has ${ch}`);
  const state = new Float64Array(2 * ch);
  state.set(mean, 0);
  state.set(variance, ch);
  const momentum = 1 - float(n, 'momentum', 0.9);
  w.layers.push({
    spec: { kind: 'batchnorm', name: w.name('bn', n), momentum: shortFloat(momentum), eps: float(n, 'epsilon', 1e-5) },
    tensors: { gamma, beta },
    state,
    from: n.name ?? '',
  });
};

const pad: Reader = (n, c, w) => {
  const modeName = str(n, 'mode', 'constant');
  const mode =
    modeName === 'edge'
      ? 'replicate'
      : modeName === 'constant'
        ? 'zero'
        : fail(n, `mode ${modeName} is not supported (convbook pads with zeros or edge pixels)`);
  const p = w.opset >= 11 ? Array.from(need(n, c[1], 'pads').data) : (ints(n, 'pads') ?? []);
  if (p.length !== 8 || p[0] || p[1] || p[4] || p[5])
    fail(n, `pads [${p.join(', ')}] must pad only height and width of an (N, C, H, W) map`);
  if (p.some((v) => v < 0)) fail(n, 'negative pads (cropping) are not supported');
  const value = c[2]?.data[0] ?? float(n, 'value', 0);
  if (mode === 'zero' && value !== 0) fail(n, `padding with the constant ${value} is not supported (only zeros)`);
  if (p.every((v) => v === 0)) return; // PyTorch's AvgPool2d writes a Pad of nothing
  w.pendingPad = { pad: { mode, top: p[2], left: p[3], bottom: p[6], right: p[7] }, node: n.name ?? '' };
};

export const onnxReaders: Record<string, Reader> = {
  Conv: conv,
  MaxPool: pool('maxpool'),
  AveragePool: pool('avgpool'),
  GlobalAveragePool: globalAveragePool,
  Gemm: gemm,
  MatMul: matmul,
  Add: add,
  Flatten: flatten,
  Reshape: reshape,
  Dropout: dropout,
  BatchNormalization: batchnorm,
  Pad: pad,
  Relu: (n, _c, w) => activate('relu', n, w),
  LeakyRelu: (n, _c, w) => activate('leaky_relu', n, w, float(n, 'alpha', 0.01)),
  Sigmoid: (n, _c, w) => activate('sigmoid', n, w),
  Tanh: (n, _c, w) => activate('tanh', n, w),
  Softmax: softmax,
  Identity: () => {},
};

export const supportedOps = Object.keys(onnxReaders);
