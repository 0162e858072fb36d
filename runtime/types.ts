// Core runtime types shared by layers, the network, optimizers, the training loop and the worker pool.
// Parameters live in one flat buffer per network (and gradients in another) so that workers can share
// them through SharedArrayBuffers and optimizers can run over plain vectors.
import type { Arithmetic, ModelSpec, Shape3 } from './spec.js';

/** Float32 for training; Float64 so gradient checks run the very same kernels. */
export type Buf = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/** A view of one parameter tensor inside the network's flat parameter and gradient buffers. */
export interface Param {
  /** `${layer}.weight`, `${layer}.bias`, `${layer}.gamma`, … */
  name: string;
  layer: string;
  shape: number[];
  /** Offset and length in the flat buffers. */
  offset: number;
  size: number;
  value: Buf; // subarray of the flat parameter buffer
  grad: Buf; // subarray of the flat gradient buffer
  /** Weight decay / L2 applies to weights, not to biases or normalisation parameters. */
  decay: boolean;
}

/** Deterministic random source (see runtime/rng.ts). Never Math.random. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Independent generator derived from this one's seed and a stream id (for per-step, per-example streams). */
  fork(stream: number): Rng;
  readonly seed: number;
}

/** Per-layer output description used by the summary, the checker's memory estimate and feature maps. */
export interface LayerInfo {
  name: string;
  kind: string;
  /** Output shape without batch; dense outputs are {c: units, h: 1, w: 1}. */
  out: Shape3;
  params: number;
  /** Multiply-adds per example. */
  macs: number;
  /** Receptive field on the input, in pixels (vertical, horizontal). */
  receptive: [number, number];
}

/**
 * Filled by backward when given: layer name → a copy of ∂L/∂(that layer's output) as the layer received it
 * (for the last layer of a softmax + cross-entropy net, ∂L/∂logits), and 'input' → ∂L/∂x. For explain.
 */
export type GradTrace = Map<string, Buf>;

/**
 * A built network: layers in spec order over flat parameter/gradient buffers (see runtime/net.ts).
 * Buffers returned by forward/activation are owned by the net and overwritten by the next call.
 */
export interface Net {
  readonly spec: ModelSpec;
  readonly dtype: DType;
  readonly info: LayerInfo[];
  /** In a fixed order; every Param's value/grad are views into paramBuf/gradBuf. */
  readonly params: Param[];
  readonly paramBuf: Buf;
  readonly gradBuf: Buf;
  /** Non-trainable state (batch-norm running mean/variance), flat. */
  readonly stateBuf: Buf;
  /** Kernels its forward and backward passes use (portable unless set; training sets it from its spec). */
  arithmetic: Arithmetic;
  /** x (n, C, H, W) → output (n, K): probabilities when the last activation is softmax. 'train' samples dropout masks from rng and uses batch statistics. */
  forward(x: Buf, n: number, mode: 'train' | 'eval', rng?: Rng): Buf;
  /**
   * After forward(…, 'train'): loss against targets (class indices (n) for cross-entropy, values (n, K) for mse).
   * Accumulates scale · ∂(Σ per-example loss)/∂θ into gradBuf; returns Σ per-example loss (unscaled).
   */
  backward(targets: Int32Array | Buf, scale: number, trace?: GradTrace): number;
  /** The named layer's output (after its activation) from the last forward call: data (n, c, h, w). */
  activation(layer: string): { data: Buf; shape: [number, number, number, number] };
  zeroGrad(): void;
}
