// The part of the ONNX protobuf schema convbook reads and writes, built with protobufjs reflection.
// Field numbers follow the ONNX IR spec (onnx.proto, IR version 7+); messages and fields we never use are
// left out, and protobufjs skips unknown fields when decoding, so files with more still read.
import protobuf from 'protobufjs';

const { Enum, Field, Root, Type } = protobuf;

/** ONNX TensorProto.DataType values convbook meets. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

/** ONNX AttributeProto.AttributeType values. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function message(name: string, fields: [string, number, string, ('repeated' | undefined)?][]): protobuf.Type {
  const t = new Type(name);
  for (const [field, id, type, rule] of fields) t.add(new Field(field, id, type, rule));
  return t;
}

function buildRoot(): protobuf.Root {
  const root = new Root();
  root.add(
    new Enum('AttributeType', {
      UNDEFINED: 0,
      FLOAT: 1,
      INT: 2,
      STRING: 3,
      TENSOR: 4,
      GRAPH: 5,
      FLOATS: 6,
      INTS: 7,
      STRINGS: 8,
      TENSORS: 9,
      GRAPHS: 10,
    }),
  );
  root.add(
    message('OperatorSetIdProto', [
      ['domain', 1, 'string'],
      ['version', 2, 'int64'],
    ]),
  );
  root.add(
    message('StringStringEntryProto', [
      ['key', 1, 'string'],
      ['value', 2, 'string'],
    ]),
  );
  root.add(
    message('TensorProto', [
      ['dims', 1, 'int64', 'repeated'],
      ['data_type', 2, 'int32'],
      ['float_data', 4, 'float', 'repeated'],
      ['int32_data', 5, 'int32', 'repeated'],
      ['int64_data', 7, 'int64', 'repeated'],
      ['name', 8, 'string'],
      ['raw_data', 9, 'bytes'],
      ['double_data', 10, 'double', 'repeated'],
      ['doc_string', 12, 'string'],
      ['external_data', 13, 'StringStringEntryProto', 'repeated'],
      ['data_location', 14, 'int32'],
    ]),
  );
  root.add(
    message('AttributeProto', [
      ['name', 1, 'string'],
      ['f', 2, 'float'],
      ['i', 3, 'int64'],
      ['s', 4, 'bytes'],
      ['t', 5, 'TensorProto'],
      ['floats', 7, 'float', 'repeated'],
      ['ints', 8, 'int64', 'repeated'],
      ['strings', 9, 'bytes', 'repeated'],
      ['doc_string', 13, 'string'],
      ['type', 20, 'AttributeType'],
    ]),
  );
  root.add(
    message('NodeProto', [
      ['input', 1, 'string', 'repeated'],
      ['output', 2, 'string', 'repeated'],
      ['name', 3, 'string'],
      ['op_type', 4, 'string'],
      ['attribute', 5, 'AttributeProto', 'repeated'],
      ['doc_string', 6, 'string'],
      ['domain', 7, 'string'],
    ]),
  );
  const dim = new Type('Dimension').add(new Field('dim_value', 1, 'int64')).add(new Field('dim_param', 2, 'string'));
  root.add(message('TensorShapeProto', [['dim', 1, 'Dimension', 'repeated']]).add(dim));
  const tensorType = message('Tensor', [
    ['elem_type', 1, 'int32'],
    ['shape', 2, 'TensorShapeProto'],
  ]);
  root.add(message('TypeProto', [['tensor_type', 1, 'Tensor']]).add(tensorType));
  root.add(
    message('ValueInfoProto', [
      ['name', 1, 'string'],
      ['type', 2, 'TypeProto'],
      ['doc_string', 3, 'string'],
    ]),
  );
  root.add(
    message('GraphProto', [
      ['node', 1, 'NodeProto', 'repeated'],
      ['name', 2, 'string'],
      ['initializer', 5, 'TensorProto', 'repeated'],
      ['doc_string', 10, 'string'],
      ['input', 11, 'ValueInfoProto', 'repeated'],
      ['output', 12, 'ValueInfoProto', 'repeated'],
      ['value_info', 13, 'ValueInfoProto', 'repeated'],
    ]),
  );
  root.add(
    message('ModelProto', [
      ['ir_version', 1, 'int64'],
      ['producer_name', 2, 'string'],
      ['producer_version', 3, 'string'],
      ['domain', 4, 'string'],
      ['model_version', 5, 'int64'],
      ['doc_string', 6, 'string'],
      ['graph', 7, 'GraphProto'],
      ['opset_import', 8, 'OperatorSetIdProto', 'repeated'],
      ['metadata_props', 14, 'StringStringEntryProto', 'repeated'],
    ]),
  );
  root.resolveAll();
  return root;
}

export const onnxRoot = buildRoot();
export const ModelProto = onnxRoot.lookupType('ModelProto');

// Plain objects as protobufjs takes and gives them (int64 as numbers after toObject({ longs: Number })).
export interface TensorObj {
  name?: string;
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
}
export interface AttrObj {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorObj;
  floats?: number[];
  ints?: number[];
}
export interface NodeObj {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttrObj[];
}
export interface ValueInfoObj {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}
export interface GraphObj {
  name?: string;
  node?: NodeObj[];
  initializer?: TensorObj[];
  input?: ValueInfoObj[];
  output?: ValueInfoObj[];
}
export interface ModelObj {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: GraphObj;
  opset_import?: { domain?: string; version?: number }[];
  metadata_props?: { key?: string; value?: string }[];
}
