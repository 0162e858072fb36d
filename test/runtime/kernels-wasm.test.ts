// The WebAssembly SIMD GEMM (asm/gemm.ts, built by `npm run build`) in its three layer orientations
// against a float64 triple loop (and the bias gradient bit for bit against the JS loop): odd shapes off the 4×8 tile and across the 256-deep K-block, offsets,
// overwrite and accumulate, untouched neighbours, and identical bits on repeated calls; then the wasm
// convolution (im2col + GEMM + col2im in wasm memory) against the float64 JS convolution, its grouped
// forward against one example at a time (bit for bit, fused ReLU included), and the wasm
// ReLU pair bit for bit against the plain loops (NaN, ±0, lengths off the 4-lane width), and wasm
// max pooling against the float64 JS loop (same maxima and winner indices, ties and NaN included), and its
// backward bit for bit against the plain scatter loop.
import { describe, expect, it } from 'vitest';
import { matmulAB, matmulABt, matmulAtB } from '../../runtime/kernels/matmul.js';
import { conv2dBackward, conv2dColsSize, conv2dForward, type Conv2dShape } from '../../runtime/layers/conv2d.js';
import { heapStart, reserve, wasm, wasmAvailable } from '../../runtime/kernels/wasm-module.js';
import { wasmReluBackward, wasmReluForward } from '../../runtime/kernels/wasm-relu.js';
import { activations } from '../../runtime/layers/activation.js';
import { maxpoolBackward, maxpoolForward, type PoolShape } from '../../runtime/layers/maxpool.js';
import { createRng } from '../../runtime/rng.js';
import { naiveMatmul as naive } from './gradcheck-util.js';

function rand32(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

// Float32 sums of K products of values in [-1, 1]: error grows about like √K·2⁻²⁴ per term.
const tol = (K: number) => 4e-7 * K + 1e-6;

describe('wasm gemm', () => {
  it('is built and loads', () => {
    expect(wasmAvailable()).toBe(true);
  });

  const shapes = [
    [4, 8, 8],
    [5, 7, 9],
    [1, 300, 3],
    [6, 25, 784],
    [16, 150, 100],
    [13, 257, 17],
    [16, 400, 120],
    [3, 513, 29],
    [33, 64, 1],
  ];
  for (const [M, K, N] of shapes) {
    it(`${M}×${K}·${K}×${N}`, () => {
      const off = 5;
      const A = rand32(off + M * K + 3, M * 100 + K),
        B = rand32(off + K * N + 3, N * 7 + 1);
      const At = rand32(off + K * M + 3, 5),
        Bt = rand32(off + N * K + 3, 6);
      const base = rand32(off + M * N + 4, 9);
      const cases = [
        {
          f: matmulAB,
          a: A,
          b: B,
          ref: naive(
            (i, k) => A[off + i * K + k],
            (k, j) => B[off + k * N + j],
            M,
            K,
            N,
          ),
        },
        {
          f: matmulAtB,
          a: At,
          b: B,
          ref: naive(
            (i, k) => At[off + k * M + i],
            (k, j) => B[off + k * N + j],
            M,
            K,
            N,
          ),
        },
        {
          f: matmulABt,
          a: A,
          b: Bt,
          ref: naive(
            (i, k) => A[off + i * K + k],
            (k, j) => Bt[off + j * K + k],
            M,
            K,
            N,
          ),
        },
      ];
      for (const { f, a, b, ref } of cases) {
        const C = base.slice();
        f(C, off, a, off, b, off, M, K, N, false);
        let worst = 0;
        for (let i = 0; i < M * N; i++) worst = Math.max(worst, Math.abs(C[off + i] - ref[i]));
        expect(worst).toBeLessThan(tol(K));
        // Neighbours before and after C are untouched.
        expect(Array.from(C.subarray(0, off))).toEqual(Array.from(base.subarray(0, off)));
        expect(Array.from(C.subarray(off + M * N))).toEqual(Array.from(base.subarray(off + M * N)));
        const once = C.slice();
        f(C, off, a, off, b, off, M, K, N, true);
        worst = 0;
        for (let i = 0; i < M * N; i++) worst = Math.max(worst, Math.abs(C[off + i] - 2 * ref[i]));
        expect(worst).toBeLessThan(2 * tol(K));
        // Same inputs, same bits: the kernel's summation order is fixed.
        const again = base.slice();
        f(again, off, a, off, b, off, M, K, N, false);
        expect(Buffer.from(again.buffer).equals(Buffer.from(once.buffer))).toBe(true);
      }
    });
  }

  it('accumulates into C that holds earlier values', () => {
    const M = 7,
      K = 300,
      N = 11;
    const A = rand32(M * K, 1),
      B = rand32(K * N, 2),
      C0 = rand32(M * N, 3);
    const ref = naive(
      (i, k) => A[i * K + k],
      (k, j) => B[k * N + j],
      M,
      K,
      N,
    );
    const C = C0.slice();
    matmulAB(C, 0, A, 0, B, 0, M, K, N, true);
    for (let i = 0; i < M * N; i++) expect(Math.abs(C[i] - (C0[i] + ref[i]))).toBeLessThan(tol(K));
  });
});

describe('wasm filter gradient (row-by-row dot kernel)', () => {
  // F odd and K off the 4-wide tile leave partial edge tiles; P off the 4 lanes leaves a scalar tail.
  const shapes: [number, number, number][] = [
    [6, 25, 2352],
    [16, 150, 400],
    [5, 7, 9],
    [1, 1, 3],
    [3, 6, 1],
    [9, 27, 65],
  ];
  for (const [F, K, P] of shapes) {
    it(`dw (${F}×${K}) += dy (${F}×${P}) · cols (${K}×${P})ᵀ, padded strides, neighbours untouched`, () => {
      const ld = P + 3,
        ldw = K + 2;
      const dy = rand32(F * ld, F + P),
        cols = rand32(K * ld, K + 1),
        dw0 = rand32(F * ldw, 3);
      const w = wasm();
      const at = heapStart(),
        dyAt = at + F * ldw,
        colsAt = dyAt + F * ld;
      const h = reserve(colsAt + K * ld);
      h.set(dw0, at);
      h.set(dy, dyAt);
      h.set(cols, colsAt);
      w.filterGrad(at * 4, ldw, dyAt * 4, ld, colsAt * 4, ld, F, K, P);
      const got = h.slice(at, at + F * ldw);
      for (let f = 0; f < F; f++) {
        for (let k = 0; k < ldw; k++) {
          if (k >= K) {
            expect(got[f * ldw + k]).toBe(dw0[f * ldw + k]);
            continue;
          }
          let ref = dw0[f * ldw + k];
          for (let p = 0; p < P; p++) ref += dy[f * ld + p] * cols[k * ld + p];
          expect(Math.abs(got[f * ldw + k] - ref)).toBeLessThan(tol(P));
        }
      }
      // Same inputs, same bits.
      h.set(dw0, at);
      w.filterGrad(at * 4, ldw, dyAt * 4, ld, colsAt * 4, ld, F, K, P);
      expect(Buffer.from(h.slice(at, at + F * ldw).buffer).equals(Buffer.from(got.buffer))).toBe(true);
    });
  }
});

describe('wasm bias gradient', () => {
  // F off the 4-row block (a remainder of 1–3 rows), P from 1 up; the JS loop sums in float64 in p order.
  const shapes: [number, number][] = [
    [1, 1],
    [3, 17],
    [4, 5],
    [6, 784],
    [7, 3],
    [9, 1024],
  ];
  for (const [F, P] of shapes) {
    it(`db (${F}) += Σ dy (${F}×${P}), the bits of the float64 JS loop, neighbours untouched`, () => {
      const dy = rand32(F * P, F * 31 + P),
        db0 = rand32(F + 2, 4);
      const at = heapStart(),
        dyAt = at + F + 4;
      const h = reserve(dyAt + F * P);
      h.set(db0, at);
      h.set(dy, dyAt);
      wasm().biasGrad(at * 4, dyAt * 4, F, P);
      const ref = db0.slice();
      for (let f = 0; f < F; f++) {
        let sum = 0;
        for (let p = 0; p < P; p++) sum += dy[f * P + p];
        ref[f] += sum;
      }
      expect(Buffer.from(h.slice(at, at + F + 2).buffer).equals(Buffer.from(ref.buffer))).toBe(true);
    });
  }
});

describe('wasm convolution', () => {
  const geoms: [string, Conv2dShape, number][] = [
    [
      '5×5 pad 2 (LeNet conv1)',
      { c: 1, h: 12, w: 12, kh: 5, kw: 5, sh: 1, sw: 1, top: 2, left: 2, replicate: false, ho: 12, wo: 12, f: 6 },
      3,
    ],
    [
      '3×3 stride 2 replicate, odd sizes',
      { c: 3, h: 9, w: 7, kh: 3, kw: 3, sh: 2, sw: 2, top: 1, left: 1, replicate: true, ho: 5, wo: 4, f: 5 },
      2,
    ],
    [
      '2×3 stride (1,3) asymmetric pad',
      { c: 2, h: 6, w: 10, kh: 2, kw: 3, sh: 1, sw: 3, top: 0, left: 2, replicate: false, ho: 5, wo: 4, f: 9 },
      2,
    ],
    ['1×1', { c: 4, h: 3, w: 5, kh: 1, kw: 1, sh: 1, sw: 1, top: 0, left: 0, replicate: false, ho: 3, wo: 5, f: 3 }, 2],
    // Stride 1 with zero padding takes im2col's straight-copy path: padding wider than the kernel on one
    // side, none on the other, and rows shorter than a vector.
    [
      '3×4 stride 1, pad top 2 left 3 bottom 1',
      { c: 2, h: 5, w: 6, kh: 3, kw: 4, sh: 1, sw: 1, top: 2, left: 3, replicate: false, ho: 6, wo: 6, f: 3 },
      2,
    ],
    [
      '2×2 pad 1 on 3×3 (rows of 4, partial)',
      { c: 1, h: 3, w: 3, kh: 2, kw: 2, sh: 1, sw: 1, top: 1, left: 1, replicate: false, ho: 4, wo: 4, f: 2 },
      3,
    ],
    // 256² maps with 8 filters pass wasm memory one example at a time (chunks of about 2²⁰ floats).
    [
      'large maps, one example per chunk',
      { c: 1, h: 256, w: 256, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1, replicate: false, ho: 256, wo: 256, f: 8 },
      3,
    ],
  ];
  // With the fused ReLU, forward and backward; the float64 reference masks dy with the float32 outputs, so
  // an output that rounds to the other side of 0 cannot flip a gradient.
  for (const [name, s, n] of geoms)
    for (const relu of [false, true]) {
      it(`${name}${relu ? ', fused ReLU' : ''}`, () => {
        const inSize = s.c * s.h * s.w,
          K = s.c * s.kh * s.kw,
          P = s.ho * s.wo;
        const x = rand32(n * inSize, 11),
          w = rand32(s.f * K, 12),
          b = rand32(s.f, 13),
          dy = rand32(n * s.f * P, 14);
        const run = <T extends Float32Array | Float64Array>(make: (v: Float32Array) => T, mask?: Float32Array) => {
          const y = make(new Float32Array(n * s.f * P)),
            dx = make(new Float32Array(n * inSize));
          const dw = make(rand32(s.f * K, 15)),
            db = make(new Float32Array(s.f));
          const cols = make(new Float32Array(conv2dColsSize(s))),
            dcols = make(new Float32Array(conv2dColsSize(s)));
          conv2dForward(y, make(x), make(w), make(b), n, s, cols, false, relu);
          const reluY = relu ? (mask ? make(mask) : y) : null;
          conv2dBackward(dx, dw, db, make(dy), make(x), make(w), n, s, cols, dcols, false, reluY);
          return { y, dx, dw, db };
        };
        const got = run((v) => Float32Array.from(v));
        const ref = run((v) => Float64Array.from(v), got.y);
        if (relu) expect(got.y.some((v) => v === 0) && got.y.some((v) => v > 0)).toBe(true);
        for (const key of ['y', 'dx', 'dw', 'db'] as const) {
          // Relative to the largest value: dw sums N·Ho·Wo float32 products (196,608 for the large maps).
          let worst = 0,
            scale = 1;
          for (let i = 0; i < ref[key].length; i++) {
            worst = Math.max(worst, Math.abs(got[key][i] - ref[key][i]));
            scale = Math.max(scale, Math.abs(ref[key][i]));
          }
          expect(worst / scale, key).toBeLessThan(1e-5);
        }
      });
    }
});

describe('wasm convolution, examples grouped into one GEMM', () => {
  // 25·144 column floats per example → groups of 18: n = 40 gives 18 + 18 + 4.
  const s: Conv2dShape = { c: 1, h: 12, w: 12, kh: 5, kw: 5, sh: 1, sw: 1, top: 2, left: 2, replicate: false, ho: 12, wo: 12, f: 6 };
  const n = 40,
    inSize = 144,
    out = s.f * 144;
  const x = rand32(n * inSize, 21),
    w = rand32(s.f * 25, 22),
    b = rand32(s.f, 23);
  const cols = new Float32Array(conv2dColsSize(s));

  it('gives each example the bits it gets alone, with and without the fused ReLU', () => {
    for (const relu of [false, true]) {
      const all = new Float32Array(n * out);
      conv2dForward(all, x, w, b, n, s, cols, false, relu);
      for (let i = 0; i < n; i++) {
        const one = new Float32Array(out);
        conv2dForward(one, x.subarray(i * inSize, (i + 1) * inSize), w, b, 1, s, cols, false, relu);
        expect(all.subarray(i * out, (i + 1) * out)).toEqual(one);
      }
      if (relu) expect(all.every((v) => v >= 0) && all.some((v) => v > 0)).toBe(true);
      else expect(all.some((v) => v < 0)).toBe(true);
    }
  });

  it("backward: each example's input gradient has the bits it gets alone", () => {
    const dy = rand32(n * out, 24);
    const dx = new Float32Array(n * inSize),
      dw = new Float32Array(s.f * 25),
      db = new Float32Array(s.f);
    conv2dBackward(dx, dw, db, dy, x, w, n, s, cols, cols);
    for (let i = 0; i < n; i++) {
      const one = new Float32Array(inSize);
      conv2dBackward(
        one,
        new Float32Array(s.f * 25),
        new Float32Array(s.f),
        dy.subarray(i * out, (i + 1) * out),
        x.subarray(i * inSize, (i + 1) * inSize),
        w,
        1,
        s,
        cols,
        cols,
      );
      expect(dx.subarray(i * inSize, (i + 1) * inSize)).toEqual(one);
    }
    expect(dx.some((v) => v !== 0)).toBe(true);
  });

  it("backward with the fused ReLU has the bits of ReLU's backward then the convolution's, and leaves dy alone", () => {
    const y = new Float32Array(n * out);
    conv2dForward(y, x, w, b, n, s, cols, false, true);
    const dy = rand32(n * out, 25);
    const grads = () => ({ dx: new Float32Array(n * inSize), dw: rand32(s.f * 25, 26), db: rand32(s.f, 27) });
    const fused = grads(),
      apart = grads();
    const dyFused = dy.slice();
    conv2dBackward(fused.dx, fused.dw, fused.db, dyFused, x, w, n, s, cols, cols, false, y);
    expect(dyFused).toEqual(dy);
    const dyApart = dy.slice();
    activations.relu.backward(dyApart, dyApart, y, { n, c: s.f, plane: 144, slope: 0 });
    conv2dBackward(apart.dx, apart.dw, apart.db, dyApart, x, w, n, s, cols, cols);
    const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    for (const k of ['dx', 'dw', 'db'] as const) expect(bytes(fused[k]).equals(bytes(apart[k])), k).toBe(true);
    expect(dyApart.some((v, i) => v === 0 && dy[i] !== 0)).toBe(true);
  });

  it('fused ReLU equals the activation applied afterwards', () => {
    const fused = new Float32Array(n * out),
      after = new Float32Array(n * out);
    conv2dForward(fused, x, w, b, n, s, cols, false, true);
    conv2dForward(after, x, w, b, n, s, cols, false, false);
    activations.relu.forward(after, after, { n, c: s.f, plane: 144, slope: 0 });
    expect(fused).toEqual(after);
  });
});

describe('wasm relu', () => {
  const bits = (v: Float32Array) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
  for (const n of [1, 7, 300, 1027]) {
    it(`${n} values, same bits as the JS loops`, () => {
      const x = rand32(n + 5, n),
        dy = rand32(n + 5, n + 1);
      if (n >= 3) [x[0], x[1], x[2]] = [NaN, -0, 0];
      else x[0] = 0.5;
      const y = new Float32Array(n + 5).fill(7),
        dx = new Float32Array(n + 5).fill(7);
      wasmReluForward(y, x, n);
      wasmReluBackward(dx, dy, y, n);
      const yRef = new Float32Array(n),
        dxRef = new Float32Array(n);
      for (let i = 0; i < n; i++) yRef[i] = x[i] > 0 ? x[i] : 0;
      for (let i = 0; i < n; i++) dxRef[i] = yRef[i] > 0 ? dy[i] : 0;
      expect(bits(y.subarray(0, n))).toEqual(bits(yRef));
      expect(bits(dx.subarray(0, n))).toEqual(bits(dxRef));
      expect(Array.from(y.subarray(n))).toEqual([7, 7, 7, 7, 7]); // nothing written past n
      expect(y.subarray(0, n).some((v) => v > 0)).toBe(true);
    });
  }

  it('the activation table takes the wasm path in place (y = x) for long float32 vectors', () => {
    const s = { n: 2, c: 3, plane: 100, slope: 0 };
    const v = rand32(600, 3),
      ref = v.map((x) => (x > 0 ? x : 0));
    activations.relu.forward(v, v, s);
    expect(bits(v)).toEqual(bits(ref));
    const d = rand32(600, 4),
      dref = d.map((g, i) => (v[i] > 0 ? g : 0));
    activations.relu.backward(d, d, v, s);
    expect(bits(d)).toEqual(bits(dref));
  });
});

describe('wasm max pooling', () => {
  const shapes: [string, PoolShape][] = [
    ['2×2 stride 2', { c: 3, h: 8, w: 6, kh: 2, kw: 2, sh: 2, sw: 2, ho: 4, wo: 3 }],
    // Four outputs per SIMD step, the last group overlapping; odd H and W leave a last row and column unread.
    ['2×2 stride 2, SIMD groups and tail', { c: 3, h: 11, w: 19, kh: 2, kw: 2, sh: 2, sw: 2, ho: 5, wo: 9 }],
    // Rows of exactly one group, and LeNet's rows of 14 (groups at 0, 4, 8 and an overlapping one at 10).
    ['2×2 stride 2, rows of 4', { c: 2, h: 9, w: 8, kh: 2, kw: 2, sh: 2, sw: 2, ho: 4, wo: 4 }],
    ['2×2 stride 2, rows of 14', { c: 2, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2, ho: 14, wo: 14 }],
    ['3×3 stride 2 (overlapping)', { c: 2, h: 7, w: 9, kh: 3, kw: 3, sh: 2, sw: 2, ho: 3, wo: 4 }],
    ['2×3 stride (3,1)', { c: 1, h: 8, w: 7, kh: 2, kw: 3, sh: 3, sw: 1, ho: 3, wo: 5 }],
  ];
  for (const [name, s] of shapes) {
    it(`${name}: same maxima and winners as the JS loop, ties to the first`, () => {
      const n = 2,
        len = n * s.c * s.h * s.w,
        out = n * s.c * s.ho * s.wo;
      // Few distinct values, so windows hold ties; one NaN at a window start and one inside a window.
      const rng = createRng(len);
      const x32 = Float32Array.from({ length: len }, () => rng.int(4) - 2);
      x32[0] = NaN;
      x32[s.w + 1] = NaN;
      const y32 = new Float32Array(out),
        a32 = new Int32Array(out);
      const y64 = new Float64Array(out),
        a64 = new Int32Array(out);
      maxpoolForward(y32, a32, x32, n, s);
      maxpoolForward(y64, a64, Float64Array.from(x32), n, s);
      expect(Array.from(a32)).toEqual(Array.from(a64));
      expect(Array.from(y32)).toEqual(Array.from(y64));
      expect(new Set(a32).size).toBeGreaterThan(out / 2);
    });

    it(`${name}: backward routes dy to the winners with the bits of the JS loop (overlaps add up)`, () => {
      const n = 3,
        len = n * s.c * s.h * s.w,
        out = n * s.c * s.ho * s.wo;
      const x = rand32(len, len + 1);
      const y = new Float32Array(out),
        arg = new Int32Array(out);
      maxpoolForward(y, arg, x, n, s);
      const dy = rand32(out, out + 2);
      const dx = rand32(len + 3, 5); // stale values and a tail the backward must not touch
      const tail = dx.slice(len);
      maxpoolBackward(dx, dy, arg, n, s);
      const ref = new Float32Array(len);
      for (let o = 0; o < out; o++) ref[arg[o]] += dy[o];
      const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      expect(bytes(dx.subarray(0, len)).equals(bytes(ref))).toBe(true);
      expect(dx.slice(len)).toEqual(tail);
      if (s.sh < s.kh) expect(arg.length).toBeGreaterThan(new Set(arg).size); // some input won twice
    });
  }
});
