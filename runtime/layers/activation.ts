// Element-wise activations and the channel softmax, as forward/backward pairs that need only the
// output y (never the input), so conv/dense can apply them in place. One table: name → pair.
// References: https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity
// (ReLU, LeakyReLU with negative_slope, Sigmoid, Tanh, Softmax(dim=1)).
import { wasmReluBackward, wasmReluForward } from '../kernels/wasm-relu.js';
import { wasmAvailable } from '../kernels/wasm-module.js';
import type { Activation } from '../spec.js';
import type { Buf } from '../types.js';

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
      const m = len(s), a = s.slope;
      for (let i = 0; i < m; i++) y[i] = x[i] > 0 ? x[i] : a * x[i];
    },
    // With a positive slope, y > 0 exactly when x > 0.
    backward(dx, dy, y, s) {
      const m = len(s), a = s.slope;
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
