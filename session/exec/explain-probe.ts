// What every model-reading explanation starts from: a float32 copy of the session's net (so explaining
// never disturbs the model's buffers), one example run forward in eval mode and, when asked, backward
// with the gradient trace, plus the geometry of the named conv or pooling layer.
import type { ImageRef, SourceRange, UnitAt } from '../../dsl/program.js';
import { createNet } from '../../runtime/net.js';
import type { LayerSpec, Shape3 } from '../../runtime/spec.js';
import type { Buf, GradTrace, Net } from '../../runtime/types.js';
import { StatementError } from '../errors.js';
import type { ModelEntry, RunRecord, SessionState } from '../state.js';
import { checkTakes, getImage, getModel } from './names.js';

export interface Probe {
  entry: ModelEntry;
  net: Net;
  layer: LayerSpec;
  index: number;
  /** Name of what feeds the layer: the previous layer, or 'input'. */
  inputName: string;
  inShape: Shape3;
  outShape: Shape3;
  /** The layer's input and output activations for the example (copies). */
  h: Float64Array;
  y: Float64Array;
  label: number;
  what: string;
  trace?: GradTrace;
}

export const f64 = (b: Buf) => Float64Array.from(b);

export function probe(
  state: SessionState,
  model: string,
  layerName: string,
  image: ImageRef,
  range: SourceRange,
  backward: boolean,
): Probe {
  const entry = getModel(state, model, range);
  const img = getImage(state, image, range);
  checkTakes(model, entry.spec.input, image.data, img.shape, range);
  const index = entry.spec.layers.findIndex((l) => l.name === layerName);
  if (index < 0) throw new StatementError(`${model} has no layer '${layerName}'`, range, 'NameError');
  // A copy of the model, computing as the model does (its arithmetic included), so explain checks the runtime's own values.
  const net = createNet(entry.spec, {
    params: Float32Array.from(entry.net.paramBuf),
    state: Float32Array.from(entry.net.stateBuf),
    arithmetic: entry.net.arithmetic,
  });
  net.forward(img.data, 1, 'eval');
  const inputName = index === 0 ? 'input' : entry.spec.layers[index - 1].name;
  const p: Probe = {
    entry,
    net,
    index,
    inputName,
    layer: entry.spec.layers[index],
    inShape: index === 0 ? entry.spec.input : net.info[index - 1].out,
    outShape: net.info[index].out,
    h: f64(net.activation(inputName).data),
    y: f64(net.activation(layerName).data),
    label: img.label,
    what: `${image.data}.${image.split}[${image.index}] (label ${img.label})`,
  };
  if (backward) {
    const trace: GradTrace = new Map();
    net.zeroGrad();
    const k = net.info[net.info.length - 1].out.c;
    const targets =
      entry.spec.loss === 'cross_entropy'
        ? Int32Array.of(img.label)
        : Float32Array.from({ length: k }, (_, i) => (i === img.label ? 1 : 0));
    net.backward(targets, 1, trace);
    p.trace = trace;
  }
  return p;
}

/** The gradient the trace recorded for a layer's output (or 'input'), as float64. */
export function traced(p: Probe, name: string): Float64Array {
  const g = p.trace?.get(name);
  if (!g) throw new Error(`no gradient traced for ${name}`);
  return f64(g);
}

export interface Window {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
  replicate: boolean;
}

/** The layer's window; a global pooling layer's is its whole input map (inShape), with that stride. */
export function windowOf(l: LayerSpec, inShape?: Shape3): Window {
  if (l.kind === 'conv2d') {
    const { top, left, bottom, right, mode } = l.padding;
    return {
      kh: l.kernel[0],
      kw: l.kernel[1],
      sh: l.stride[0],
      sw: l.stride[1],
      top,
      left,
      bottom,
      right,
      replicate: mode === 'replicate',
    };
  }
  if (l.kind === 'maxpool' || l.kind === 'avgpool')
    return { kh: l.size[0], kw: l.size[1], sh: l.stride[0], sw: l.stride[1], top: 0, left: 0, bottom: 0, right: 0, replicate: false };
  if (l.kind === 'globalavgpool' && inShape)
    return { kh: inShape.h, kw: inShape.w, sh: inShape.h, sw: inShape.w, top: 0, left: 0, bottom: 0, right: 0, replicate: false };
  throw new Error(`${l.name} has no window`);
}

/** x[c, r, q] of a (C,H,W) map with the layer's padding: null for a zero pad, the edge pixel when replicating. */
export function padded(x: ArrayLike<number>, s: Shape3, c: number, r: number, q: number, replicate: boolean): number | null {
  if (r < 0 || q < 0 || r >= s.h || q >= s.w) {
    if (!replicate) return null;
    r = Math.min(s.h - 1, Math.max(0, r));
    q = Math.min(s.w - 1, Math.max(0, q));
  }
  return x[(c * s.h + r) * s.w + q];
}

/** A coordinate outside the layer is a plain-words error listing what exists. */
export function checkAt(
  at: UnitAt,
  limits: { map?: number; channel?: number; row: number; col: number },
  what: string,
  range: SourceRange,
): void {
  const bad = (['map', 'channel', 'row', 'col'] as const).find((k) => limits[k] !== undefined && at[k] >= (limits[k] as number));
  if (bad === undefined) return;
  const list = (['map', 'channel', 'row', 'col'] as const)
    .filter((k) => limits[k] !== undefined)
    .map((k) => `${k} 0..${(limits[k] as number) - 1}`);
  throw new StatementError(`${what} has ${list.join(', ')}; there is no ${bad} ${at[bad]}`, range, 'IndexError');
}

/** The last run of a model, or a plain-words error naming what to do. */
export function lastRun(
  entry: ModelEntry,
  model: string,
  range: SourceRange,
  form: string,
): RunRecord & { train: NonNullable<RunRecord['train']> } {
  const run = entry.runs[entry.runs.length - 1];
  if (!run || !run.train)
    throw new StatementError(
      `explain ${form} reads the settings of ${model}'s last training run, and ${model} has not been trained in this session; train it first`,
      range,
    );
  return run as RunRecord & { train: NonNullable<RunRecord['train']> };
}

/** The derivative of an activation from its output y (what the runtime's backward uses too). */
export function actSlope(fn: string, y: number, slope = 0.01): number {
  switch (fn) {
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'leaky_relu':
      return y > 0 ? 1 : slope;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    default:
      return 1;
  }
}

export function actValue(fn: string, z: number, slope = 0.01): number {
  switch (fn) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky_relu':
      return z > 0 ? z : slope * z;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    default:
      return z;
  }
}
