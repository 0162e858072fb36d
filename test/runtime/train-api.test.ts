// The library API in runtime/index.ts: build (with initFrom), train, predict, read weights and gradients
// (checked against a central difference in float64), and save/load through bytes.
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  computeGradients,
  encodeModel,
  modelFileOf,
  netFromBytes,
  predict,
  readGradients,
  readWeights,
  train,
} from '../../runtime/index.js';
import { toyData, toyModel, trainSpec } from './train-helpers.js';

const data = toyData(150, 60);

function images(split: typeof data.test, n: number): Float64Array {
  const x = new Float64Array(n * 64);
  for (let i = 0; i < n * 64; i++) x[i] = split.images[i] / 255;
  return x;
}

describe('runtime library API', () => {
  it('builds, trains, predicts, saves and loads', async () => {
    const b = buildModel(toyModel(), { seed: 3 });
    if (!b.ok) throw new Error(b.error);
    await train({
      net: b.net,
      spec: trainSpec({ epochs: 3, optimizer: { kind: 'adam', lr: 0.03, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }),
      data,
    });
    const x = Float32Array.from(images(data.test, 60));
    const p = predict(b.net, x, 60, 16);
    const right = p.classes.filter((c, i) => c === data.test.labels[i]).length;
    expect(right / 60).toBeGreaterThan(0.8);
    for (let i = 0; i < 3; i++) expect(Array.from(p.outputs.subarray(i * 3, i * 3 + 3)).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    const loaded = netFromBytes(encodeModel(modelFileOf(b.net)));
    if (!loaded.ok) throw new Error(loaded.error);
    expect(predict(loaded.net, x, 60).outputs).toEqual(p.outputs);
    expect(readWeights(loaded.net, 'conv1.weight')).toEqual(readWeights(b.net, 'conv1.weight'));
    expect(() => readWeights(b.net, 'conv9.weight')).toThrow(/no parameter conv9.weight; the model has conv1.weight/);

    // A model trained with fused arithmetic loads fused (its history says so); a portable one portable.
    expect(loaded.net.arithmetic).toBe('portable');
    const f = buildModel(toyModel(), { seed: 3 });
    if (!f.ok) throw new Error(f.error);
    const r = await train({ net: f.net, spec: trainSpec({ epochs: 1, arithmetic: 'fused' }), data });
    const again = netFromBytes(encodeModel(modelFileOf(f.net, { history: r.history })));
    if (!again.ok) throw new Error(again.error);
    expect(again.net.arithmetic).toBe('fused');
    expect(predict(again.net, x, 60).outputs).toEqual(predict(f.net, x, 60).outputs);

    const t = buildModel(
      { ...toyModel(), name: 'copy', initFrom: { model: 'toy', layers: ['conv1'] } },
      { seed: 4, lookup: (n) => (n === 'toy' ? b.net : undefined) },
    );
    if (!t.ok) throw new Error(t.error);
    expect(readWeights(t.net, 'conv1.weight')).toEqual(readWeights(b.net, 'conv1.weight'));
    expect(readWeights(t.net, 'out.weight')).not.toEqual(readWeights(b.net, 'out.weight'));
    expect(buildModel({ ...toyModel(), initFrom: { model: 'nope', layers: ['conv1'] } })).toEqual({
      ok: false,
      error: 'model nope (to initialise toy from) is not defined',
    });
  });

  it('computeGradients/readGradients match a float64 central difference of the mean loss', () => {
    const b = buildModel(toyModel(), { seed: 5, dtype: 'float64' });
    if (!b.ok) throw new Error(b.error);
    const net = b.net;
    const n = 6;
    const x = images(data.train, n);
    const labels = Array.from(data.train.labels.subarray(0, n));
    computeGradients(net, x, labels, n);
    const g = readGradients(net, 'out.weight');
    const w = net.params.find((p) => p.name === 'out.weight')!;
    for (const i of [0, 7, 33, 100]) {
      const keep = w.value[i];
      const h = 1e-6;
      w.value[i] = keep + h;
      const up = computeGradients(net, x, labels, n);
      w.value[i] = keep - h;
      const down = computeGradients(net, x, labels, n);
      w.value[i] = keep;
      expect(g.data[i]).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });
});
