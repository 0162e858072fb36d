// Builders for ONNX graph pieces as plain objects: float and int64 initializers, attributes, nodes and
// typed values. No encoding here (that is onnx-export.ts), no layer knowledge (that is onnx-layers.ts).
import { AttrType, DataType, type AttrObj, type NodeObj, type TensorObj, type ValueInfoObj } from './onnx-schema.js';

/** A float32 tensor stored little-endian in raw_data, as ONNX Runtime and PyTorch write them. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorObj {
  const raw = new Uint8Array(4 * values.length);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(4 * i, values[i], true);
  return { name, dims, data_type: DataType.FLOAT, raw_data: raw };
}

/** An int64 tensor (shapes, pads). */
export function int64Tensor(name: string, dims: number[], values: number[]): TensorObj {
  return { name, dims, data_type: DataType.INT64, int64_data: values };
}

export const attr = {
  int: (name: string, i: number): AttrObj => ({ name, type: AttrType.INT, i }),
  float: (name: string, f: number): AttrObj => ({ name, type: AttrType.FLOAT, f }),
  ints: (name: string, ints: number[]): AttrObj => ({ name, type: AttrType.INTS, ints }),
  string: (name: string, s: string): AttrObj => ({ name, type: AttrType.STRING, s: new TextEncoder().encode(s) }),
};

export function node(op: string, name: string, input: string[], output: string[], attribute: AttrObj[] = []): NodeObj {
  return { op_type: op, name, input, output, attribute };
}

/** A float tensor value whose first dimension is the symbolic batch size. */
export function batchValue(name: string, dims: number[]): ValueInfoObj {
  return {
    name,
    type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_param: 'batch' }, ...dims.map((d) => ({ dim_value: d }))] } } },
  };
}
