// Layers and a small network against PyTorch reference values (made by
// scripts/fixtures/make_layer_fixtures.py, committed as JSON), in float64 and float32.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocBuf } from '../../runtime/buffers.js';
import { avgpoolBackward, avgpoolForward } from '../../runtime/layers/avgpool.js';
import { batchnormBackward, batchnormForward } from '../../runtime/layers/batchnorm.js';
import { conv2dBackward, conv2dColsSize, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { denseBackward, denseForward } from '../../runtime/layers/dense.js';
import { maxpoolBackward, maxpoolForward, type PoolShape } from '../../runtime/layers/maxpool.js';
import { crossEntropyLoss, mseLoss } from '../../runtime/loss.js';
import { createNet } from '../../runtime/net.js';
import { windowOut } from '../../runtime/shapes.js';
import type { ModelSpec, PadSpec } from '../../runtime/spec.js';
import type { Buf, DType } from '../../runtime/types.js';

interface T {
  shape: number[];
  data: number[];
}
const load = (name: string): { cases: any[]; [field: string]: any } =>
  JSON.parse(readFileSync(new URL(`../fixtures/torch/${name}.json`, import.meta.url), 'utf8'));

const dtypes: [DType, number][] = [
  ['float64', 1e-6],
  ['float32', 1e-4],
];

function buf(dtype: DType, t: T | number[]): Buf {
  const d = Array.isArray(t) ? t : t.data;
  const b = allocBuf(dtype, d.length);
  b.set(d);
  return b;
}

/** Largest |got − want| / max(1, |want|). */
function worst(got: ArrayLike<number>, want: T | number[]): number {
  const d = Array.isArray(want) ? want : want.data;
  if (got.length < d.length) return Infinity;
  let w = 0;
  for (let i = 0; i < d.length; i++) {
    const e = Math.abs(got[i] - d[i]) / Math.max(1, Math.abs(d[i]));
    if (!(e <= w)) w = e;
  }
  return w;
}

describe.each(dtypes)('PyTorch fixtures in %s', (dtype, tol) => {
  it.each(load('conv2d').cases.map((c: { name: string }): [string, any] => [c.name, c]))('conv2d %s', (_name, c) => {
    const [n, ch, h, w] = c.x.shape as number[];
    const p = c.padding as PadSpec;
    const s: Conv2dShape = {
      c: ch,
      h,
      w,
      f: c.filters,
      kh: c.kernel[0],
      kw: c.kernel[1],
      sh: c.stride[0],
      sw: c.stride[1],
      top: p.top,
      left: p.left,
      replicate: p.mode === 'replicate',
      ho: windowOut(h, p.top + p.bottom, c.kernel[0], c.stride[0]),
      wo: windowOut(w, p.left + p.right, c.kernel[1], c.stride[1]),
    };
    expect([n, s.f, s.ho, s.wo]).toEqual(c.y.shape);
    const x = buf(dtype, c.x),
      wt = buf(dtype, c.weight),
      b = buf(dtype, c.bias);
    const y = allocBuf(dtype, c.y.data.length);
    const cols = allocBuf(dtype, conv2dColsSize(s)),
      dcols = allocBuf(dtype, conv2dColsSize(s));
    conv2dForward(y, x, wt, b, n, s, cols);
    expect(worst(y, c.y)).toBeLessThan(tol);
    const dx = allocBuf(dtype, x.length),
      dw = allocBuf(dtype, wt.length),
      db = allocBuf(dtype, b.length);
    conv2dBackward(dx, dw, db, buf(dtype, c.dy), x, wt, n, s, cols, dcols);
    expect(worst(dx, c.dx)).toBeLessThan(tol);
    expect(worst(dw, c.dweight)).toBeLessThan(tol);
    expect(worst(db, c.dbias)).toBeLessThan(tol);
  });

  it.each(
    load('pool').cases.map((c: { kind: string; size: number[]; stride: number[] }): [string, any] => [
      `${c.kind} ${c.size} / ${c.stride}`,
      c,
    ]),
  )('%spool', (_name, c) => {
    const [n, ch, h, w] = c.x.shape as number[];
    const s: PoolShape = {
      c: ch,
      h,
      w,
      kh: c.size[0],
      kw: c.size[1],
      sh: c.stride[0],
      sw: c.stride[1],
      ho: windowOut(h, 0, c.size[0], c.stride[0]),
      wo: windowOut(w, 0, c.size[1], c.stride[1]),
    };
    expect([n, ch, s.ho, s.wo]).toEqual(c.y.shape);
    const x = buf(dtype, c.x),
      y = allocBuf(dtype, c.y.data.length),
      dx = allocBuf(dtype, x.length);
    if (c.kind === 'max') {
      const arg = new Int32Array(y.length);
      maxpoolForward(y, arg, x, n, s);
      maxpoolBackward(dx, buf(dtype, c.dy), arg, n, s);
    } else {
      avgpoolForward(y, x, n, s);
      avgpoolBackward(dx, buf(dtype, c.dy), n, s);
    }
    expect(worst(y, c.y)).toBeLessThan(tol);
    expect(worst(dx, c.dx)).toBeLessThan(tol);
  });

  it('dense', () => {
    const c = load('dense');
    const [n, inSize] = c.x.shape;
    const units = c.bias.shape[0];
    const x = buf(dtype, c.x),
      wt = buf(dtype, c.weight),
      b = buf(dtype, c.bias),
      y = allocBuf(dtype, n * units);
    denseForward(y, x, wt, b, n, inSize, units);
    expect(worst(y, c.y)).toBeLessThan(tol);
    const dx = allocBuf(dtype, x.length),
      dw = allocBuf(dtype, wt.length),
      db = allocBuf(dtype, units);
    denseBackward(dx, dw, db, buf(dtype, c.dy), x, wt, n, inSize, units);
    expect(worst(dx, c.dx)).toBeLessThan(tol);
    expect(worst(dw, c.dweight)).toBeLessThan(tol);
    expect(worst(db, c.dbias)).toBeLessThan(tol);
  });

  it.each(load('batchnorm').cases.map((c: { name: string }): [string, any] => [c.name, c]))('batchnorm (train) %s', (_name, c) => {
    const [n, ch, h = 1, w = 1] = c.x.shape as number[];
    const s = { n, c: ch, plane: h * w, eps: c.eps, momentum: c.momentum };
    const len = n * ch * h * w;
    const x = buf(dtype, c.x),
      gamma = buf(dtype, c.gamma),
      beta = buf(dtype, c.beta);
    const rm = allocBuf(dtype, ch),
      rv = allocBuf(dtype, ch).fill(1);
    const y = allocBuf(dtype, len),
      xhat = allocBuf(dtype, len),
      inv = allocBuf(dtype, ch);
    batchnormForward(y, xhat, inv, x, gamma, beta, rm, rv, s, true);
    expect(worst(y, c.y)).toBeLessThan(tol);
    expect(worst(rm, c.running_mean)).toBeLessThan(tol);
    expect(worst(rv, c.running_var)).toBeLessThan(tol);
    const dx = allocBuf(dtype, len),
      dg = allocBuf(dtype, ch),
      db = allocBuf(dtype, ch);
    batchnormBackward(dx, dg, db, buf(dtype, c.dy), xhat, inv, gamma, s, true);
    expect(worst(dx, c.dx)).toBeLessThan(tol);
    expect(worst(dg, c.dgamma)).toBeLessThan(tol);
    expect(worst(db, c.dbeta)).toBeLessThan(tol);
    batchnormForward(y, xhat, inv, x, gamma, beta, rm, rv, s, false);
    expect(worst(y, c.y_eval)).toBeLessThan(tol);
  });

  it('cross-entropy and mse (mean reduction = Σ/N with scale 1/N)', () => {
    const { cross_entropy: ce, mse } = load('losses');
    const [n, k] = ce.logits.shape;
    const dz = allocBuf(dtype, n * k);
    const sum = crossEntropyLoss(dz, buf(dtype, ce.logits), ce.targets, n, k, 1 / n);
    expect(Math.abs(sum / n - ce.loss_mean)).toBeLessThan(tol);
    expect(worst(dz, ce.dlogits)).toBeLessThan(tol);
    const [m, j] = mse.y.shape;
    const dy = allocBuf(dtype, m * j);
    const msum = mseLoss(dy, buf(dtype, mse.y), buf(dtype, mse.targets).slice(), m, j, 1 / m);
    expect(Math.abs(msum / m - mse.loss_mean)).toBeLessThan(tol);
    expect(worst(dy, mse.dy)).toBeLessThan(tol);
  });

  it('a LeNet-ish network: probabilities, loss and every parameter gradient', () => {
    const c = load('lenet');
    const spec: ModelSpec = {
      name: 'lenetish',
      input: { c: 1, h: 14, w: 14 },
      loss: 'cross_entropy',
      frozen: [],
      layers: [
        {
          kind: 'conv2d',
          name: 'conv1',
          filters: 4,
          kernel: [3, 3],
          stride: [1, 1],
          padding: { mode: 'zero', top: 1, bottom: 1, left: 1, right: 1 },
          activation: 'relu',
          init: 'he',
        },
        { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
        {
          kind: 'conv2d',
          name: 'conv2',
          filters: 6,
          kernel: [3, 3],
          stride: [1, 1],
          padding: { mode: 'replicate', top: 1, bottom: 0, left: 0, right: 1 },
          activation: 'tanh',
          init: 'he',
        },
        { kind: 'avgpool', name: 'pool2', size: [2, 2], stride: [2, 2] },
        { kind: 'dense', name: 'dense1', units: 10, activation: 'relu', init: 'he' },
        { kind: 'dense', name: 'dense2', units: 5, activation: 'softmax', init: 'glorot' },
      ],
    };
    const net = createNet(spec, { dtype });
    const byName = new Map<string, { data: number[]; grad: number[] }>(
      c.params.map((p: { name: string; data: number[]; grad: number[] }) => [p.name, p]),
    );
    expect(net.params.map((p) => p.name)).toEqual([...byName.keys()]);
    for (const p of net.params) p.value.set(byName.get(p.name)!.data);
    const n = c.x.shape[0];
    const probs = net.forward(buf(dtype, c.x), n, 'train');
    expect(worst(probs, c.probs)).toBeLessThan(tol);
    net.zeroGrad();
    const loss = net.backward(new Int32Array(c.targets), 1 / n);
    expect(Math.abs(loss / n - c.loss_mean)).toBeLessThan(tol);
    const errs = net.params.map((p) => [p.name, worst(p.grad, byName.get(p.name)!.grad) < tol]);
    expect(errs).toEqual(net.params.map((p) => [p.name, true]));
  });
});
