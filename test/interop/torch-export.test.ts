// PyTorch export run by Debian's torch: the generated nn.Module, loaded with its weights by the generated
// loader alone, gives convbook's logits and probabilities within 1e-5, and one SGD step in PyTorch and in
// convbook from the same weights and batch gives the same weights and running statistics within 1e-5.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportTorch } from '../../runtime/interop/torch-export.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec, TrainSpec } from '../../runtime/spec.js';
import { train } from '../../runtime/train/loop.js';
import type { Net } from '../../runtime/types.js';
import { digits, everyKind, lenet, maxAbsDiff, testImages, trained } from './models.js';
import { PYTHON, pythonSkip } from './python.js';
import { scratchDir } from './scratch.js';

const noTorch = pythonSkip('torch') !== undefined;

/** Writes the module and weights, then runs `body` in Python with `model` loaded from them. */
function runTorch(net: Net, dir: string, body: string[]): void {
  const t = exportTorch(net, `${net.spec.name}.safetensors`, 'test');
  writeFileSync(join(dir, `${net.spec.name}.py`), t.source);
  writeFileSync(join(dir, `${net.spec.name}.safetensors`), t.weights);
  const script = [
    'import sys, importlib.util, torch',
    `sys.path.insert(0, ${JSON.stringify(dir)})`,
    `mod = importlib.import_module(${JSON.stringify(net.spec.name)})`,
    'model = mod.load()',
    `d = ${JSON.stringify(dir)}`,
    'def read(name, dtype, shape): return torch.frombuffer(bytearray(open(d + "/" + name, "rb").read()), dtype=dtype).reshape(shape)',
    'def write(name, t): open(d + "/" + name, "wb").write(t.detach().contiguous().numpy().astype("float32").tobytes())',
    ...body,
  ].join('\n');
  execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const f32 = (dir: string, name: string) => {
  const b = readFileSync(join(dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

/** The same net without its final softmax: convbook's logits. */
function logitsNet(net: Net): Net {
  const layers = net.spec.layers.map((l, i) =>
    i === net.spec.layers.length - 1 && 'activation' in l ? { ...l, activation: 'linear' as const } : l,
  );
  return createNet({ ...net.spec, layers }, { params: net.paramBuf, state: net.stateBuf });
}

describe.skipIf(noTorch)('PyTorch export', () => {
  for (const spec of [everyKind, lenet]) {
    it(`${spec.name}: torch runs the exported module and gives convbook's logits and outputs (≤ 1e-5)`, async () => {
      const data = await digits(256, 100);
      const net = await trained(spec, data);
      const dir = scratchDir('torch');
      const n = data.test.count;
      const x = testImages(data);
      writeFileSync(join(dir, 'x.bin'), x);
      const { c, h, w } = data.shape;
      runTorch(net, dir, [
        `x = read("x.bin", torch.float32, (${n}, ${c}, ${h}, ${w}))`,
        'with torch.no_grad():',
        '    write("y.bin", model(x))',
        '    write("z.bin", model.logits(x) if hasattr(model, "logits") else model(x))',
      ]);
      const dy = maxAbsDiff(f32(dir, 'y.bin'), forwardBatched(net, x, n, 50));
      const dz = maxAbsDiff(f32(dir, 'z.bin'), forwardBatched(logitsNet(net), x, n, 50));
      console.log(`${spec.name}: max |Δ output| ${dy.toExponential(2)}, max |Δ logits| ${dz.toExponential(2)} over ${n} images`);
      expect(dy).toBeLessThanOrEqual(1e-5);
      expect(dz).toBeLessThanOrEqual(1e-5);
    });
  }

  it('layer names that nn.Module already uses (forward, eval, to) still give a working module', async () => {
    const data = await digits(32, 10);
    const spec: ModelSpec = {
      ...lenet,
      name: 'named',
      layers: lenet.layers.map((l, i) => ({ ...l, name: ['forward', 'eval', 'to', 'pool2', 'train', 'logits', 'if'][i] })),
    };
    const net = await trained(spec, data);
    const dir = scratchDir('torch-names');
    const x = testImages(data);
    writeFileSync(join(dir, 'x.bin'), x);
    runTorch(net, dir, ['x = read("x.bin", torch.float32, (10, 1, 28, 28))', 'with torch.no_grad():', '    write("y.bin", model(x))']);
    expect(maxAbsDiff(f32(dir, 'y.bin'), forwardBatched(net, x, 10, 10))).toBeLessThanOrEqual(1e-5);
  });

  it('one SGD step in PyTorch equals one in convbook from the same weights and batch (≤ 1e-5)', async () => {
    // Every kind but dropout (its masks are random streams that differ between frameworks); one micro-batch of 16.
    const spec: ModelSpec = { ...everyKind, name: 'sgd_step', layers: everyKind.layers.filter((l) => l.kind !== 'dropout') };
    const data = await digits(16, 16);
    const net = createNet(spec, { rng: createRng(11) });
    const dir = scratchDir('sgd');
    const x = new Float32Array(16 * 784);
    const { toFloat } = await import('../../runtime/data/dataset.js');
    toFloat(data.train, 0, 16, x);
    writeFileSync(join(dir, 'x.bin'), x);
    writeFileSync(join(dir, 'y.bin'), BigInt64Array.from(Array.from(data.train.labels.subarray(0, 16), (v) => BigInt(v))));
    runTorch(net, dir, [
      'x = read("x.bin", torch.float32, (16, 1, 28, 28))',
      'y = read("y.bin", torch.int64, (16,))',
      'model.train()',
      'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      'loss = torch.nn.functional.cross_entropy(model.logits(x), y)',
      'loss.backward()',
      'opt.step()',
      'sd = model.state_dict()',
      'write("w.bin", torch.cat([v.reshape(-1).float() for k, v in sd.items() if not k.endswith("num_batches_tracked")]))',
    ]);
    const t: TrainSpec = {
      model: spec.name,
      data: 'digits',
      epochs: 1,
      batch: 16,
      seed: 1,
      validation: 0,
      optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false },
      schedule: { kind: 'constant' },
      evalEvery: 0,
      workers: 1,
    };
    const before = Float32Array.from(net.paramBuf);
    const r = await train({ net, spec: t, data, trainEvalLimit: 16 });
    expect(r.step).toBe(1);
    // convbook's order of the same values: per layer its parameters, then batch norm's running statistics.
    const mine: number[] = [];
    let at = 0;
    spec.layers.forEach((l, i) => {
      for (const p of net.params.filter((q) => q.layer === l.name)) mine.push(...p.value);
      if (l.kind === 'batchnorm') {
        const c2 = 2 * net.info[i].out.c;
        mine.push(...net.stateBuf.subarray(at, at + c2));
        at += c2;
      }
    });
    const theirs = f32(dir, 'w.bin');
    const d = maxAbsDiff(theirs, mine);
    console.log(
      `one SGD step: max |Δ weight| ${d.toExponential(2)} over ${mine.length} values (largest move ${maxAbsDiff(net.paramBuf, before).toExponential(2)})`,
    );
    expect(d).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(net.paramBuf, before)).toBeGreaterThan(1e-3);
  });
});
