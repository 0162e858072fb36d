// What a layer kind is, in one typed record (LayerDef): its shape rule, parameter and state slots,
// initialisation, run-time node (the forward/backward pair with its buffers) and output activation.
// Each runtime/layers/<kind>.ts exports one; runtime/layers/table.ts lists them. No layer code here.
import type { Scratch } from '../buffers.js';
import type { Activation, LayerKind, LayerSpec, Pair, Shape3 } from '../spec.js';
import type { Buf, DType, LayerInfo, Param, Rng } from '../types.js';

export type SpecOf<K extends LayerKind> = Extract<LayerSpec, { kind: K }>;

/** The shape walk's state: the receptive-field recurrence needs the jump (input pixels per output step). */
export interface Walk {
  shape: Shape3;
  /** Spatial size seen by the last spatial layer; flatten keeps it so a following dense spans it. */
  spatial: Pair;
  rf: Pair;
  jump: Pair;
}

/** One layer's step of the walk: its output, parameters, multiply-adds and receptive field, or why it cannot run. */
export type ShapeStep = { info: Omit<LayerInfo, 'name' | 'kind'>; next: Walk } | { error: string };

/** A parameter before it has buffers: `${layer}.${suffix}`, its shape, whether weight decay applies. */
export interface ParamSlot {
  suffix: string;
  shape: number[];
  decay: boolean;
}

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
  /** This layer's parameters in slot order (weight, bias | gamma, beta). */
  params: Param[];
  /** This layer's slice of the net's state buffer. */
  state: Buf;
  scratch: Scratch;
}

export interface LayerDef<K extends LayerKind> {
  kind: K;
  /** Output shape, parameters, multiply-adds and receptive field from the walk so far. */
  shape(l: SpecOf<K>, walk: Walk): ShapeStep;
  /** Trainable tensors, in the order they sit in the net's parameter buffer. */
  params(l: SpecOf<K>, input: Shape3): ParamSlot[];
  /** Non-trainable values (batch-norm running statistics) in the net's state buffer. */
  stateSize(l: SpecOf<K>, input: Shape3): number;
  /** Fills fresh parameters (weights from rng, layer i draws from rng.fork(i)). */
  initParams(l: SpecOf<K>, params: Param[], rng: Rng): void;
  /** Fills fresh state. */
  initState(l: SpecOf<K>, state: Buf): void;
  node(l: SpecOf<K>, ctx: NodeContext): Node;
  /** The activation the layer's output went through; 'pass' when the output is its input's (dropout, flatten). */
  output(l: SpecOf<K>): Activation | 'pass';
}

/** Values per example of a shape. */
export const size = (s: Shape3): number => s.c * s.h * s.w;

export const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** A layer that keeps its input's shape and receptive field. */
export function sameShape(walk: Walk, params: number, macs: number): ShapeStep {
  return { info: { out: { ...walk.shape }, params, macs, receptive: walk.rf }, next: walk };
}

export const noParams = (): ParamSlot[] => [];
export const noState = (): number => 0;
export const nothing = (): void => {};
