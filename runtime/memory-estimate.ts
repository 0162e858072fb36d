// How much memory a training run allocates, counted the way the runtime allocates it: float32 weights and
// gradients, float64 optimizer slots, one gradient slot per micro-batch, and per lane a net whose
// grow-only per-layer buffers are sized for the largest batch they saw — a micro-batch in training, an
// evaluation chunk (up to EVAL_CHUNK examples) when the run measures accuracy, and a WebAssembly memory
// as large as its largest kernel call. Checked against measured peak RSS by scripts/bench-memory.ts.
import { conv2dColsSize } from './layers/conv2d.js';
import { inferShapes } from './shapes.js';
import type { ModelSpec, OptimizerSpec } from './spec.js';
import { EVAL_CHUNK } from './train/metrics.js';

export interface TrainingMemoryInput {
  spec: ModelSpec;
  batch: number;
  /** Lanes the run uses (resolveWorkers: workers, or one per core up to the micro-batches). */
  lanes: number;
  /** Optimizer state values per parameter: 0 (sgd), 1 (momentum), 2 (adam). */
  optimizerSlots: number;
  /** Largest number of examples measured in one evaluation (train sample, validation or test split). */
  evalExamples: number;
  micro?: number;
}

export interface MemoryEstimate {
  bytes: number;
  /** The parts, for messages and the benchmark. */
  weights: number;
  activations: number;
}

const F32 = 4;
const F64 = 8;
/** A worker thread's own heap, code and WebAssembly instance before it allocates anything. */
const LANE_BASE = 24 << 20;

/** Values a net's per-layer buffers hold after training batches of nTrain and evaluations of nEval. */
function netBufferValues(spec: ModelSpec, nTrain: number, nEval: number): number {
  const shapes = inferShapes(spec);
  if (!shapes.ok) return 0;
  const nMax = Math.max(nTrain, nEval);
  let input = spec.input;
  let total = 0;
  let scratch = 0;
  shapes.layers.forEach((info, i) => {
    const l = spec.layers[i];
    const inSize = input.c * input.h * input.w;
    const outSize = info.out.c * info.out.h * info.out.w;
    const dx = i > 0 ? inSize * nTrain : 0;
    switch (l.kind) {
      case 'conv2d': {
        const cols = conv2dColsSize({
          c: input.c,
          h: input.h,
          w: input.w,
          f: l.filters,
          kh: l.kernel[0],
          kw: l.kernel[1],
          sh: l.stride[0],
          sw: l.stride[1],
          top: l.padding.top,
          left: l.padding.left,
          replicate: false,
          ho: info.out.h,
          wo: info.out.w,
        });
        // Columns are kept between forward and backward when they fit 2M values; else two scratch ones.
        total += outSize * nMax + dx + (nTrain * cols <= 1 << 21 ? nTrain * cols : 0) + (l.activation === 'softmax' ? outSize * nMax : 0);
        scratch = Math.max(scratch, 2 * cols);
        break;
      }
      case 'dense':
        total += outSize * nMax + dx + (l.activation === 'softmax' ? outSize * nMax : 0);
        break;
      case 'maxpool':
        total += outSize * nMax + dx + outSize * nTrain; // the argmax switches (int32)
        break;
      case 'avgpool':
      case 'globalavgpool':
      case 'activation':
        total += outSize * nMax + dx;
        break;
      case 'dropout':
        total += outSize * nMax + outSize * nTrain + dx;
        break;
      case 'batchnorm':
        total += 2 * outSize * nMax + inSize * nTrain;
        break;
      case 'flatten':
        break;
    }
    input = info.out;
  });
  return total + scratch;
}

/**
 * Floats the lane's WebAssembly memory grows to: the largest single kernel call (it never shrinks). Kernels
 * copy their operands in: a convolution a chunk of examples at a time (its fused ReLU's backward inside
 * that chunk), max-pooling and ReLU the whole batch (ReLU's backward holds dy and y), a dense layer's GEMM
 * the batch's inputs and the weights.
 */
function wasmFloats(spec: ModelSpec, nTrain: number, nEval: number): number {
  const shapes = inferShapes(spec);
  if (!shapes.ok) return 0;
  let input = spec.input;
  let peak = 0;
  const need = (floats: number) => (peak = Math.max(peak, floats));
  shapes.layers.forEach((info, i) => {
    const l = spec.layers[i];
    const inSize = input.c * input.h * input.w;
    const outSize = info.out.c * info.out.h * info.out.w;
    for (const [n, train] of [
      [nTrain, true],
      [nEval, false],
    ] as const) {
      if (n === 0) continue;
      if (l.kind === 'conv2d') {
        const P = info.out.h * info.out.w;
        const K = input.c * l.kernel[0] * l.kernel[1];
        const c = Math.max(1, Math.min(n, Math.floor((1 << 20) / (inSize + l.filters * P))));
        const ld = Math.max(1, Math.min(c, Math.floor((1 << 16) / (K * P)))) * P;
        // Backward with the fused ReLU also holds the chunk's outputs beside its dy.
        const reluY = train && l.activation === 'relu' ? c * l.filters * P : 0;
        need(c * (inSize + l.filters * P) + reluY + (train ? 2 : 1) * K * ld + l.filters * ld);
      } else if (l.kind === 'dense') {
        need(n * inSize + l.units * inSize + n * l.units);
        if (train && l.activation === 'relu' && n * outSize >= 256) need(2 * n * outSize);
      } else if (l.kind === 'maxpool') {
        need(n * (inSize + 2 * outSize));
      } else if (l.kind === 'activation' && l.fn === 'relu' && n * outSize >= 256) {
        need((train ? 2 : 1) * n * outSize);
      }
    }
    input = info.out;
  });
  return peak;
}

export function trainingMemory(o: TrainingMemoryInput): MemoryEstimate {
  const micro = o.micro ?? 16;
  const shapes = inferShapes(o.spec);
  const params = shapes.ok ? shapes.layers.reduce((a, l) => a + l.params, 0) : 0;
  const inSize = o.spec.input.c * o.spec.input.h * o.spec.input.w;
  const microBatches = Math.ceil(o.batch / micro);
  const nTrain = Math.min(micro, o.batch);
  const nEval = Math.min(EVAL_CHUNK, Math.max(0, o.evalExamples));
  const lanes = Math.max(1, o.lanes);
  // Weights and gradients of the net, the optimizer's slots, a gradient slot per micro-batch; with a
  // pool, the shared weights and each replica's gradients besides.
  const weights = F32 * params * (2 + microBatches) + F64 * params * o.optimizerSlots + (lanes > 1 ? F32 * params * lanes : 0);
  // Per lane: its net's buffers, the micro-batch input (plain and augmented), the evaluation input and
  // its WebAssembly memory. Evaluation chunks go to lanes in turn, so only the first few lanes (one per
  // chunk) size their buffers for a chunk; the others keep micro-batch sizes.
  const lane = (evalN: number) =>
    F32 * (netBufferValues(o.spec, nTrain, evalN) + 2 * nTrain * inSize + evalN * inSize + wasmFloats(o.spec, nTrain, evalN));
  const evalLanes = nEval === 0 ? 0 : Math.min(lanes, Math.ceil(o.evalExamples / EVAL_CHUNK));
  const activations = evalLanes * lane(nEval) + (lanes - evalLanes) * lane(0) + (lanes - 1) * LANE_BASE;
  return { bytes: weights + activations, weights, activations };
}

/** Float64 copies of the parameters an optimizer allocates: SGD its velocity (even at momentum 0), Adam m and s. */
export function optimizerSlots(o: OptimizerSpec): number {
  return o.kind === 'sgd' ? 1 : 2;
}
