// Float64 central-difference checks of conv2d over kernels × strides × padding × mode × channels,
// with respect to input, weights and bias.
import { describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dColsSize, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { samePadding, windowOut } from '../../runtime/shapes.js';
import type { Pair } from '../../runtime/spec.js';
import { gradError, project, randn } from './gradcheck-util.js';

const kernels: Pair[] = [
  [1, 1],
  [3, 3],
  [5, 5],
  [2, 3],
];
const strides: Pair[] = [
  [1, 1],
  [2, 2],
  [2, 1],
];
const paddings = ['valid', 'same', 'asym'] as const;
const modes = [false, true];
const channels: Pair[] = [
  [1, 1],
  [3, 4],
];
const H = 6,
  W = 5,
  N = 2;

function shapeFor(k: Pair, st: Pair, pad: (typeof paddings)[number], replicate: boolean, ch: Pair) {
  const p =
    pad === 'valid'
      ? { top: 0, bottom: 0, left: 0, right: 0 }
      : pad === 'same'
        ? samePadding(H, W, k, st)
        : { top: 2, bottom: 0, left: 1, right: 3 };
  const s: Conv2dShape = {
    c: ch[0],
    h: H,
    w: W,
    f: ch[1],
    kh: k[0],
    kw: k[1],
    sh: st[0],
    sw: st[1],
    top: p.top,
    left: p.left,
    replicate,
    ho: windowOut(H, p.top + p.bottom, k[0], st[0]),
    wo: windowOut(W, p.left + p.right, k[1], st[1]),
  };
  return s;
}

describe('conv2d gradient check (float64)', () => {
  const cases = kernels.flatMap((k) =>
    strides.flatMap((st) => paddings.flatMap((pad) => modes.flatMap((rep) => channels.map((ch) => ({ k, st, pad, rep, ch }))))),
  );
  it(`matches central differences in all ${cases.length} configurations`, () => {
    const failures: string[] = [];
    let seed = 1;
    for (const { k, st, pad, rep, ch } of cases) {
      const s = shapeFor(k, st, pad, rep, ch);
      const label = `k=${k} s=${st} ${pad} ${rep ? 'replicate' : 'zero'} ${ch[0]}→${ch[1]}`;
      if (s.ho < 1 || s.wo < 1) throw new Error(`bad test geometry ${label}`);
      const x = randn(N * s.c * H * W, seed++);
      const w = randn(s.f * s.c * s.kh * s.kw, seed++);
      const b = randn(s.f, seed++);
      const yLen = N * s.f * s.ho * s.wo;
      const r = randn(yLen, seed++);
      const y = new Float64Array(yLen);
      const cols = new Float64Array(conv2dColsSize(s));
      const dcols = new Float64Array(conv2dColsSize(s));
      const f = () => {
        conv2dForward(y, x, w, b, N, s, cols);
        return project(y, r, yLen);
      };
      const dx = new Float64Array(x.length),
        dw = new Float64Array(w.length),
        db = new Float64Array(b.length);
      f();
      conv2dBackward(dx, dw, db, r.slice(), x, w, N, s, cols, dcols);
      const errs = { x: gradError(f, x, dx), w: gradError(f, w, dw), b: gradError(f, b, db) };
      for (const [what, e] of Object.entries(errs)) if (!(e < 1e-6)) failures.push(`${label} d${what}: ${e.toExponential(2)}`);
    }
    expect(failures).toEqual([]);
  });

  it('accumulates weight and bias gradients rather than overwriting them', () => {
    const s = shapeFor([3, 3], [1, 1], 'same', false, [3, 4]);
    const x = randn(N * 3 * H * W, 7),
      w = randn(4 * 27, 8);
    const dy = randn(N * 4 * s.ho * s.wo, 10);
    const cols = new Float64Array(conv2dColsSize(s)),
      dcols = new Float64Array(conv2dColsSize(s));
    const once = (dw: Float64Array, db: Float64Array) => conv2dBackward(null, dw, db, dy, x, w, N, s, cols, dcols);
    const dw1 = new Float64Array(w.length),
      db1 = new Float64Array(4);
    once(dw1, db1);
    const dw2 = new Float64Array(w.length),
      db2 = new Float64Array(4);
    once(dw2, db2);
    once(dw2, db2);
    for (let i = 0; i < w.length; i++) expect(dw2[i]).toBeCloseTo(2 * dw1[i], 10);
    for (let i = 0; i < 4; i++) expect(db2[i]).toBeCloseTo(2 * db1[i], 10);
  });
});

describe('conv2d with padding wider than the image', () => {
  for (const replicate of [false, true]) {
    it(`${replicate ? 'replicate' : 'zero'}: 2×3 image, 3×2 kernel, stride 2×3, padding 4/3/5/2`, () => {
      const s: Conv2dShape = {
        c: 2,
        h: 2,
        w: 3,
        f: 3,
        kh: 3,
        kw: 2,
        sh: 2,
        sw: 3,
        top: 4,
        left: 5,
        replicate,
        ho: windowOut(2, 7, 3, 2),
        wo: windowOut(3, 7, 2, 3),
      };
      const x = randn(2 * 2 * 6, 31),
        w = randn(3 * 2 * 6, 32),
        b = randn(3, 33);
      const yLen = 2 * 3 * s.ho * s.wo;
      const r = randn(yLen, 34),
        y = new Float64Array(yLen);
      const cols = new Float64Array(conv2dColsSize(s)),
        dcols = new Float64Array(conv2dColsSize(s));
      const f = () => {
        conv2dForward(y, x, w, b, 2, s, cols);
        return project(y, r, yLen);
      };
      const dx = new Float64Array(x.length),
        dw = new Float64Array(w.length),
        db = new Float64Array(3);
      f();
      // With zero padding some windows see only padding: their output is the bias alone.
      if (!replicate) expect(y[0]).toBeCloseTo(b[0], 12);
      conv2dBackward(dx, dw, db, r, x, w, 2, s, cols, dcols);
      expect(gradError(f, x, dx)).toBeLessThan(1e-6);
      expect(gradError(f, w, dw)).toBeLessThan(1e-6);
      expect(gradError(f, b, db)).toBeLessThan(1e-6);
    });
  }
});
