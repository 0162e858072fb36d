// 2-D convolution as correlation (kernel not flipped), NCHW: float32 in wasm over a group of examples,
// float64 (gradient checks) via im2col + matmul per example. Padding per side, zero or edge-replicate.
// Reference: https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html (padding_mode='zeros'|'replicate')
import { col2im, im2col, type ConvGeom } from '../kernels/im2col.js';
import { matmulAB, matmulABt, matmulAtB } from '../kernels/matmul.js';
import { wasmConvBackward, wasmConvForward } from '../kernels/wasm-conv.js';
import { wasmAvailable } from '../kernels/wasm-module.js';
import { Slab } from '../buffers.js';
import { initWeights } from '../init.js';
import type { Buf } from '../types.js';
import { FusedAct } from './activation.js';
import { size, type LayerDef } from './layer.js';
import { windowStep } from './window.js';

/** ConvGeom plus the number of filters F. */
export interface Conv2dShape extends ConvGeom {
  f: number;
}

/** Length of the column scratch buffer one example needs: (C·Kh·Kw) × (Ho·Wo). */
export function conv2dColsSize(s: Conv2dShape): number {
  return s.c * s.kh * s.kw * s.ho * s.wo;
}

/**
 * y (N,F,Ho,Wo) ← w (F,C,Kh,Kw) ⋆ x (N,C,H,W) + b (F), then y ← y > 0 ? y : 0 when relu (the fused activation).
 * cols: scratch of conv2dColsSize(s), or of n × that when `keep` (every example's columns are kept
 * for conv2dBackward, which then skips rebuilding them).
 */
export function conv2dForward(y: Buf, x: Buf, w: Buf, b: Buf, n: number, s: Conv2dShape, cols: Buf, keep = false, relu = false): void {
  const K = s.c * s.kh * s.kw;
  const P = s.ho * s.wo;
  const inSize = s.c * s.h * s.w;
  const stride = keep ? K * P : 0;
  // Float32 runs entirely in wasm (cols unused there; backward takes the same branch).
  if (y instanceof Float32Array && x instanceof Float32Array && w instanceof Float32Array && b instanceof Float32Array && wasmAvailable()) {
    return wasmConvForward(y, x, w, b, n, s, s.f, relu);
  }
  for (let i = 0; i < n; i++) {
    const yOff = i * s.f * P;
    im2col(cols, x, i * inSize, s, i * stride);
    matmulAB(y, yOff, w, 0, cols, i * stride, s.f, K, P, false);
    // Bias after the product, so the product can overwrite rather than read y first.
    for (let f = 0; f < s.f; f++) {
      const bf = b[f],
        o = yOff + f * P;
      for (let p = 0; p < P; p++) y[o + p] += bf;
    }
  }
  if (relu) {
    const len = n * s.f * P;
    for (let i = 0; i < len; i++) y[i] = y[i] > 0 ? y[i] : 0;
  }
}

/**
 * Given dy (N,F,Ho,Wo): dw (F,C,Kh,Kw) += dy·colsᵀ, db (F) += Σ dy, and dx (N,C,H,W) ← wᵀ·dy scattered
 * (overwritten; pass null to skip it, e.g. for the first layer). cols, dcols: scratch of conv2dColsSize(s);
 * kept: cols holds all n examples' columns from conv2dForward(…, keep = true) over this same x.
 * reluY: the output of conv2dForward(…, relu = true); dy then first goes through ReLU's backward (dy ←
 * reluY > 0 ? dy : 0, in place on the JS path, inside wasm memory on the float32 path).
 */
export function conv2dBackward(
  dx: Buf | null,
  dw: Buf,
  db: Buf,
  dy: Buf,
  x: Buf,
  w: Buf,
  n: number,
  s: Conv2dShape,
  cols: Buf,
  dcols: Buf,
  kept = false,
  reluY: Buf | null = null,
): void {
  const K = s.c * s.kh * s.kw;
  const P = s.ho * s.wo;
  const inSize = s.c * s.h * s.w;
  if (
    dw instanceof Float32Array &&
    db instanceof Float32Array &&
    dy instanceof Float32Array &&
    x instanceof Float32Array &&
    w instanceof Float32Array &&
    (dx === null || dx instanceof Float32Array) &&
    (reluY === null || reluY instanceof Float32Array) &&
    wasmAvailable()
  ) {
    return wasmConvBackward(dx as Float32Array | null, dw, db, dy, x, w, n, s, s.f, reluY as Float32Array | null);
  }
  if (reluY) {
    const len = n * s.f * P;
    for (let i = 0; i < len; i++) dy[i] = reluY[i] > 0 ? dy[i] : 0;
  }
  if (dx) dx.fill(0, 0, n * inSize);
  for (let i = 0; i < n; i++) {
    const yOff = i * s.f * P;
    for (let f = 0; f < s.f; f++) {
      let sum = 0;
      const o = yOff + f * P;
      for (let p = 0; p < P; p++) sum += dy[o + p];
      db[f] += sum;
    }
    // Without kept columns (they cost N× the memory) rebuild this example's.
    if (!kept) im2col(cols, x, i * inSize, s);
    matmulABt(dw, 0, dy, yOff, cols, kept ? i * K * P : 0, s.f, P, K, true);
    if (dx) {
      matmulAtB(dcols, 0, w, 0, dy, yOff, K, s.f, P, false);
      col2im(dx, i * inSize, dcols, s);
    }
  }
}

/** Per-layer budget (values) for keeping im2col columns between forward and backward: 2M = 8 MB in float32. */
const KEEP_COLS_MAX = 1 << 21;

export const conv2dLayer: LayerDef<'conv2d'> = {
  kind: 'conv2d',
  shape: (l, walk) => windowStep(walk, l),
  params: (l, input) => [
    { suffix: 'weight', shape: [l.filters, input.c, l.kernel[0], l.kernel[1]], decay: true },
    { suffix: 'bias', shape: [l.filters], decay: false },
  ],
  stateSize: () => 0,
  initParams(l, [w, b], rng) {
    initWeights(w.value, l.init, w.shape[1] * w.shape[2] * w.shape[3], w.shape[0] * w.shape[2] * w.shape[3], rng);
    b.value.fill(0);
  },
  initState: () => {},
  node(spec, ctx) {
    const { input, out } = ctx;
    const s: Conv2dShape = {
      c: input.c,
      h: input.h,
      w: input.w,
      f: spec.filters,
      kh: spec.kernel[0],
      kw: spec.kernel[1],
      sh: spec.stride[0],
      sw: spec.stride[1],
      top: spec.padding.top,
      left: spec.padding.left,
      replicate: spec.padding.mode === 'replicate',
      ho: out.h,
      wo: out.w,
    };
    const [w, b] = ctx.params;
    const y = new Slab(ctx.dtype, size(out));
    const dx = new Slab(ctx.dtype, size(input));
    const act = new FusedAct(spec.activation, ctx.dtype, out);
    const colsLen = conv2dColsSize(s);
    // The float32 wasm path builds its own columns, so kept columns would only cost memory there.
    const keepable = !(ctx.dtype === 'float32' && wasmAvailable());
    const keptCols = new Slab(ctx.dtype, keepable ? colsLen : 0);
    let x: Buf = y.at(0),
      n0 = 0,
      kept = false;
    return {
      name: spec.name,
      out,
      forward(xIn, n, train) {
        x = xIn;
        n0 = n;
        const yb = y.at(n);
        // Training keeps each example's columns for backward when they fit the budget.
        kept = train && keepable && n * colsLen <= KEEP_COLS_MAX;
        const cols = kept ? keptCols.at(n) : ctx.scratch.first(colsLen);
        // ReLU is fused into the convolution (the same y > 0 ? y : 0, without another pass over y).
        const relu = act.fn === 'relu';
        conv2dForward(act.target(yb, n), x, w.value, b.value, n, s, cols, kept, relu);
        if (!relu) act.apply(yb, n);
        return yb;
      },
      backward(dy, n, wantDx, skipSoftmax) {
        // ReLU's backward is fused into the convolution's, as its forward is.
        const relu = act.fn === 'relu';
        if (!relu) act.undo(dy, y.at(n), n, skipSoftmax);
        const d = wantDx ? dx.at(n) : null;
        const cols = kept ? keptCols.at(n) : ctx.scratch.first(colsLen);
        conv2dBackward(d, w.grad, b.grad, dy, x, w.value, n, s, cols, ctx.scratch.second(colsLen), kept, relu ? y.at(n) : null);
        return d;
      },
      output: () => y.at(n0),
      logits: () => act.logits(n0),
    };
  },
  output: (l) => l.activation,
};
