// globalavgpool through the interop formats: the exported GlobalAveragePool runs in ONNX Runtime with
// convbook's outputs, reading the file back gives the same layers and outputs, and the PyTorch export
// (nn.AdaptiveAvgPool2d(1)) runs in Debian's torch with the same outputs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { exportTorch } from '../../runtime/interop/torch-export.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';
import { maxAbsDiff } from './models.js';
import { PYTHON, pythonSkip } from './python.js';
import { scratchDir } from './scratch.js';

const spec: ModelSpec = {
  name: 'gap',
  input: { c: 3, h: 9, w: 7 },
  layers: [
    {
      kind: 'conv2d',
      name: 'conv1',
      filters: 5,
      kernel: [3, 3],
      stride: [1, 1],
      padding: { mode: 'zero', top: 1, bottom: 1, left: 1, right: 1 },
      activation: 'relu',
      init: 'he',
    },
    { kind: 'globalavgpool', name: 'gap1' },
    { kind: 'dense', name: 'out', units: 4, activation: 'softmax', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};

describe('globalavgpool and ONNX', () => {
  const net = createNet(spec, { rng: createRng(3) });
  const n = 6;
  const rng = createRng(4);
  const x = Float32Array.from({ length: n * 3 * 9 * 7 }, () => rng.next());
  const mine = forwardBatched(net, x, n, n);

  it('exports as GlobalAveragePool, and ONNX Runtime agrees with convbook', async () => {
    const bytes = exportOnnx(net);
    expect(new TextDecoder('latin1').decode(bytes)).toContain('GlobalAveragePool');
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ input: new ort.Tensor('float32', x, [n, 3, 9, 7]) });
    expect(maxAbsDiff(out.output.data as Float32Array, mine)).toBeLessThanOrEqual(1e-5);
  });

  it('imports back as globalavgpool with the same outputs', () => {
    const r = importOnnx(exportOnnx(net), 'back');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.spec.layers.map((l) => l.kind)).toEqual(['conv2d', 'globalavgpool', 'dense']);
    const b = netOfImport(r.value);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(maxAbsDiff(forwardBatched(b.net, x, n, n), mine)).toBeLessThanOrEqual(1e-6);
  });

  it.skipIf(pythonSkip('torch') !== undefined)('exports to PyTorch as AdaptiveAvgPool2d(1), and torch agrees', () => {
    const dir = scratchDir('gap-torch');
    const t = exportTorch(net, 'gap.safetensors', 'test');
    expect(t.source).toContain('nn.AdaptiveAvgPool2d(1)');
    writeFileSync(join(dir, 'gap.py'), t.source);
    writeFileSync(join(dir, 'gap.safetensors'), t.weights);
    writeFileSync(join(dir, 'x.bin'), x);
    const script = [
      'import sys, importlib, torch',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'model = importlib.import_module("gap").load()',
      `d = ${JSON.stringify(dir)}`,
      `x = torch.frombuffer(bytearray(open(d + "/x.bin", "rb").read()), dtype=torch.float32).reshape(${n}, 3, 9, 7)`,
      'open(d + "/y.bin", "wb").write(model(x).detach().contiguous().numpy().astype("float32").tobytes())',
    ].join('\n');
    execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const b = readFileSync(join(dir, 'y.bin'));
    expect(maxAbsDiff(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4), mine)).toBeLessThanOrEqual(1e-5);
  });
});
