// The runtime as a library, usable without the kernel: build a model from a spec, train it, predict,
// read weights and gradients, save and load. docs/runtime-api.md has a runnable example.
import { decodeModel } from './io/decode.js';
import type { ModelFile } from './io/model-file.js';
import { arithmeticUnavailable } from './kernels/wasm-module.js';
import { createNet } from './net.js';
import { createRng } from './rng.js';
import type { ModelSpec } from './spec.js';
import { argmax, outputSize } from './train/metrics.js';
import { transferLayers } from './transfer.js';
import type { Buf, DType, Net } from './types.js';

export type * from './spec.js';
export type { Buf, DType, GradTrace, LayerInfo, Net, Param, Rng } from './types.js';
export { createNet } from './net.js';
export { createRng } from './rng.js';
export { loadMnist } from './data/mnist.js';
export type { Dataset, Split } from './data/dataset.js';
export { train, isAborted, validationSplit, type AbortFlag, type TrainOptions, type TrainResult } from './train/loop.js';
export type { BestRecord, DoneReason, EvalRecord, History, Metrics, StepRecord, TrainEvent } from './train/events.js';
export type { TrainCheckpoint } from './train/checkpoint.js';
export { evaluate } from './train/metrics.js';
export { createOptimizer, type Optimizer, type OptimizerOptions, type OptimizerState } from './optim/index.js';
export { learningRate, scheduleCurve } from './schedules.js';
export { augmentBatch, drawAugment, applyAugment, type AugmentDraw } from './augment.js';
export { createPool, type PoolOptions } from './pool/pool.js';
export { createLocalEngine, type GradientEngine } from './train/gradient-engine.js';
export { exportOnnx, exportTorch, importOnnx, netOfImport, type ImportResult, type ImportedModel } from './interop/index.js';
export {
  decodeModel,
  encodeModel,
  loadModelFile,
  modelFileOf,
  modelFileOfCheckpoint,
  saveModelFile,
  type LoadError,
  type LoadResult,
  type ModelFile,
} from './io/index.js';
export { transferLayers, type TransferResult } from './transfer.js';

export interface BuildOptions {
  /** Initialisation seed (default 0). */
  seed?: number;
  dtype?: DType;
  /** Resolves ModelSpec.initFrom.model to a built net (the session's model table). */
  lookup?: (name: string) => Net | undefined;
}

export type BuildResult = { ok: true; net: Net } | { ok: false; error: string };

/**
 * createNet plus transfer: copies ModelSpec.initFrom's layers from the named model. Errors as data, in words
 * a notebook can show as they are (the session's `model` statement uses this one function).
 */
export function buildModel(spec: ModelSpec, opts: BuildOptions = {}): BuildResult {
  let net: Net;
  try {
    net = createNet(spec, { dtype: opts.dtype ?? 'float32', rng: createRng(opts.seed ?? 0) });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (spec.initFrom) {
    const source = opts.lookup?.(spec.initFrom.model);
    if (!source) return { ok: false, error: `model ${spec.initFrom.model} (to initialise ${spec.name} from) is not defined` };
    const r = transferLayers(net, source, spec.initFrom.layers);
    if (!r.ok) return { ok: false, error: `cannot reuse ${spec.initFrom.model}: ${r.error}` };
  }
  return { ok: true, net };
}

/** A net over a decoded model file's weights and state; trained with fused arithmetic, it keeps it where this machine can run it. */
export function netFromFile(file: ModelFile): Net {
  const fused = file.history?.arithmetic === 'fused' && arithmeticUnavailable('fused') === undefined;
  return createNet(file.spec, {
    dtype: 'float32',
    params: file.params.slice(),
    state: file.state.slice(),
    arithmetic: fused ? 'fused' : 'portable',
  });
}

/** Decodes bytes straight to a net, or the load error. */
export function netFromBytes(bytes: Uint8Array): { ok: true; net: Net; file: ModelFile } | { ok: false; error: string } {
  const r = decodeModel(bytes);
  return r.ok ? { ok: true, net: netFromFile(r.value), file: r.value } : { ok: false, error: `${r.error.code}: ${r.error.message}` };
}

export interface Prediction {
  /** (n, K) network outputs: probabilities when the model ends in softmax. A fresh copy. */
  outputs: Buf;
  /** (n) argmax class per example. */
  classes: Int32Array;
}

/** Eval-mode outputs for images x (n, c, h, w) in [0, 1], in chunks of `chunk`. */
export function predict(net: Net, x: Buf, n: number, chunk = 256): Prediction {
  const k = outputSize(net);
  const size = net.spec.input.c * net.spec.input.h * net.spec.input.w;
  const outputs = net.dtype === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k);
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    outputs.set(net.forward(x.subarray(s * size, (s + m) * size), m, 'eval'), s * k);
  }
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) classes[i] = argmax(outputs, i * k, k);
  return { outputs, classes };
}

/** A copy of one parameter tensor (`conv1.weight`, `out.bias`, …) with its shape. */
export function readWeights(net: Net, name: string): { shape: number[]; data: Buf } {
  const p = net.params.find((q) => q.name === name);
  if (!p) throw new Error(`no parameter ${name}; the model has ${net.params.map((q) => q.name).join(', ')}`);
  return { shape: p.shape.slice(), data: p.value.slice() };
}

/** A copy of one parameter tensor's gradient as the last backward pass left it. */
export function readGradients(net: Net, name: string): { shape: number[]; data: Buf } {
  const p = net.params.find((q) => q.name === name);
  if (!p) throw new Error(`no parameter ${name}; the model has ${net.params.map((q) => q.name).join(', ')}`);
  return { shape: p.shape.slice(), data: p.grad.slice() };
}

/**
 * Gradients of the mean loss over x (n, c, h, w) against class labels (n) into net.gradBuf (zeroed first),
 * in training mode (dropout from rng). Returns the mean loss.
 */
export function computeGradients(net: Net, x: Buf, labels: ArrayLike<number>, n: number, rng = createRng(0)): number {
  net.zeroGrad();
  net.forward(x, n, 'train', rng);
  let targets: Int32Array | Buf = Int32Array.from(labels);
  if (net.spec.loss === 'mse') {
    const k = outputSize(net);
    targets = net.dtype === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k);
    for (let i = 0; i < n; i++) targets[i * k + labels[i]] = 1;
  }
  return net.backward(targets, 1 / n) / n;
}
