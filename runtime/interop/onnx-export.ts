// exportOnnx: a built network with its trained weights → the bytes of an ONNX model (opset 13, IR 7):
// input "input" (batch, C, H, W), output "output" (batch, …), the batch dimension symbolic.
// The per-kind mapping is the table in onnx-layers.ts; protobufjs does the encoding.
import type { Net } from '../types.js';
import { batchValue, node } from './onnx-graph.js';
import { exportLayer, type ExportStep } from './onnx-layers.js';
import { ModelProto, type ModelObj, type NodeObj, type TensorObj } from './onnx-schema.js';

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;

/** The graph of a net: nodes, initializers, and the output's dimensions after the batch. */
export function onnxGraphOf(net: Net): { nodes: NodeObj[]; initializers: TensorObj[]; outDims: number[] } {
  const nodes: NodeObj[] = [];
  const initializers: TensorObj[] = [];
  const byLayer = new Map<string, Record<string, Float32Array>>();
  for (const p of net.params) {
    const m = byLayer.get(p.layer) ?? {};
    m[p.name.slice(p.layer.length + 1)] = Float32Array.from(p.value);
    byLayer.set(p.layer, m);
  }
  let x = 'input';
  let rank = 4 as 2 | 4;
  let input = net.spec.input;
  let stateAt = 0;
  net.spec.layers.forEach((l, i) => {
    const stateSize = l.kind === 'batchnorm' ? 2 * input.c : 0;
    const step: ExportStep = {
      x,
      rank,
      input,
      out: net.info[i].out,
      params: byLayer.get(l.name) ?? {},
      state: Float32Array.from(net.stateBuf.subarray(stateAt, stateAt + stateSize)),
      nodes,
      initializers,
    };
    stateAt += stateSize;
    const r = exportLayer(l, step);
    x = r.y;
    rank = r.rank;
    input = net.info[i].out;
  });
  // The last tensor is renamed "output" (an Identity when no node produced it, e.g. no layers).
  const last = nodes[nodes.length - 1];
  if (last && last.output?.[0] === x) {
    for (const n of nodes) n.input = n.input?.map((v) => (v === x ? 'output' : v));
    last.output = ['output'];
  } else nodes.push(node('Identity', 'output_identity', [x], ['output']));
  const outDims = rank === 2 ? [input.c * input.h * input.w] : [input.c, input.h, input.w];
  return { nodes, initializers, outDims };
}

export function exportOnnx(net: Net, opts: { version?: string; doc?: string } = {}): Uint8Array {
  const { nodes, initializers, outDims } = onnxGraphOf(net);
  const { c, h, w } = net.spec.input;
  const model: ModelObj = {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'convbook',
    producer_version: opts.version ?? '',
    doc_string: opts.doc ?? `convbook model ${net.spec.name}`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    // What ONNX has no field for, so convbook's import gets the same model back.
    metadata_props: [{ key: 'convbook.loss', value: net.spec.loss }],
    graph: {
      name: net.spec.name,
      node: nodes,
      initializer: initializers,
      input: [batchValue('input', [c, h, w])],
      output: [batchValue('output', outDims)],
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model as Record<string, unknown>)).finish();
}
