// The table where a layer kind becomes code: each builder wraps one layer's forward/backward pair
// (runtime/layers/*) with its parameter views and its grow-only per-batch buffers.
// Nodes hold no module-level state, so any number of nets (one per worker) can coexist.
import { DEFAULT_LEAKY_SLOPE, activations, type ActShape } from './layers/activation.js';
import { avgpoolBackward, avgpoolForward } from './layers/avgpool.js';
import { batchnormBackward, batchnormForward } from './layers/batchnorm.js';
import { conv2dBackward, conv2dColsSize, conv2dForward, type Conv2dShape } from './layers/conv2d.js';
import { denseBackward, denseForward } from './layers/dense.js';
import { dropoutBackward, dropoutForward, dropoutMask } from './layers/dropout.js';
import { maxpoolBackward, maxpoolForward, type PoolShape } from './layers/maxpool.js';
import { IntSlab, Scratch, Slab, allocBuf } from './buffers.js';
import type { Activation, LayerKind, LayerSpec, Shape3 } from './spec.js';
import type { Buf, DType, Param, Rng } from './types.js';

/** One layer at run time. Buffers it returns are its own and valid until its next call. */
export interface Node {
  readonly name: string;
  readonly out: Shape3;
  /** y (n, out) from x (n, in); x must stay unchanged until backward. */
  forward(x: Buf, n: number, train: boolean, rng: Rng): Buf;
  /**
   * dx (n, in) from dy (n, out), accumulating parameter gradients; dy may be overwritten.
   * wantDx false skips the input gradient (returns null). skipSoftmax: dy is already ∂L/∂logits.
   */
  backward(dy: Buf, n: number, wantDx: boolean, skipSoftmax: boolean): Buf | null;
  /** The last output. */
  output(): Buf;
  /** Pre-softmax values of the last forward when this layer ends in softmax, else null. */
  logits(): Buf | null;
}

export interface NodeContext {
  dtype: DType;
  input: Shape3;
  out: Shape3;
  /** This layer's parameters in layer order (weight, bias | gamma, beta). */
  params: Param[];
  /** This layer's slice of the net's state buffer. */
  state: Buf;
  scratch: Scratch;
}

const size = (s: Shape3) => s.c * s.h * s.w;

/** Per-layer budget (values) for keeping im2col columns between forward and backward: 2M = 8 MB in float32 (LeNet at batch 64 fits). */
const KEEP_COLS_MAX = 1 << 21;

/** Applies a fused activation in place and undoes it in backward; softmax keeps its logits apart. */
class FusedAct {
  private readonly z: Slab | null;
  private readonly shape: ActShape;
  constructor(readonly fn: Activation, dtype: DType, out: Shape3, slope = DEFAULT_LEAKY_SLOPE) {
    this.z = fn === 'softmax' ? new Slab(dtype, size(out)) : null;
    this.shape = { n: 0, c: out.c, plane: out.h * out.w, slope };
  }
  /** Where the pre-activation goes: y itself, or the logits buffer for softmax. */
  target(y: Buf, n: number): Buf {
    return this.z ? this.z.at(n) : y;
  }
  apply(y: Buf, n: number): void {
    this.shape.n = n;
    activations[this.fn].forward(y, this.z ? this.z.at(n) : y, this.shape);
  }
  undo(dy: Buf, y: Buf, n: number, skipSoftmax: boolean): void {
    if (this.fn === 'linear' || (skipSoftmax && this.fn === 'softmax')) return;
    this.shape.n = n;
    activations[this.fn].backward(dy, dy, y, this.shape);
  }
  logits(n: number): Buf | null {
    return this.z ? this.z.at(n) : null;
  }
}

type Builder<K extends LayerKind> = (spec: Extract<LayerSpec, { kind: K }>, ctx: NodeContext) => Node;

function conv2dNode(spec: Extract<LayerSpec, { kind: 'conv2d' }>, ctx: NodeContext): Node {
  const { input, out } = ctx;
  const s: Conv2dShape = {
    c: input.c, h: input.h, w: input.w, f: spec.filters,
    kh: spec.kernel[0], kw: spec.kernel[1], sh: spec.stride[0], sw: spec.stride[1],
    top: spec.padding.top, left: spec.padding.left, replicate: spec.padding.mode === 'replicate',
    ho: out.h, wo: out.w,
  };
  const [w, b] = ctx.params;
  const y = new Slab(ctx.dtype, size(out));
  const dx = new Slab(ctx.dtype, size(input));
  const act = new FusedAct(spec.activation, ctx.dtype, out);
  const colsLen = conv2dColsSize(s);
  const keptCols = new Slab(ctx.dtype, colsLen);
  let x: Buf = y.at(0), n0 = 0, kept = false;
  return {
    name: spec.name, out,
    forward(xIn, n, train) {
      x = xIn; n0 = n;
      const yb = y.at(n);
      // Training keeps each example's columns for backward when they fit the budget.
      kept = train && n * colsLen <= KEEP_COLS_MAX;
      const cols = kept ? keptCols.at(n) : ctx.scratch.first(colsLen);
      // ReLU is fused into the convolution (the same y > 0 ? y : 0, without another pass over y).
      const relu = act.fn === 'relu';
      conv2dForward(act.target(yb, n), x, w.value, b.value, n, s, cols, kept, relu);
      if (!relu) act.apply(yb, n);
      return yb;
    },
    backward(dy, n, wantDx, skipSoftmax) {
      act.undo(dy, y.at(n), n, skipSoftmax);
      const d = wantDx ? dx.at(n) : null;
      const cols = kept ? keptCols.at(n) : ctx.scratch.first(colsLen);
      conv2dBackward(d, w.grad, b.grad, dy, x, w.value, n, s, cols, ctx.scratch.second(colsLen), kept);
      return d;
    },
    output: () => y.at(n0),
    logits: () => act.logits(n0),
  };
}

function denseNode(spec: Extract<LayerSpec, { kind: 'dense' }>, ctx: NodeContext): Node {
  const inSize = size(ctx.input);
  const units = spec.units;
  const [w, b] = ctx.params;
  const y = new Slab(ctx.dtype, units);
  const dx = new Slab(ctx.dtype, inSize);
  const act = new FusedAct(spec.activation, ctx.dtype, ctx.out);
  let x: Buf = y.at(0), n0 = 0;
  return {
    name: spec.name, out: ctx.out,
    forward(xIn, n) {
      x = xIn; n0 = n;
      const yb = y.at(n);
      denseForward(act.target(yb, n), x, w.value, b.value, n, inSize, units);
      act.apply(yb, n);
      return yb;
    },
    backward(dy, n, wantDx, skipSoftmax) {
      act.undo(dy, y.at(n), n, skipSoftmax);
      const d = wantDx ? dx.at(n) : null;
      denseBackward(d, w.grad, b.grad, dy, x, w.value, n, inSize, units);
      return d;
    },
    output: () => y.at(n0),
    logits: () => act.logits(n0),
  };
}

function poolNode(spec: Extract<LayerSpec, { kind: 'maxpool' | 'avgpool' }>, ctx: NodeContext): Node {
  const { input, out } = ctx;
  const s: PoolShape = {
    c: input.c, h: input.h, w: input.w, kh: spec.size[0], kw: spec.size[1],
    sh: spec.stride[0], sw: spec.stride[1], ho: out.h, wo: out.w,
  };
  const isMax = spec.kind === 'maxpool';
  const y = new Slab(ctx.dtype, size(out));
  const dx = new Slab(ctx.dtype, size(input));
  const argmax = new IntSlab(isMax ? size(out) : 0);
  let n0 = 0;
  return {
    name: spec.name, out,
    forward(x, n) {
      n0 = n;
      const yb = y.at(n);
      if (isMax) maxpoolForward(yb, argmax.at(n), x, n, s);
      else avgpoolForward(yb, x, n, s);
      return yb;
    },
    backward(dy, n, wantDx) {
      if (!wantDx) return null;
      const d = dx.at(n);
      if (isMax) maxpoolBackward(d, dy, argmax.at(n), n, s);
      else avgpoolBackward(d, dy, n, s);
      return d;
    },
    output: () => y.at(n0),
    logits: () => null,
  };
}

/** Flatten is free in NCHW: the same values, read as (n, C·H·W). */
function flattenNode(spec: Extract<LayerSpec, { kind: 'flatten' }>, ctx: NodeContext): Node {
  let last: Buf = allocBuf(ctx.dtype, 0);
  return {
    name: spec.name, out: ctx.out,
    forward(x) {
      last = x;
      return x;
    },
    backward: (dy, _n, wantDx) => (wantDx ? dy : null),
    output: () => last,
    logits: () => null,
  };
}

function dropoutNode(spec: Extract<LayerSpec, { kind: 'dropout' }>, ctx: NodeContext): Node {
  const len = size(ctx.input);
  const y = new Slab(ctx.dtype, len);
  const mask = new Slab(ctx.dtype, len);
  let last: Buf = y.at(0), trained = false;
  return {
    name: spec.name, out: ctx.out,
    forward(x, n, train, rng) {
      trained = train && spec.rate > 0;
      if (!trained) return (last = x);
      const m = mask.at(n);
      dropoutMask(m, n * len, spec.rate, rng);
      last = y.at(n);
      dropoutForward(last, x, m, n * len);
      return last;
    },
    backward(dy, n, wantDx) {
      if (!wantDx) return null;
      if (trained) dropoutBackward(dy, dy, mask.at(n), n * len);
      return dy;
    },
    output: () => last,
    logits: () => null,
  };
}

function batchnormNode(spec: Extract<LayerSpec, { kind: 'batchnorm' }>, ctx: NodeContext): Node {
  const c = ctx.input.c;
  const shape = { n: 0, c, plane: ctx.input.h * ctx.input.w, eps: spec.eps, momentum: spec.momentum };
  const [gamma, beta] = ctx.params;
  const runMean = ctx.state.subarray(0, c);
  const runVar = ctx.state.subarray(c, 2 * c);
  const len = size(ctx.input);
  const y = new Slab(ctx.dtype, len);
  const xhat = new Slab(ctx.dtype, len);
  const dx = new Slab(ctx.dtype, len);
  const invStd = allocBuf(ctx.dtype, c);
  let trained = false, n0 = 0;
  return {
    name: spec.name, out: ctx.out,
    forward(x, n, train) {
      trained = train; n0 = n; shape.n = n;
      const yb = y.at(n);
      batchnormForward(yb, xhat.at(n), invStd, x, gamma.value, beta.value, runMean, runVar, shape, train);
      return yb;
    },
    backward(dy, n, wantDx) {
      shape.n = n;
      // The parameter gradients are needed even when dx is not, so always run the pass.
      const d = dx.at(n);
      batchnormBackward(d, gamma.grad, beta.grad, dy, xhat.at(n), invStd, gamma.value, shape, trained);
      return wantDx ? d : null;
    },
    output: () => y.at(n0),
    logits: () => null,
  };
}

function activationNode(spec: Extract<LayerSpec, { kind: 'activation' }>, ctx: NodeContext): Node {
  const len = size(ctx.input);
  const y = new Slab(ctx.dtype, len);
  const shape: ActShape = { n: 0, c: ctx.input.c, plane: ctx.input.h * ctx.input.w, slope: spec.slope ?? DEFAULT_LEAKY_SLOPE };
  const pair = activations[spec.fn];
  let x: Buf = y.at(0), n0 = 0;
  return {
    name: spec.name, out: ctx.out,
    forward(xIn, n) {
      x = xIn; n0 = n; shape.n = n;
      const yb = y.at(n);
      pair.forward(yb, x, shape);
      return yb;
    },
    backward(dy, n, wantDx, skipSoftmax) {
      if (!wantDx) return null;
      if (spec.fn === 'linear' || (skipSoftmax && spec.fn === 'softmax')) return dy;
      shape.n = n;
      pair.backward(dy, dy, y.at(n), shape);
      return dy;
    },
    output: () => y.at(n0),
    logits: () => (spec.fn === 'softmax' ? x : null),
  };
}

export const nodeBuilders: { [K in LayerKind]: Builder<K> } = {
  conv2d: conv2dNode,
  dense: denseNode,
  maxpool: poolNode,
  avgpool: poolNode,
  flatten: flattenNode,
  dropout: dropoutNode,
  batchnorm: batchnormNode,
  activation: activationNode,
};

/** The spec's leaky-relu slope for fused activations is the default; standalone layers may set their own. */
export function buildNode(spec: LayerSpec, ctx: NodeContext): Node {
  return (nodeBuilders[spec.kind] as Builder<LayerKind>)(spec as never, ctx);
}
