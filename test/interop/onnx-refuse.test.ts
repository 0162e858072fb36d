// ONNX import refuses what convbook cannot express, naming the node and its op type: groups, ceil mode,
// padded pools, unknown operators, a graph that is not one chain. The graphs are built here with the
// same protobuf schema the exporter uses, each a small variation of a valid one.
import { describe, expect, it } from 'vitest';
import { attr, batchValue, floatTensor, node } from '../../runtime/interop/onnx-graph.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { ModelProto, type AttrObj, type NodeObj, type TensorObj } from '../../runtime/interop/onnx-schema.js';

function model(nodes: NodeObj[], inits: TensorObj[], out = 'y'): Uint8Array {
  return ModelProto.encode(
    ModelProto.fromObject({
      ir_version: 7,
      opset_import: [{ domain: '', version: 13 }],
      graph: { name: 'g', node: nodes, initializer: inits, input: [batchValue('x', [2, 8, 8])], output: [batchValue(out, [4, 6, 6])] },
    }),
  ).finish();
}

const w = (c = 2) => floatTensor('w', [4, c, 3, 3], new Array(4 * c * 9).fill(0.1));
const conv = (extra: AttrObj[] = [], inits = ['x', 'w']): NodeObj =>
  node('Conv', 'c1', inits, ['y'], [attr.ints('kernel_shape', [3, 3]), ...extra]);

describe('ONNX import refuses what convbook cannot express', () => {
  it('accepts the plain version of the test graph', () => {
    const r = importOnnx(model([conv()], [w()]), 'm');
    expect(r.ok).toBe(true);
  });

  const cases: [string, Uint8Array, string][] = [
    [
      'groups',
      model([conv([attr.int('group', 2)])], [w(1)]),
      'node c1 (Conv): groups 2 is not supported (convbook convolves over all input channels)',
    ],
    [
      'dilation',
      model([conv([attr.ints('dilations', [2, 2])])], [w()]),
      "node c1 (Conv): dilation 2×2 is not supported (convbook's windows are dense)",
    ],
    [
      'ceil mode',
      model(
        [node('MaxPool', 'p1', ['x'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [3, 3]), attr.int('ceil_mode', 1)])],
        [],
      ),
      'node p1 (MaxPool): ceil_mode 1 is not supported (convbook rounds window counts down)',
    ],
    [
      'padded pool',
      model([node('AveragePool', 'p1', ['x'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])])], []),
      'node p1 (AveragePool): pads [1, 1, 1, 1] are not supported (convbook pools have no padding)',
    ],
    ['unknown op', model([node('Erf', 'e1', ['x'], ['y'])], []), 'node e1 (Erf): operator Erf is not supported'],
    [
      'reflect pad',
      model(
        [node('Pad', 'pad1', ['x', 'pads'], ['p'], [attr.string('mode', 'reflect')]), conv([], ['p', 'w'])],
        [w(), { name: 'pads', dims: [8], data_type: 7, int64_data: [0, 0, 1, 1, 0, 0, 1, 1] }],
      ),
      'node pad1 (Pad): mode reflect is not supported (convbook pads with zeros or edge pixels)',
    ],
    [
      'pad before an activation',
      model(
        [node('Pad', 'pad1', ['x', 'pads'], ['p']), node('Sigmoid', 's1', ['p'], ['y'])],
        [{ name: 'pads', dims: [8], data_type: 7, int64_data: [0, 0, 1, 1, 0, 0, 1, 1] }],
      ),
      'node pad1 (Pad): a Pad is supported only right before a Conv (here Sigmoid follows it)',
    ],
    [
      'not a chain',
      model([node('Relu', 'r1', ['x'], ['a']), node('Sigmoid', 's1', ['x'], ['b']), node('Add', 'add1', ['a', 'b'], ['y'])], []),
      'node s1 (Sigmoid): reads x, but convbook models are one chain of layers (the chain is at a)',
    ],
    [
      'softmax axis',
      model([node('Softmax', 'sm', ['x'], ['y'], [attr.int('axis', 2)])], []),
      "node sm (Softmax): softmax over axis 2 is not supported (convbook's softmax runs over the channels, axis 1)",
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(`${what}: refused with the node and op type`, () => {
      const r = importOnnx(bytes, 'm');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toBe(message);
    });
  }

  it('a weight whose raw bytes do not fill its dimensions is reported as a damaged file', () => {
    const t = w();
    t.raw_data = t.raw_data!.subarray(0, 100);
    const r = importOnnx(model([conv()], [t]), 'm');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toBe(
        'initializer w holds 100 bytes but its dimensions [4, 2, 3, 3] need 288: the file is truncated or corrupt',
      );
  });
});
