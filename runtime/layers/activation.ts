// Element-wise activations and the channel softmax, as forward/backward pairs that need only the
// output y (never the input), so conv/dense can apply them in place. One table: name → pair.
// References: https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity
// (ReLU, LeakyReLU with negative_slope, Sigmoid, Tanh, Softmax(dim=1)).
import { wasmReluBackward, wasmReluForward } from '../kernels/wasm-relu.js';
import { wasmAvailable } from '../kernels/wasm-module.js';
import { Slab } from '../buffers.js';
import type { Activation, Shape3 } from '../spec.js';
import type { Buf, DType } from '../types.js';
import { noParams, noState, nothing, sameShape, size, type LayerDef } from './layer.js';

// Float32 ReLU over at least this many values runs in wasm (same bits, no branch mispredictions).
const WASM_RELU_MIN = 256;

/** Layout of the tensor an activation runs over: (N, C, plane) with plane = H·W; softmax runs over C. */
export interface ActShape {
  n: number;
  c: number;
  plane: number;
  /** leaky_relu's negative slope. */
  slope: number;
}

interface ActPair {
  /** y (N,C,H,W) ← f(x); y may be x. */
  forward(y: Buf, x: Buf, s: ActShape): void;
  /** dx (N,C,H,W) ← dy ⊙ f′ expressed through y; dx may be dy. */
  backward(dx: Buf, dy: Buf, y: Buf, s: ActShape): void;
}

const len = (s: ActShape) => s.n * s.c * s.plane;

function softmaxForward(y: Buf, x: Buf, s: ActShape): void {
  const { n, c, plane } = s;
  for (let i = 0; i < n; i++) {
    const base = i * c * plane;
    for (let p = 0; p < plane; p++) {
      const o = base + p;
      // Subtracting the max keeps exp from overflowing; the result is unchanged.
      let m = -Infinity;
      for (let k = 0; k < c; k++) m = Math.max(m, x[o + k * plane]);
      let sum = 0;
      for (let k = 0; k < c; k++) {
        const e = Math.exp(x[o + k * plane] - m);
        y[o + k * plane] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let k = 0; k < c; k++) y[o + k * plane] *= inv;
    }
  }
}

function softmaxBackward(dx: Buf, dy: Buf, y: Buf, s: ActShape): void {
  const { n, c, plane } = s;
  for (let i = 0; i < n; i++) {
    const base = i * c * plane;
    for (let p = 0; p < plane; p++) {
      const o = base + p;
      let dot = 0;
      for (let k = 0; k < c; k++) dot += y[o + k * plane] * dy[o + k * plane];
      for (let k = 0; k < c; k++) {
        const j = o + k * plane;
        dx[j] = y[j] * (dy[j] - dot);
      }
    }
  }
}

export const activations: Record<Activation, ActPair> = {
  linear: {
    forward(y, x, s) {
      if (y !== x) y.set(x.subarray(0, len(s)));
    },
    backward(dx, dy, _y, s) {
      if (dx !== dy) dx.set(dy.subarray(0, len(s)));
    },
  },
  relu: {
    forward(y, x, s) {
      const m = len(s);
      if (m >= WASM_RELU_MIN && y instanceof Float32Array && x instanceof Float32Array && wasmAvailable()) return wasmReluForward(y, x, m);
      for (let i = 0; i < m; i++) {
        const v = x[i];
        y[i] = v > 0 ? v : 0;
      }
    },
    backward(dx, dy, y, s) {
      const m = len(s);
      if (m >= WASM_RELU_MIN && dx instanceof Float32Array && dy instanceof Float32Array && y instanceof Float32Array && wasmAvailable()) {
        return wasmReluBackward(dx, dy, y, m);
      }
      for (let i = 0; i < m; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
    },
  },
  leaky_relu: {
    forward(y, x, s) {
      const m = len(s),
        a = s.slope;
      for (let i = 0; i < m; i++) y[i] = x[i] > 0 ? x[i] : a * x[i];
    },
    // With a positive slope, y > 0 exactly when x > 0.
    backward(dx, dy, y, s) {
      const m = len(s),
        a = s.slope;
      for (let i = 0; i < m; i++) dx[i] = y[i] > 0 ? dy[i] : a * dy[i];
    },
  },
  sigmoid: {
    forward(y, x, s) {
      const m = len(s);
      for (let i = 0; i < m; i++) {
        const v = x[i];
        // Two branches so exp never sees a large positive argument.
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          y[i] = e / (1 + e);
        }
      }
    },
    backward(dx, dy, y, s) {
      const m = len(s);
      for (let i = 0; i < m; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
    },
  },
  tanh: {
    forward(y, x, s) {
      const m = len(s);
      for (let i = 0; i < m; i++) y[i] = Math.tanh(x[i]);
    },
    backward(dx, dy, y, s) {
      const m = len(s);
      for (let i = 0; i < m; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
    },
  },
  softmax: { forward: softmaxForward, backward: softmaxBackward },
};

/** leaky_relu's slope when the spec gives none (PyTorch's default negative_slope). */
export const DEFAULT_LEAKY_SLOPE = 0.01;

/** A fused activation (conv, dense) applied in place and undone in backward; softmax keeps its logits apart. */
export class FusedAct {
  private readonly z: Slab | null;
  private readonly shape: ActShape;
  constructor(
    readonly fn: Activation,
    dtype: DType,
    out: Shape3,
    slope = DEFAULT_LEAKY_SLOPE,
  ) {
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

/** A standalone activation layer (`relu`, `softmax`, … on a line of their own); it may set its own leaky slope. */
export const activationLayer: LayerDef<'activation'> = {
  kind: 'activation',
  shape: (_l, walk) => sameShape(walk, 0, 0),
  params: noParams,
  stateSize: noState,
  initParams: nothing,
  initState: nothing,
  node(spec, ctx) {
    const len = size(ctx.input);
    const y = new Slab(ctx.dtype, len);
    const shape: ActShape = { n: 0, c: ctx.input.c, plane: ctx.input.h * ctx.input.w, slope: spec.slope ?? DEFAULT_LEAKY_SLOPE };
    const pair = activations[spec.fn];
    let x: Buf = y.at(0),
      n0 = 0;
    return {
      name: spec.name,
      out: ctx.out,
      forward(xIn, n) {
        x = xIn;
        n0 = n;
        shape.n = n;
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
  },
  output: (l) => l.fn,
};
