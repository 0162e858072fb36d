// ONNX export checked by the real runtimes: ONNX Runtime (onnxruntime-node) runs every exported model and
// agrees with convbook on every test image (same argmax, max |Δp| ≤ 1e-5) at several batch sizes, and
// Debian's python3-onnx checker (full check, with shape inference) accepts every exported file.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../runtime/data/dataset.js';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { Net } from '../../runtime/types.js';
import { argmaxRows, digits, everyKind, lenet, maxAbsDiff, oddShapes, testImages, trained } from './models.js';
import { pythonSkip } from './python.js';
import { scratchDir } from './scratch.js';

const dir = scratchDir('onnx');
let data: Dataset;
const nets: Record<string, Net> = {};

beforeAll(async () => {
  data = await digits();
  nets.every_kind = await trained(everyKind, data);
  nets.lenet = await trained(lenet, data);
  // Not trained (its input is colour): random weights and fresh batch-norm statistics still must agree.
  nets.odd_shapes = createNet(oddShapes, { rng: createRng(5) });
}, 120_000);

function inputsOf(net: Net, n: number): Float32Array {
  if (net.spec.input.c === 1) return testImages(data).subarray(0, n * 784);
  const rng = createRng(9);
  return Float32Array.from({ length: n * net.spec.input.c * net.spec.input.h * net.spec.input.w }, () => rng.next());
}

async function runOrt(bytes: Uint8Array, x: Float32Array, n: number, net: Net): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const { c, h, w } = net.spec.input;
  const out = await session.run({ input: new ort.Tensor('float32', x.subarray(0, n * c * h * w), [n, c, h, w]) });
  expect(session.inputNames).toEqual(['input']);
  expect(session.outputNames).toEqual(['output']);
  return out.output.data as Float32Array;
}

describe('ONNX export', () => {
  for (const name of ['every_kind', 'lenet', 'odd_shapes']) {
    it(`${name}: ONNX Runtime gives convbook's outputs on every test image, at any batch size`, async () => {
      const net = nets[name];
      const bytes = exportOnnx(net);
      writeFileSync(join(dir, `${name}.onnx`), bytes);
      const n = data.test.count;
      const x = inputsOf(net, n);
      const mine = forwardBatched(net, x, n, 50);
      const k = mine.length / n;
      const theirs = await runOrt(bytes, x, n, net);
      const d = maxAbsDiff(theirs, mine);
      console.log(`${name}: max |Δ output| over ${n} images = ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(1e-5);
      expect(argmaxRows(theirs, n)).toEqual(argmaxRows(mine, n));
      // The batch dimension is symbolic: one image and an odd batch run through the same file.
      for (const m of [1, 37]) expect(maxAbsDiff(await runOrt(bytes, x, m, net), mine.subarray(0, m * k))).toBeLessThanOrEqual(1e-5);
    });
  }

  it('the every-kind model uses every operator convbook exports', () => {
    const text = new TextDecoder('latin1').decode(exportOnnx(nets.every_kind));
    for (const op of [
      'Conv',
      'Pad',
      'edge',
      'MaxPool',
      'AveragePool',
      'BatchNormalization',
      'Flatten',
      'Dropout',
      'Gemm',
      'Relu',
      'LeakyRelu',
      'Sigmoid',
      'Tanh',
      'Softmax',
    ]) {
      expect(text).toContain(op);
    }
  });

  it.skipIf(pythonSkip('onnx') !== undefined)("Debian's onnx checker accepts every exported file", () => {
    for (const name of Object.keys(nets)) writeFileSync(join(dir, `${name}.onnx`), exportOnnx(nets[name]));
    const script = [
      'import sys, onnx',
      'for p in sys.argv[1:]:',
      '    m = onnx.load(p)',
      '    onnx.checker.check_model(m, full_check=True)',
      '    assert m.opset_import[0].version >= 13',
      '    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"',
      '    print("ok", p)',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script, ...Object.keys(nets).map((k) => join(dir, `${k}.onnx`))], {
      encoding: 'utf8',
    });
    expect(out.trim().split('\n')).toHaveLength(Object.keys(nets).length);
  });
});
