// createNet: a ModelSpec built over one flat parameter buffer and one flat gradient buffer (optionally
// caller-supplied, e.g. SharedArrayBuffer views shared by worker replicas), with the loss attached.
// Every layer kind's slots, initialisation and node come from the table in runtime/layers/table.ts.
import { allocBuf, Slab, Scratch } from './buffers.js';
import { numel, type Node } from './layers/layer.js';
import { defOf } from './layers/table.js';
import { crossEntropyLoss, mseLoss } from './loss.js';
import { createRng } from './rng.js';
import { inferShapes } from './shapes.js';
import { withArithmetic } from './kernels/wasm-module.js';
import type { Arithmetic, ModelSpec, Shape3 } from './spec.js';
import type { Buf, DType, GradTrace, LayerInfo, Net, Param, Rng } from './types.js';

export interface NetOptions {
  dtype?: DType;
  /** Initialisation source (default createRng(0)); layer i draws from rng.fork(i). */
  rng?: Rng;
  params?: Buf;
  grads?: Buf;
  state?: Buf;
  /** Kernels of its passes (default portable). */
  arithmetic?: Arithmetic;
}

/** A parameter slot placed in the net: its full name and layer. */
interface PlacedSlot {
  name: string;
  layer: string;
  shape: number[];
  decay: boolean;
}

function layout(spec: ModelSpec): { info: LayerInfo[]; slots: PlacedSlot[][]; stateSizes: number[] } {
  const r = inferShapes(spec);
  if (!r.ok) throw new Error(`model ${spec.name}: ${r.message}`);
  const slots: PlacedSlot[][] = [];
  const stateSizes: number[] = [];
  let input = spec.input;
  spec.layers.forEach((l, i) => {
    const def = defOf(l);
    slots.push(def.params(l, input).map((p) => ({ name: `${l.name}.${p.suffix}`, layer: l.name, shape: p.shape, decay: p.decay })));
    stateSizes.push(def.stateSize(l, input));
    input = r.layers[i].out;
  });
  return { info: r.layers, slots, stateSizes };
}

const size3 = (s: Shape3) => s.c * s.h * s.w;

/** Number of trainable values the spec's network holds (the length of paramBuf). Throws on an invalid spec. */
export function paramCount(spec: ModelSpec): number {
  return layout(spec)
    .slots.flat()
    .reduce((a, s) => a + numel(s.shape), 0);
}

/** Number of non-trainable state values (batch-norm running mean and variance). */
export function stateCount(spec: ModelSpec): number {
  return layout(spec).stateSizes.reduce((a, b) => a + b, 0);
}

function checkLength(what: string, buf: Buf | undefined, want: number): void {
  if (buf && buf.length !== want) throw new Error(`createNet: ${what} has ${buf.length} values, the model needs ${want}`);
}

/** Builds the network; throws if the spec's shapes do not work out or supplied buffers have the wrong length. */
export function createNet(spec: ModelSpec, opts: NetOptions = {}): Net {
  const { info, slots, stateSizes } = layout(spec);
  const dtype: DType = opts.dtype ?? (opts.params instanceof Float64Array ? 'float64' : 'float32');
  const total = slots.flat().reduce((a, s) => a + numel(s.shape), 0);
  const stateTotal = stateSizes.reduce((a, b) => a + b, 0);
  checkLength('params', opts.params, total);
  checkLength('grads', opts.grads, total);
  checkLength('state', opts.state, stateTotal);
  // Float32 weights are allocated in shared memory, so a pool's lanes read and update them in place
  // instead of copying them in and out on every step (runtime/pool/pool.ts).
  const paramBuf = opts.params ?? sharedBuf(dtype, total);
  const gradBuf = opts.grads ?? allocBuf(dtype, total);
  const stateBuf = opts.state ?? allocBuf(dtype, stateTotal);

  const last = info[info.length - 1];
  const outShape = last ? last.out : spec.input;
  const K = outShape.c * outShape.h * outShape.w;
  if (spec.loss === 'cross_entropy' && outShape.h * outShape.w !== 1) {
    throw new Error(
      `model ${spec.name}: cross_entropy needs a flat output, but the last layer gives ${outShape.c}×${outShape.h}×${outShape.w}`,
    );
  }

  const params: Param[] = [];
  const nodes: Node[] = [];
  const scratch = new Scratch(dtype);
  const initRng = opts.rng ?? createRng(0);
  let offset = 0,
    stateOffset = 0;
  let input = spec.input;
  spec.layers.forEach((l, i) => {
    const mine = slots[i].map((s): Param => {
      const size = numel(s.shape);
      const p: Param = {
        ...s,
        offset,
        size,
        value: paramBuf.subarray(offset, offset + size),
        grad: gradBuf.subarray(offset, offset + size),
      };
      offset += size;
      return p;
    });
    params.push(...mine);
    const def = defOf(l);
    if (!opts.params) def.initParams(l, mine, initRng.fork(i));
    const state = stateBuf.subarray(stateOffset, stateOffset + stateSizes[i]);
    if (!opts.state) def.initState(l, state);
    stateOffset += stateSizes[i];
    nodes.push(def.node(l, { dtype, input, out: info[i].out, params: mine, state, scratch }));
    input = info[i].out;
  });

  const byName = new Map(nodes.map((nd, i) => [nd.name, { node: nd, out: info[i].out }]));
  const dOut = new Slab(dtype, K);
  // Without a caller rng, dropout draws from the net's own stream so training still runs.
  const fallbackRng = createRng(initRng.seed).fork(0x64726f70);
  const lastNode = nodes[nodes.length - 1];
  let lastN = 0,
    lastInput: Buf = allocBuf(dtype, 0),
    output: Buf = lastInput;

  function forward(x: Buf, n: number, mode: 'train' | 'eval', rng?: Rng): Buf {
    if (x.length < n * spec.input.c * spec.input.h * spec.input.w) {
      throw new Error(`forward: input has ${x.length} values, ${n} examples of ${spec.input.c}×${spec.input.h}×${spec.input.w} need more`);
    }
    const r = rng ?? fallbackRng;
    let a = x;
    for (const nd of nodes) a = nd.forward(a, n, mode === 'train', r);
    lastN = n;
    lastInput = x;
    output = a;
    return a.subarray(0, n * K);
  }

  function backward(targets: Int32Array | Buf, scale: number, trace?: GradTrace): number {
    const n = lastN;
    const need = spec.loss === 'cross_entropy' ? n : n * K;
    if (targets.length < need) throw new Error(`backward: ${targets.length} targets for ${n} examples (${spec.loss} needs ${need})`);
    const d = dOut.at(n);
    const logits = spec.loss === 'cross_entropy' && lastNode ? lastNode.logits() : null;
    let loss: number;
    if (spec.loss === 'cross_entropy') loss = crossEntropyLoss(d, logits ?? output, targets, n, K, scale);
    else loss = mseLoss(d, output, targets, n, K, scale);
    let dy: Buf | null = d;
    for (let i = nodes.length - 1; i >= 0 && dy; i--) {
      // A layer may overwrite dy, so the trace copies it first; traced, even the input gradient is computed.
      if (trace) trace.set(nodes[i].name, dy.slice(0, n * size3(info[i].out)));
      dy = nodes[i].backward(dy, n, i > 0 || trace !== undefined, i === nodes.length - 1 && logits !== null);
    }
    if (trace && dy) trace.set('input', dy.slice(0, n * size3(spec.input)));
    return loss;
  }

  const net: Net = {
    spec,
    dtype,
    info,
    params,
    paramBuf,
    gradBuf,
    stateBuf,
    arithmetic: opts.arithmetic ?? 'portable',
    forward: (x, n, mode, rng) => withArithmetic(net.arithmetic, () => forward(x, n, mode, rng)),
    backward: (targets, scale, trace) => withArithmetic(net.arithmetic, () => backward(targets, scale, trace)),
    activation(layer) {
      const hit = byName.get(layer);
      if (!hit) {
        if (layer === 'input')
          return {
            data: lastInput.subarray(0, lastN * spec.input.c * spec.input.h * spec.input.w),
            shape: [lastN, spec.input.c, spec.input.h, spec.input.w],
          };
        throw new Error(`activation: no layer named ${layer}`);
      }
      const { c, h, w } = hit.out;
      return { data: hit.node.output().subarray(0, lastN * c * h * w), shape: [lastN, c, h, w] };
    },
    zeroGrad() {
      gradBuf.fill(0);
    },
  };
  return net;
}

function sharedBuf(dtype: DType, len: number): Buf {
  return dtype === 'float32' ? new Float32Array(new SharedArrayBuffer(4 * len)) : allocBuf(dtype, len);
}

/** Eval-mode outputs (n, K) for any n, computed batch examples at a time into a fresh buffer. */
export function forwardBatched(net: Net, x: Buf, n: number, batch: number): Buf {
  const inSize = net.spec.input.c * net.spec.input.h * net.spec.input.w;
  const o = net.info.length ? net.info[net.info.length - 1].out : net.spec.input;
  const K = o.c * o.h * o.w;
  const out = allocBuf(net.dtype, n * K);
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    out.set(net.forward(x.subarray(s * inSize, (s + m) * inSize), m, 'eval'), s * K);
  }
  return out;
}
