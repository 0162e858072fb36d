// The table where a layer kind becomes ONNX nodes (opset 13): one exporter per kind, each turning the
// layer's spec and trained tensors into nodes and initializers. Reading ONNX back is onnx-import.ts.
// Operators: https://onnx.ai/onnx/operators/ (Conv, Pad, MaxPool, AveragePool, GlobalAveragePool, Gemm, Flatten, Reshape,
// Dropout, BatchNormalization, Relu, LeakyRelu, Sigmoid, Tanh, Softmax).
import { DEFAULT_LEAKY_SLOPE } from '../layers/activation.js';
import type { Activation, LayerKind, LayerSpec, Shape3 } from '../spec.js';
import { attr, floatTensor, int64Tensor, node } from './onnx-graph.js';
import type { NodeObj, TensorObj } from './onnx-schema.js';

/** What an exporter sees: the incoming tensor, its rank, the layer's shapes and trained values. */
export interface ExportStep {
  /** Name of the tensor entering the layer and its rank: 4 for (N,C,H,W), 2 for (N,F). */
  x: string;
  rank: 2 | 4;
  input: Shape3;
  out: Shape3;
  /** This layer's parameters by suffix (weight, bias, gamma, beta), float32. */
  params: Record<string, Float32Array>;
  /** Batch-norm running mean then variance; empty for other kinds. */
  state: Float32Array;
  nodes: NodeObj[];
  initializers: TensorObj[];
}

export interface Exported {
  y: string;
  rank: 2 | 4;
}

type Exporter<K extends LayerKind> = (l: Extract<LayerSpec, { kind: K }>, s: ExportStep) => Exported;

/** Which ONNX operators each layer kind and option becomes (docs/interop.md shows this table). */
export const onnxOpsOf: { [K in LayerKind]: string } = {
  conv2d: 'Conv (zero or same padding in its pads); replicate padding: Pad mode edge, then Conv',
  maxpool: 'MaxPool',
  avgpool: 'AveragePool',
  globalavgpool: 'GlobalAveragePool',
  dense: 'Gemm (transB 1), after Flatten when the input is a map',
  flatten: 'Flatten (axis 1)',
  dropout: 'Dropout (ratio kept; identity in inference)',
  batchnorm: 'BatchNormalization (running statistics, momentum 1 − m)',
  activation: 'Relu | LeakyRelu | Sigmoid | Tanh | Softmax (axis 1) | nothing for linear',
};

const actOps: Record<Exclude<Activation, 'linear'>, string> = {
  relu: 'Relu',
  leaky_relu: 'LeakyRelu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
};

/** Appends the activation's node (none for linear) and returns the tensor it yields. */
export function activationNode(fn: Activation, x: string, name: string, s: ExportStep, slope = DEFAULT_LEAKY_SLOPE): string {
  if (fn === 'linear') return x;
  const y = `${name}_out`;
  const attrs = fn === 'leaky_relu' ? [attr.float('alpha', slope)] : fn === 'softmax' ? [attr.int('axis', 1)] : [];
  s.nodes.push(node(actOps[fn], name, [x], [y], attrs));
  return y;
}

/** Makes the incoming tensor (N,C,H,W): after a flatten or dense it is (N,F) with H = W = 1. */
function asMap(name: string, s: ExportStep): string {
  if (s.rank === 4) return s.x;
  const shape = `${name}.map_shape`;
  s.initializers.push(int64Tensor(shape, [4], [0, s.input.c, s.input.h, s.input.w]));
  s.nodes.push(node('Reshape', `${name}_to_map`, [s.x, shape], [`${name}_map`]));
  return `${name}_map`;
}

const conv2d: Exporter<'conv2d'> = (l, s) => {
  let x = asMap(l.name, s);
  const p = l.padding;
  let pads = [p.top, p.left, p.bottom, p.right];
  if (p.mode === 'replicate' && pads.some((v) => v > 0)) {
    const padsName = `${l.name}.pads`;
    s.initializers.push(int64Tensor(padsName, [8], [0, 0, p.top, p.left, 0, 0, p.bottom, p.right]));
    s.nodes.push(node('Pad', `${l.name}_pad`, [x, padsName], [`${l.name}_padded`], [attr.string('mode', 'edge')]));
    x = `${l.name}_padded`;
    pads = [0, 0, 0, 0];
  }
  const w = `${l.name}.weight`,
    b = `${l.name}.bias`;
  s.initializers.push(floatTensor(w, [l.filters, s.input.c, l.kernel[0], l.kernel[1]], s.params.weight));
  s.initializers.push(floatTensor(b, [l.filters], s.params.bias));
  const y = `${l.name}_conv`;
  s.nodes.push(
    node(
      'Conv',
      l.name,
      [x, w, b],
      [y],
      [
        attr.ints('kernel_shape', l.kernel),
        attr.ints('strides', l.stride),
        attr.ints('pads', pads),
        attr.ints('dilations', [1, 1]),
        attr.int('group', 1),
      ],
    ),
  );
  return { y: activationNode(l.activation, y, `${l.name}_${l.activation}`, s), rank: 4 };
};

type PoolLayer = Extract<LayerSpec, { kind: 'maxpool' | 'avgpool' }>;

function pool(op: 'MaxPool' | 'AveragePool'): (l: PoolLayer, s: ExportStep) => Exported {
  return (l, s) => {
    const x = asMap(l.name, s);
    const y = `${l.name}_out`;
    s.nodes.push(
      node(op, l.name, [x], [y], [attr.ints('kernel_shape', l.size), attr.ints('strides', l.stride), attr.ints('pads', [0, 0, 0, 0])]),
    );
    return { y, rank: 4 };
  };
}

const globalavgpool: Exporter<'globalavgpool'> = (l, s) => {
  const x = asMap(l.name, s);
  const y = `${l.name}_out`;
  s.nodes.push(node('GlobalAveragePool', l.name, [x], [y]));
  return { y, rank: 4 };
};

function flat(name: string, s: ExportStep): string {
  if (s.rank === 2) return s.x;
  s.nodes.push(node('Flatten', `${name}_flatten`, [s.x], [`${name}_flat`], [attr.int('axis', 1)]));
  return `${name}_flat`;
}

const dense: Exporter<'dense'> = (l, s) => {
  const x = flat(l.name, s);
  const w = `${l.name}.weight`,
    b = `${l.name}.bias`;
  const inputs = s.input.c * s.input.h * s.input.w;
  s.initializers.push(floatTensor(w, [l.units, inputs], s.params.weight));
  s.initializers.push(floatTensor(b, [l.units], s.params.bias));
  const y = `${l.name}_gemm`;
  s.nodes.push(node('Gemm', l.name, [x, w, b], [y], [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)]));
  return { y: activationNode(l.activation, y, `${l.name}_${l.activation}`, s), rank: 2 };
};

const flatten: Exporter<'flatten'> = (l, s) => {
  const y = `${l.name}_out`;
  s.nodes.push(node('Flatten', l.name, [s.x], [y], [attr.int('axis', 1)]));
  return { y, rank: 2 };
};

const dropout: Exporter<'dropout'> = (l, s) => {
  const ratio = `${l.name}.ratio`;
  s.initializers.push(floatTensor(ratio, [], [l.rate]));
  const y = `${l.name}_out`;
  s.nodes.push(node('Dropout', l.name, [s.x, ratio], [y]));
  return { y, rank: s.rank };
};

const batchnorm: Exporter<'batchnorm'> = (l, s) => {
  const c = s.input.c;
  const names = ['gamma', 'beta', 'running_mean', 'running_var'].map((k) => `${l.name}.${k}`);
  s.initializers.push(floatTensor(names[0], [c], s.params.gamma), floatTensor(names[1], [c], s.params.beta));
  s.initializers.push(floatTensor(names[2], [c], s.state.subarray(0, c)), floatTensor(names[3], [c], s.state.subarray(c, 2 * c)));
  const y = `${l.name}_out`;
  // ONNX's momentum weighs the old running value; convbook's (like PyTorch's) weighs the new batch.
  s.nodes.push(
    node('BatchNormalization', l.name, [s.x, ...names], [y], [attr.float('epsilon', l.eps), attr.float('momentum', 1 - l.momentum)]),
  );
  return { y, rank: s.rank };
};

const activation: Exporter<'activation'> = (l, s) => {
  if (l.fn === 'linear') {
    const y = `${l.name}_out`;
    s.nodes.push(node('Identity', l.name, [s.x], [y]));
    return { y, rank: s.rank };
  }
  return { y: activationNode(l.fn, s.x, l.name, s, l.slope), rank: s.rank };
};

export const onnxExporters: { [K in LayerKind]: Exporter<K> } = {
  conv2d,
  maxpool: pool('MaxPool'),
  avgpool: pool('AveragePool'),
  globalavgpool,
  dense,
  flatten,
  dropout,
  batchnorm,
  activation,
};

export function exportLayer(l: LayerSpec, s: ExportStep): Exported {
  return (onnxExporters[l.kind] as Exporter<LayerKind>)(l as never, s);
}
