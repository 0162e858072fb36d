// arithmetic fused: a net computing with relaxed-SIMD fused multiply-add gives the portable net's outputs
// and gradients to float32 rounding (a kernel bug would be far off), moves some bits where the CPU has FMA,
// and leaves code outside the net (the module's current mode) on the portable kernels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arithmeticUnavailable, wasm, wasmAvailable, withArithmetic } from '../../runtime/kernels/wasm-module.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';

const cpuHasFma = () => process.arch === 'arm64' || /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));

const pad = { top: 1, bottom: 1, left: 1, right: 1, mode: 'zero' } as const;
const spec: ModelSpec = {
  name: 'small',
  input: { c: 3, h: 12, w: 12 },
  layers: [
    { kind: 'conv2d', name: 'conv1', filters: 8, kernel: [3, 3], stride: [1, 1], padding: pad, activation: 'relu', init: 'he' },
    { kind: 'conv2d', name: 'conv2', filters: 12, kernel: [3, 3], stride: [1, 1], padding: pad, activation: 'relu', init: 'he' },
    { kind: 'maxpool', name: 'pool1', size: [2, 2], stride: [2, 2] },
    { kind: 'flatten', name: 'flat' },
    { kind: 'dense', name: 'fc', units: 40, activation: 'relu', init: 'he' },
    { kind: 'dense', name: 'out', units: 5, activation: 'softmax', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};

function pass(arithmetic: 'portable' | 'fused') {
  const net = createNet(spec, { rng: createRng(2), arithmetic });
  const rng = createRng(5);
  const n = 6;
  const x = Float32Array.from({ length: n * 3 * 144 }, () => rng.next());
  const y = net.forward(x, n, 'train', createRng(1)).slice() as Float32Array;
  net.zeroGrad();
  net.backward(
    Int32Array.from({ length: n }, (_, i) => i % 5),
    1 / n,
  );
  return { y, grad: net.gradBuf.slice() as Float32Array };
}

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('arithmetic fused', () => {
  it.skipIf(arithmeticUnavailable('fused') !== undefined)(
    'agrees with portable to float32 rounding, and is not the same bits where the CPU fuses',
    () => {
      const p = pass('portable'),
        f = pass('fused');
      expect(maxDiff(f.y, p.y)).toBeLessThanOrEqual(1e-5 * maxAbs(p.y));
      expect(maxDiff(f.grad, p.grad)).toBeLessThanOrEqual(1e-5 * maxAbs(p.grad));
      expect(maxAbs(p.grad)).toBeGreaterThan(0);
      if (cpuHasFma()) expect(Buffer.from(f.grad.buffer).equals(Buffer.from(p.grad.buffer))).toBe(false);
      // Deterministic: the same pass twice gives the same bits.
      expect(Buffer.from(pass('fused').grad.buffer).equals(Buffer.from(f.grad.buffer))).toBe(true);
    },
  );

  it('switches the module only inside withArithmetic, back to portable after (even when f throws)', () => {
    expect(wasmAvailable()).toBe(true);
    const portable = wasm();
    withArithmetic('fused', () => expect(wasm() === portable).toBe(arithmeticUnavailable('fused') !== undefined));
    expect(wasm()).toBe(portable);
    expect(() =>
      withArithmetic('fused', () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(wasm()).toBe(portable);
  });
});
