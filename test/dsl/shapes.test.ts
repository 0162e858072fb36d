// Shape inference in the checker: the exact output-size rule Ho = floor((H + pads − K)/S) + 1,
// 'same' padding (TF-style, odd pixel bottom/right), and the stride and empty-output errors reported
// at the token that causes them. Expectations are computed by hand, not by the code under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import type { Diagnostic } from '../../dsl/program.js';
import { trainingMemory } from '../../runtime/memory-estimate.js';
import { inferShapes } from '../../runtime/shapes.js';
import type { ModelSpec } from '../../runtime/spec.js';

function model(source: string): ModelSpec {
  const r = compile(source);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const s = r.program.statements.find((x) => x.kind === 'model');
  if (s?.kind !== 'model') throw new Error('no model');
  return s.spec;
}

function errors(source: string): Diagnostic[] {
  const r = compile(source);
  return r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error');
}

/** The text a diagnostic points at. */
const at = (source: string, d: Diagnostic) => source.slice(d.range.startOffset, d.range.endOffset);

describe('output sizes', () => {
  it('LeNet on 28x28: 28 → 28 (same) → 14 → 10 → 5', () => {
    const spec = model(
      'model m(input: 28x28x1) {\n conv 6 kernel 5x5 padding same relu\n maxpool 2x2\n conv 16 kernel 5x5 relu\n avgpool 2x2\n dense 10 softmax\n}',
    );
    const r = inferShapes(spec);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layers.map((l) => [l.out.c, l.out.h, l.out.w])).toEqual([
      [6, 28, 28],
      [6, 14, 14],
      [16, 10, 10],
      [16, 5, 5],
      [10, 1, 1],
    ]);
    // 6·(1·25 + 1) + 16·(6·25 + 1) + 10·(16·25 + 1)
    expect(r.layers.reduce((n, l) => n + l.params, 0)).toBe(156 + 2416 + 4010);
  });

  it('explicit padding and rectangular kernels follow floor((H + pt + pb − K)/S) + 1 per axis', () => {
    const spec = model('model m(input: 17x23x2) {\n conv 3 kernel 3x5 stride 2 padding 2x1\n}');
    expect(spec.layers[0]).toMatchObject({ padding: { top: 2, bottom: 2, left: 1, right: 1 } });
    const r = inferShapes(spec);
    // (17 + 4 − 3)/2 + 1 = 10;  (23 + 2 − 5)/2 + 1 = 11
    expect(r.ok && r.layers[0].out).toEqual({ c: 3, h: 10, w: 11 });
  });

  it("'same' gives ceil(H/S) with the odd padding pixel on the bottom and right", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), (h, k, s) => {
        const src = `model m(input: ${h}x${h}x1) {\n conv 1 kernel ${k}x${k} stride ${s} padding same\n}`;
        const r = compile(src);
        const total = Math.max((Math.ceil(h / s) - 1) * s + k - h, 0);
        // With no padding needed and a stride skipping pixels, the divisibility rule still applies.
        if (!r.ok) {
          expect(total).toBe(0);
          expect((h - k) % s).not.toBe(0);
          return;
        }
        const s0 = r.program.statements[0];
        if (s0.kind !== 'model' || s0.spec.layers[0].kind !== 'conv2d') throw new Error('expected a conv');
        const pad = s0.spec.layers[0].padding;
        expect(pad.top + pad.bottom).toBe(total);
        expect(pad.bottom - pad.top).toBe(total % 2);
        const out = inferShapes(s0.spec);
        expect(out.ok && out.layers[0].out.h).toBe(Math.ceil(h / s));
      }),
      { numRuns: 200 },
    );
  });

  it('pooling stride defaults to the window size', () => {
    const spec = model('model m(input: 12x12x1) {\n maxpool 3x3\n avgpool 2x2 stride 1\n}');
    expect(spec.layers.map((l) => (l.kind === 'maxpool' || l.kind === 'avgpool' ? l.stride : null))).toEqual([
      [3, 3],
      [1, 1],
    ]);
  });
});

describe('shape errors at the right token', () => {
  it('a stride that does not divide (H + pads − K) is an error at the stride, with the sizes', () => {
    const src = 'model m(input: 28x28x1) {\n  conv 6 kernel 5x5 stride 2\n  dense 10 softmax\n}';
    const [d] = errors(src);
    expect(d.code).toBe('shape');
    expect(at(src, d)).toBe('2');
    expect(d.range.line).toBe(2);
    expect(d.range.column).toBe(28);
    expect(d.message).toContain('(28 + 0 − 5) % 2 = 1');
  });

  it('for pooling without a stride, the error points at the window size', () => {
    const src = 'model m(input: 7x7x1) {\n  maxpool 2x2\n}';
    const [d] = errors(src);
    expect(d.code).toBe('shape');
    expect(at(src, d)).toBe('2x2');
    expect(d.message).toContain('(7 − 2) % 2 = 1');
  });

  it('divisibility is checked per axis', () => {
    const src = 'model m(input: 9x8x1) {\n  conv 2 kernel 3x2 stride 2\n}';
    const [d] = errors(src);
    // height: (9 − 3) % 2 = 0, width: (8 − 2) % 2 = 0 → fine; now make the width fail.
    expect(d).toBeUndefined();
    const bad = 'model m(input: 9x9x1) {\n  conv 2 kernel 3x2 stride 2\n}';
    const [e] = errors(bad);
    expect(e.message).toContain('width');
    expect(e.message).toContain('(9 + 0 − 2) % 2 = 1');
  });

  it('an empty output is an error at the kernel of the layer where it happens', () => {
    const src =
      'model m(input: 28x28x1) {\n  conv 6 kernel 5x5\n  maxpool 2x2\n  conv 16 kernel 5x5\n  maxpool 2x2\n  conv 32 kernel 5x5\n}';
    const ds = errors(src);
    expect(ds).toHaveLength(1);
    expect(ds[0].code).toBe('shape');
    expect(ds[0].range.line).toBe(6);
    expect(at(src, ds[0])).toBe('5x5');
    expect(ds[0].message).toContain('4x4x16');
  });

  it('an empty output from a layer without a kernel token points at the layer', () => {
    const src = 'model m(input: 4x4x1) {\n  maxpool 2x2\n  conv 1\n}';
    const ds = errors(src);
    expect(ds[0].code).toBe('shape');
    expect(at(src, ds[0])).toBe('conv');
  });

  it('the model and the data must agree on the input and the classes', () => {
    const src =
      'data d = mnist(train: 100, test: 10)\nmodel c(input: 32x32x3) { dense 10 softmax }\nmodel s { dense 4 softmax }\ntrain c on d\ntrain s on d';
    const ds = errors(src);
    expect(ds.map((d) => d.code)).toEqual(['shape', 'shape']);
    expect(ds[0].message).toContain('32x32x3');
    expect(ds[1].message).toContain('10 classes');
    expect(ds.every((d) => at(src, d) === 'd')).toBe(true);
  });
});

describe('training memory', () => {
  const src =
    'data d = mnist(train: 1000, test: 10)\nmodel m(input: 28x28x1) {\n conv 32 kernel 3x3 padding same relu\n dense 10 softmax\n}\ntrain m on d { batch 256 }';
  // The runtime's own estimate (checked against measured RSS by scripts/bench-memory.ts): 16 micro-batches
  // of 16 on 2 lanes, sgd (its velocity slot is allocated even without momentum), evaluations of the 1000 training examples in chunks of 250.
  const compiled = compile('model m(input: 28x28x1) {\n conv 32 kernel 3x3 padding same relu\n dense 10 softmax\n}');
  if (!compiled.ok) throw new Error('the model compiles');
  const spec = compiled.program.statements[0].kind === 'model' ? compiled.program.statements[0].spec : undefined;
  const bytes = trainingMemory({ spec: spec!, batch: 256, lanes: 2, optimizerSlots: 1, evalExamples: 1000 }).bytes;

  it('is refused when it would exceed the memory available, at the batch size', () => {
    const r = compile(src, undefined, { totalMemory: bytes - 1, cores: 2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0].code).toBe('memory');
    expect(at(src, r.diagnostics[0])).toBe('256');
  });

  it('is allowed when it fits', () => {
    expect(compile(src, undefined, { totalMemory: bytes, cores: 2 }).ok).toBe(true);
    // One lane instead of two needs less (no replica, no second set of buffers).
    expect(compile(src, undefined, { totalMemory: bytes - 1, cores: 1 }).ok).toBe(true);
  });
});

describe('agreement with runtime/shapes', () => {
  it('every golden model the checker accepts, runtime inferShapes accepts with the same layers', () => {
    const src =
      'model a(input: 32x32x3) {\n conv 8 kernel 3x3 padding same relu\n conv 8 kernel 4x4 stride 2 padding same\n maxpool 2x2\n batchnorm\n flatten\n dropout 0.3\n dense 10 softmax\n}';
    const spec = model(src);
    const r = inferShapes(spec);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.layers.map((l) => l.name)).toEqual(spec.layers.map((l) => l.name));
  });
});
