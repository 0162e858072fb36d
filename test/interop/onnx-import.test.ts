// ONNX import: networks exported by PyTorch (test/fixtures/onnx, made by scripts/fixtures/make_onnx_fixtures.py)
// predict what PyTorch predicted on 100 images within 1e-5; what convbook cannot express is refused with the
// node's name and op type; damaged files get a plain error; convbook's own export reads back exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { importOnnx, type ImportResult } from '../../runtime/interop/onnx-import.js';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { transferLayers } from '../../runtime/transfer.js';
import type { Net } from '../../runtime/types.js';
import { argmaxRows, digits, everyKind, lenet, maxAbsDiff, trained } from './models.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${name}.onnx`, import.meta.url)));
const reference = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/onnx/${name}.json`, import.meta.url), 'utf8')) as {
    input: number[];
    shape: number[];
    output: number[];
    classes: number;
  };

function netOf(r: ImportResult): Net {
  if (!r.ok) throw new Error(r.error.message);
  const b = netOfImport(r.value);
  if (!b.ok) throw new Error(b.error);
  return b.net;
}

describe('ONNX import of PyTorch-made networks', () => {
  for (const name of ['lenet', 'bn_avg']) {
    it(`${name}: the imported model predicts what PyTorch did on 100 images (≤ 1e-5)`, () => {
      const net = netOf(importOnnx(fixture(name), name));
      const ref = reference(name);
      const n = ref.shape[0];
      const y = forwardBatched(net, Float32Array.from(ref.input), n, 25);
      const d = maxAbsDiff(y, ref.output);
      console.log(`${name}: ${net.spec.layers.map((l) => l.kind).join(' ')}; max |Δ| against PyTorch = ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(1e-5);
      expect(argmaxRows(y, n)).toEqual(argmaxRows(ref.output, n));
    });
  }

  it('reads LeNet as convbook layers with convbook names, fused activations and the trained weights', () => {
    const r = importOnnx(fixture('lenet'), 'pre');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.spec.layers.map((l) => `${l.name}:${l.kind}${'activation' in l ? `:${l.activation}` : ''}`)).toEqual([
      'conv1:conv2d:relu',
      'pool1:maxpool',
      'conv2:conv2d:relu',
      'pool2:maxpool',
      'flatten1:flatten',
      'dense1:dense:relu',
      'dense2:dense:relu',
      'dense3:dense:linear',
    ]);
    expect(r.value.spec.layers[0]).toMatchObject({ kernel: [5, 5], padding: { mode: 'zero', top: 2, bottom: 2, left: 2, right: 2 } });
    expect(r.value.origins[0]).toEqual({ layer: 'conv1', node: '/features/features.0/Conv' });
  });

  it('reads the replicate padding PyTorch computes with shape arithmetic, batch norm and average pooling', () => {
    const r = importOnnx(fixture('bn_avg'), 'b');
    if (!r.ok) throw new Error(r.error.message);
    const conv2 = r.value.spec.layers.find((l) => l.name === 'conv2');
    expect(conv2).toMatchObject({
      padding: { mode: 'replicate', top: 1, bottom: 1, left: 1, right: 1 },
      stride: [2, 2],
      activation: 'linear',
    });
    expect(r.value.spec.layers.map((l) => l.kind)).toEqual(expect.arrayContaining(['batchnorm', 'avgpool', 'activation']));
    expect(r.value.spec.layers.find((l) => l.kind === 'activation' && l.fn === 'leaky_relu')).toMatchObject({ slope: 0.1 });
  });

  it('refuses a dilated convolution with the node name and op type', () => {
    const r = importOnnx(fixture('unsupported'), 'u');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ node: '/conv/Conv', op: 'Conv' });
    expect(r.error.message).toBe("node /conv/Conv (Conv): dilation 2×2 is not supported (convbook's windows are dense)");
  });

  it('gives plain errors for a file that is not ONNX, empty, truncated or corrupt', () => {
    const lenet = fixture('lenet');
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['text', new TextEncoder().encode('model lenet(input: 28x28x1) {\n  conv 6 kernel 5x5\n}\n')],
      ['png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      ['truncated', lenet.subarray(0, Math.floor(lenet.length * 0.6))],
      ['truncated-early', lenet.subarray(0, 40)],
    ];
    const flipped = lenet.slice();
    for (let i = 200; i < 260; i++) flipped[i] = 0xff;
    cases.push(['corrupt', flipped]);
    for (const [what, bytes] of cases) {
      const r = importOnnx(bytes, 'x');
      expect(r.ok, what).toBe(false);
      if (r.ok) continue;
      console.log(`${what}: ${r.error.message}`);
      expect(r.error.message, what).toMatch(/not an ONNX model|truncated or corrupt|empty/);
      expect(r.error.message, what).not.toMatch(/undefined|TypeError|index out of range|RangeError/);
    }
  });

  it('never throws on damaged bytes, and its errors are in plain words (500 seeded corruptions)', () => {
    const rng = createRng(15);
    const good = fixture('bn_avg');
    let refused = 0;
    for (let k = 0; k < 500; k++) {
      const bytes = good.slice(0, k % 5 === 0 ? 1 + rng.int(good.length) : good.length);
      for (let j = 0; j < 1 + rng.int(8); j++) bytes[rng.int(bytes.length)] = rng.int(256);
      const r = importOnnx(bytes, 'x');
      if (r.ok) continue;
      refused++;
      expect(r.error.message).not.toMatch(/TypeError|RangeError|undefined|Cannot read|index out of range|is not a function/);
    }
    expect(refused).toBeGreaterThan(100);
  });

  it("convbook's own export reads back to the same spec, layer names and bits", async () => {
    const data = await digits(128, 20);
    const net = await trained(everyKind, data);
    const back = netOf(importOnnx(exportOnnx(net), 'every_kind'));
    expect(back.spec.loss).toBe('cross_entropy');
    const mse = netOf(importOnnx(exportOnnx(createNet({ ...lenet, loss: 'mse' })), 'm'));
    expect(mse.spec.loss).toBe('mse');
    expect(back.spec.layers.map((l) => `${l.name}:${l.kind}`)).toEqual(net.spec.layers.map((l) => `${l.name}:${l.kind}`));
    expect(Array.from(back.paramBuf)).toEqual(Array.from(net.paramBuf));
    expect(Array.from(back.stateBuf)).toEqual(Array.from(net.stateBuf));
    for (let i = 0; i < net.spec.layers.length; i++) {
      const want = { ...net.spec.layers[i] } as Record<string, unknown>;
      const got = { ...back.spec.layers[i] } as Record<string, unknown>;
      if (want.kind === 'conv2d' || want.kind === 'dense') (delete want.init, delete got.init);
      expect(got).toEqual(want);
    }
  });

  it("convbook's LeNet (dense straight after a map) reads back without an extra flatten layer", async () => {
    const net = await trained(lenet, await digits(64, 10));
    const back = netOf(importOnnx(exportOnnx(net), 'lenet'));
    expect(back.spec.layers.map((l) => l.name)).toEqual(net.spec.layers.map((l) => l.name));
    expect(Array.from(back.paramBuf)).toEqual(Array.from(net.paramBuf));
  });

  it('transfer learning from the imported LeNet: frozen conv layers copied, a new head trains', () => {
    const pre = netOf(importOnnx(fixture('lenet'), 'pre'));
    const spec = {
      ...pre.spec,
      name: 'b',
      frozen: ['conv1', 'conv2'],
      layers: [
        ...pre.spec.layers.slice(0, -1),
        { kind: 'dense' as const, name: 'head', units: 5, activation: 'softmax' as const, init: 'glorot' as const },
      ],
    };
    const b = createNet(spec, { rng: createRng(1) });
    const copied = transferLayers(b, pre, ['conv1', 'conv2', 'dense1', 'dense2']);
    expect(copied.ok).toBe(true);
    const w = b.params.find((p) => p.name === 'conv1.weight')!;
    expect(Array.from(w.value)).toEqual(Array.from(pre.params.find((p) => p.name === 'conv1.weight')!.value));
  });
});
