// importOnnx: the bytes of an ONNX file → a convbook ModelSpec with its weights and batch-norm state,
// or one clear error (not ONNX, truncated or corrupt, or the node and op type convbook cannot express).
// The graph must be one chain from its single (batch, C, H, W) input to its output; constants are folded.
import { inferShapes } from '../shapes.js';
import type { ModelSpec, Shape3 } from '../spec.js';
import { ImportFailure, decodeTensor, foldNode, type Const } from './onnx-consts.js';
import { onnxReaders, type ImportWalk, type ImportedLayer } from './onnx-ops.js';
import { ModelProto, type GraphObj, type ModelObj, type ValueInfoObj } from './onnx-schema.js';

export interface ImportedModel {
  spec: ModelSpec;
  /** In the order of createNet's params (per layer: weight, bias | gamma, beta), as named there. */
  tensors: Map<string, Float64Array>;
  /** Batch-norm running mean and variance per layer name. */
  state: Map<string, Float64Array>;
  /** convbook layer name → the ONNX node it came from. */
  origins: { layer: string; node: string }[];
  producer: string;
}

export type ImportResult = { ok: true; value: ImportedModel } | { ok: false; error: { message: string; node?: string; op?: string } };

function decodeModelProto(bytes: Uint8Array): ModelObj {
  if (bytes.length === 0) throw new ImportFailure('the file is empty, not an ONNX model');
  let m: ModelObj;
  try {
    m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true }) as ModelObj;
  } catch {
    throw new ImportFailure('the file is not an ONNX model, or it is truncated or corrupt: its bytes do not decode as an ONNX ModelProto');
  }
  if (!m.graph || !m.ir_version || !m.opset_import?.length) {
    throw new ImportFailure('the file is not an ONNX model: it has no graph, IR version or opset (is it an .onnx file?)');
  }
  return m;
}

function opsetOf(m: ModelObj): number {
  const o = m.opset_import!.find((s) => !s.domain || s.domain === 'ai.onnx');
  const v = Number(o?.version ?? 0);
  if (v < 9) throw new ImportFailure(`the model uses opset ${v}; convbook reads opset 9 or later`);
  return v;
}

function inputShape(g: GraphObj, consts: Map<string, Const>): { name: string; shape: Shape3 } {
  const data = (g.input ?? []).filter((i) => !consts.has(i.name));
  if (data.length !== 1)
    throw new ImportFailure(
      `the graph has ${data.length} data inputs (${data.map((i) => i.name).join(', ')}); convbook models take one image batch`,
    );
  const dims = data[0].type?.tensor_type?.shape?.dim ?? [];
  const fixed = dims.slice(1).map((d) => Number(d.dim_value ?? 0));
  if (dims.length !== 4 || fixed.some((d) => !(d > 0))) {
    throw new ImportFailure(
      `input ${data[0].name} must be (batch, channels, height, width) with fixed channels, height and width; it is ${describe(data[0])}`,
    );
  }
  return { name: data[0].name, shape: { c: fixed[0], h: fixed[1], w: fixed[2] } };
}

function describe(v: ValueInfoObj): string {
  const dims = v.type?.tensor_type?.shape?.dim ?? [];
  return `(${dims.map((d) => d.dim_param || (d.dim_value ?? '?')).join(', ')})`;
}

/** Layer names: convbook's own file keeps its layer names (its node names); others get conv1, pool1, …. */
function namer(keepNames: boolean): ImportWalk['name'] {
  const counts: Record<string, number> = {};
  const taken = new Set<string>();
  return (prefix, node) => {
    let name = node?.name ?? '';
    if (!keepNames || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || taken.has(name)) {
      do name = `${prefix}${(counts[prefix] = (counts[prefix] ?? 0) + 1)}`;
      while (taken.has(name));
    }
    taken.add(name);
    return name;
  };
}

function walkGraph(g: GraphObj, opset: number, name: string, keepNames: boolean): ImportedModel['spec'] & { imported: ImportedLayer[] } {
  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name ?? '', decodeTensor(t, `initializer ${t.name}`));
  const input = inputShape(g, consts);
  const layers: ImportedLayer[] = [];
  const specOf = (): ModelSpec => ({ name, input: input.shape, layers: layers.map((l) => l.spec), loss: 'cross_entropy', frozen: [] });
  const walk: ImportWalk = {
    layers,
    rank: 4,
    opset,
    convbookFile: keepNames,
    name: namer(keepNames),
    shape() {
      const r = inferShapes(specOf());
      if (!r.ok) throw new ImportFailure(`layer ${layers[r.layer]?.from ?? ''}: ${r.message}`);
      return r.layers.length ? r.layers[r.layers.length - 1].out : input.shape;
    },
  };
  let current = input.name;
  for (const n of g.node ?? []) {
    const ins = (n.input ?? []).map((i) => (i === '' ? undefined : i));
    const values = ins.map((i) => (i === undefined ? undefined : consts.get(i)));
    const data = ins.filter((i, k) => i !== undefined && values[k] === undefined);
    const label = `node ${n.name || '(unnamed)'} (${n.op_type})`;
    if (n.domain && n.domain !== 'ai.onnx')
      throw new ImportFailure(`${label}: operators of domain ${n.domain} are not supported`, n.name, n.op_type);
    if (data.length === 0) {
      const folded = foldNode(n, values);
      if (!folded) throw new ImportFailure(`${label}: a constant computed by ${n.op_type} cannot be folded by convbook`, n.name, n.op_type);
      consts.set(n.output?.[0] ?? '', folded);
      continue;
    }
    if (n.op_type === 'Shape' && data.length === 1 && data[0] === current && !n.attribute?.length) {
      // The shape of the data as a constant, its batch entry 0: what Reshape reads as "keep this dimension",
      // so view(x.size(0), -1) folds to Reshape (0, −1). Arithmetic on it is not folded, so it is refused.
      const s = walk.shape();
      consts.set(n.output?.[0] ?? '', {
        dims: [walk.rank],
        data: Float64Array.from(walk.rank === 4 ? [0, s.c, s.h, s.w] : [0, s.c * s.h * s.w]),
      });
      continue;
    }
    const reader = onnxReaders[n.op_type ?? ''];
    if (!reader) throw new ImportFailure(`${label}: operator ${n.op_type} is not supported`, n.name, n.op_type);
    if (data.length > 1 || data[0] !== current) {
      throw new ImportFailure(
        `${label}: reads ${data.join(' and ')}, but convbook models are one chain of layers (the chain is at ${current})`,
        n.name,
        n.op_type,
      );
    }
    const pad = walk.pendingPad;
    if (pad && !['Conv', 'MaxPool', 'AveragePool'].includes(n.op_type ?? '')) {
      throw new ImportFailure(
        `node ${pad.node} (Pad): a Pad is supported only right before a Conv (here ${n.op_type} follows it)`,
        pad.node,
        'Pad',
      );
    }
    reader(n, values, walk);
    current = n.output?.[0] ?? '';
  }
  if (walk.pendingPad)
    throw new ImportFailure(`node ${walk.pendingPad.node} (Pad): a Pad is supported only right before a Conv`, walk.pendingPad.node, 'Pad');
  const outputs = g.output ?? [];
  if (outputs.length !== 1 || outputs[0].name !== current) {
    throw new ImportFailure(
      `the graph's output${outputs.length === 1 ? ` ${outputs[0].name}` : 's'} must be the end of the chain of layers (${current})`,
    );
  }
  walk.shape(); // the final shapes must work out
  const last = inferShapes(specOf());
  const out = last.ok && last.layers.length ? last.layers[last.layers.length - 1].out : input.shape;
  return { ...specOf(), loss: out.h * out.w === 1 ? 'cross_entropy' : 'mse', imported: layers };
}

/** Reads an ONNX model; never throws. `name` becomes the spec's name. */
export function importOnnx(bytes: Uint8Array, name: string): ImportResult {
  try {
    const m = decodeModelProto(bytes);
    const { imported, ...spec } = walkGraph(m.graph!, opsetOf(m), name, m.producer_name === 'convbook');
    if (spec.layers.length === 0) throw new ImportFailure('the graph has no layers convbook can use');
    const loss = m.metadata_props?.find((p) => p.key === 'convbook.loss')?.value;
    if (loss === 'mse' || loss === 'cross_entropy') spec.loss = loss;
    const tensors = new Map<string, Float64Array>();
    const state = new Map<string, Float64Array>();
    for (const l of imported) {
      for (const [k, v] of Object.entries(l.tensors)) tensors.set(`${l.spec.name}.${k}`, v);
      if (l.state) state.set(l.spec.name, l.state);
    }
    const producer = [m.producer_name, m.producer_version].filter(Boolean).join(' ') || 'an unknown producer';
    return { ok: true, value: { spec, tensors, state, origins: imported.map((l) => ({ layer: l.spec.name, node: l.from })), producer } };
  } catch (e) {
    if (e instanceof ImportFailure) return { ok: false, error: { message: e.message, node: e.node, op: e.op } };
    // A graph that decodes but does not hang together (missing inputs, impossible shapes) is a damaged file.
    return {
      ok: false,
      error: {
        message: 'the file is truncated or corrupt: its graph does not hang together (a node lacks an input or a tensor its shape)',
      },
    };
  }
}
