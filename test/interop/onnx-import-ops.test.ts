// ONNX import of the operator forms PyTorch's own nets rarely show but other exporters write: MatMul + Add,
// Gemm with transB 0 and alpha/beta, a Conv without bias after a zero Pad, Reshape (0, −1), Softmax axis −1,
// LeakyRelu with its own alpha. Each graph is built here, run by ONNX Runtime, and must agree with the import.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr, batchValue, floatTensor, int64Tensor, node } from '../../runtime/interop/onnx-graph.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { ModelProto, type NodeObj, type TensorObj } from '../../runtime/interop/onnx-schema.js';
import { forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { maxAbsDiff } from './models.js';

const rng = createRng(3);
const rand = (n: number) => Array.from({ length: n }, () => rng.normal() * 0.5);

function model(nodes: NodeObj[], inits: TensorObj[], outDims: number[]): Uint8Array {
  return ModelProto.encode(
    ModelProto.fromObject({
      ir_version: 7,
      producer_name: 'hand',
      opset_import: [{ domain: '', version: 13 }],
      graph: { name: 'g', node: nodes, initializer: inits, input: [batchValue('x', [2, 6, 6])], output: [batchValue('y', outDims)] },
    }),
  ).finish();
}

const graph = model(
  [
    node('Pad', 'pad', ['x', 'pads'], ['p']),
    node('Conv', 'conv', ['p', 'cw'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [1, 1])]),
    node('LeakyRelu', 'leaky', ['c'], ['l'], [attr.float('alpha', 0.3)]),
    node('Reshape', 'reshape', ['l', 'shape'], ['f']),
    node('MatMul', 'mm', ['f', 'mw'], ['m']),
    node('Add', 'add', ['m', 'mb'], ['a']),
    node('Tanh', 'tanh', ['a'], ['t']),
    node('Gemm', 'gemm', ['t', 'gw', 'gb'], ['g'], [attr.float('alpha', 0.5), attr.float('beta', 2), attr.int('transB', 0)]),
    node('Softmax', 'softmax', ['g'], ['y'], [attr.int('axis', -1)]),
  ],
  [
    int64Tensor('pads', [8], [0, 0, 1, 0, 0, 0, 0, 1]),
    floatTensor('cw', [3, 2, 3, 3], rand(54)),
    int64Tensor('shape', [2], [0, -1]),
    floatTensor('mw', [3 * 5 * 5, 8], rand(600)),
    floatTensor('mb', [8], rand(8)),
    floatTensor('gw', [8, 4], rand(32)),
    floatTensor('gb', [4], rand(4)),
  ],
  [4],
);

describe("ONNX import of other exporters' operator forms", () => {
  it('Reshape (−1, C·H·W), as view(-1, n) exports it, is a flatten', async () => {
    const g = model(
      [node('Reshape', 'reshape', ['x', 'shape'], ['f']), node('Gemm', 'gemm', ['f', 'w', 'b'], ['y'], [attr.int('transB', 1)])],
      [int64Tensor('shape', [2], [-1, 72]), floatTensor('w', [4, 72], rand(288)), floatTensor('b', [4], rand(4))],
      [4],
    );
    const r = importOnnx(g, 'v');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.spec.layers.map((l) => l.kind)).toEqual(['flatten', 'dense']);
    const b = netOfImport(r.value);
    if (!b.ok) throw new Error(b.error);
    const x = Float32Array.from(rand(5 * 72));
    const theirs = (await (await ort.InferenceSession.create(g)).run({ x: new ort.Tensor('float32', x, [5, 2, 6, 6]) })).y
      .data as Float32Array;
    expect(maxAbsDiff(theirs, forwardBatched(b.net, x, 5, 5))).toBeLessThanOrEqual(1e-6);
  });

  it('a stride that does not divide is imported with round floor, and a model built from it checks', async () => {
    const g = model(
      [node('Conv', 'c', ['x', 'cw'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2])])],
      [floatTensor('cw', [3, 2, 3, 3], rand(54))],
      [3, 2, 2],
    );
    const r = importOnnx(g, 'v');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.spec.layers[0]).toMatchObject({ kind: 'conv2d', stride: [2, 2], round: 'floor' });
    const { compile } = await import('../../dsl/compile.js');
    const env = { models: { v: r.value.spec }, data: {} };
    const c = compile('model b from v freeze conv1 { append dense 3 softmax }', env);
    expect(c.ok ? [] : c.diagnostics.map((d) => d.message)).toEqual([]);
  });

  it('a reshape that splits examples is refused by name', () => {
    const g = model([node('Reshape', 'reshape', ['x', 'shape'], ['y'])], [int64Tensor('shape', [2], [-1, 36])], [36]);
    const r = importOnnx(g, 'v');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toBe(
        'node reshape (Reshape): reshape to [-1, 36] is not supported; only flattening each example (batch, 72) is',
      );
  });

  it('MatMul + Add, Gemm transB 0 with alpha/beta, bias-free Conv after a zero Pad, Reshape, Softmax −1: ONNX Runtime agrees', async () => {
    const r = importOnnx(graph, 'hand');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.spec.layers.map((l) => l.kind)).toEqual(['conv2d', 'activation', 'flatten', 'dense', 'dense']);
    expect(r.value.spec.layers[0]).toMatchObject({ padding: { mode: 'zero', top: 1, left: 0, bottom: 0, right: 1 } });
    const b = netOfImport(r.value);
    if (!b.ok) throw new Error(b.error);
    const n = 9;
    const x = Float32Array.from(rand(n * 72));
    const mine = forwardBatched(b.net, x, n, 4);
    const session = await ort.InferenceSession.create(graph);
    const theirs = (await session.run({ x: new ort.Tensor('float32', x, [n, 2, 6, 6]) })).y.data as Float32Array;
    const d = maxAbsDiff(theirs, mine);
    expect(d).toBeLessThanOrEqual(1e-6);
  });
});
