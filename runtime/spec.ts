// Plain-data specs: what the language lowers to and what the runtime builds from.
// Everything here is JSON-serialisable (it crosses worker threads and lands in checkpoint files);
// defaults are already filled by dsl lowering, so the runtime never guesses.

/** Height × width pair, e.g. kernel size or stride: [vertical, horizontal]. */
export type Pair = [number, number];

/** Image shape in NCHW order without the batch: channels, height, width. */
export interface Shape3 {
  c: number;
  h: number;
  w: number;
}

export type Activation = 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';

/** Explicit padding in pixels per side; `mode` says what the border holds. */
export interface PadSpec {
  mode: 'zero' | 'replicate';
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** One layer. `name` is unique within a model (conv1, pool1, dense1 … unless the user named it). */
export type LayerSpec =
  /** round 'floor': the checker lets a stride that does not divide drop the last rows/columns (PyTorch's rule). */
  | {
      kind: 'conv2d';
      name: string;
      filters: number;
      kernel: Pair;
      stride: Pair;
      padding: PadSpec;
      activation: Activation;
      init: 'he' | 'glorot';
      round?: 'floor';
    }
  | { kind: 'maxpool'; name: string; size: Pair; stride: Pair; round?: 'floor' }
  | { kind: 'avgpool'; name: string; size: Pair; stride: Pair; round?: 'floor' }
  | { kind: 'globalavgpool'; name: string }
  | { kind: 'dense'; name: string; units: number; activation: Activation; init: 'he' | 'glorot' }
  | { kind: 'flatten'; name: string }
  | { kind: 'dropout'; name: string; rate: number }
  | { kind: 'batchnorm'; name: string; momentum: number; eps: number }
  | { kind: 'activation'; name: string; fn: Activation; slope?: number };

export type LayerKind = LayerSpec['kind'];

export interface ModelSpec {
  name: string;
  input: Shape3;
  layers: LayerSpec[];
  loss: 'cross_entropy' | 'mse';
  /** Layer names whose parameters the optimizer skips. */
  frozen: string[];
  /** Seed of the weight initialisation (default 0, so equal architectures start equal). */
  seed?: number;
  /** Transfer learning: copy these layers' weights from an existing model when built. */
  initFrom?: { model: string; layers: string[] };
}

export type DataSpec =
  | { kind: 'mnist'; train: number; test: number; seed: number }
  | { kind: 'fashion_mnist'; train: number; test: number; seed: number; dir?: string }
  /** classNames, when given, fixes the class count: every label must be below its length. */
  | {
      kind: 'idx';
      images: string;
      labels: string;
      testImages?: string;
      testLabels?: string;
      test?: number;
      seed: number;
      classNames?: string[];
    }
  | { kind: 'csv'; path: string; testPath?: string; header: 'auto' | boolean; width?: number; height?: number; test?: number; seed: number }
  | { kind: 'folder'; path: string; test?: number; seed: number }
  | { kind: 'npy'; images: string; labels: string; test?: number; seed: number }
  /** A subset of another dataset: keep some classes (relabelled 0..k-1 in the given order) and/or the first n examples. */
  | { kind: 'subset'; from: string; classes?: number[]; train?: number; test?: number };

export type OptimizerSpec =
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number }
  | { kind: 'adamw'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

/** Learning-rate schedules. Steps count optimizer updates from 0; epochs count from 0. */
export type ScheduleSpec =
  | { kind: 'constant' }
  /** η = values[i] once epoch ≥ boundaries[i-1]; values has one more entry than boundaries. */
  | { kind: 'piecewise'; boundaries: number[]; values: number[] }
  /** Every `every` steps, η ← factor·η when validation error changed by less than epsilon. */
  | { kind: 'plateau'; every: number; factor: number; epsilon: number; min: number }
  /** η_t = η_0 · d^(−t/r) */
  | { kind: 'exponential'; d: number; r: number }
  /** η_t = η_0 · (1 + t/r)^(−c) */
  | { kind: 'power'; r: number; c: number };

export interface AugmentSpec {
  shift?: number; // max translation in pixels
  rotate?: number; // max rotation in degrees
  scale?: number; // max relative zoom, e.g. 0.1 → [0.9, 1.1]
  stretch?: number; // max relative anisotropic stretch
  flip?: boolean; // horizontal flip with probability 1/2
  brightness?: number; // max additive change, pixel values in [0,1]
  contrast?: number; // max relative contrast change
  noise?: number; // std of Gaussian noise
  occlude?: Pair; // size of one random zeroed rectangle
}

/**
 * How the kernels multiply and add. portable: multiply, then add, each rounded (dist/asm/kernels.wasm), the
 * same bits on every machine. fused: relaxed-SIMD fused multiply-add, rounded once (kernels-fused.wasm),
 * faster; the same bits for any number of workers on one machine, but they can differ between CPUs
 * (V8 fuses only where the CPU has FMA).
 */
export type Arithmetic = 'portable' | 'fused';

export interface TrainSpec {
  model: string;
  data: string;
  epochs: number;
  batch: number;
  seed: number;
  /** Fraction of the training split held out for validation (0 = none; then test metrics are reported). */
  validation: number;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** decoupled: θ ← βθ after each update with β = 1 − value; l2: λθ added to the gradient. */
  weightDecay?: { mode: 'decoupled' | 'l2'; value: number };
  augment?: AugmentSpec;
  earlyStop?: { every: number; patience: number; restoreBest: boolean; metric: 'loss' | 'accuracy' };
  /** Record train/eval metrics every this many steps (in addition to every epoch). 0 = epochs only. */
  evalEvery: number;
  /** Threads for data-parallel training (0: one per core, at most one per micro-batch); results do not depend on it. */
  workers: number;
  /** How the kernels multiply and add; absent: portable. The trained net keeps it for later statements. */
  arithmetic?: Arithmetic;
  /** Label of this run in overlaid plots; defaults to the optimizer name. */
  label?: string;
}
