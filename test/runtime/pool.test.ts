// Data-parallel training: 1, 2 and 4 workers give bit-identical weights, state and metrics (augmentation,
// dropout and batch norm on); a crashing worker gives a clear error, leaves the last completed step's
// weights, and the pool restarts. Needs the compiled worker: run `npm run build` first.
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createLocalEngine } from '../../runtime/train/gradient-engine.js';
import { reduceSlots } from '../../runtime/train/micro-batch.js';
import { createPool } from '../../runtime/pool/pool.js';
import { createSpinner, SPIN_MS } from '../../runtime/pool/shared-memory.js';
import { createRng } from '../../runtime/rng.js';
import type { TrainEvent } from '../../runtime/train/events.js';
import { resolveWorkers, train } from '../../runtime/train/loop.js';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import type { Arithmetic } from '../../runtime/spec.js';
import { toyData, toyModel, trainSpec } from './train-helpers.js';

const data = toyData(200, 40);
// Enough examples that every measurement spans several chunks of 250, handed to different lanes.
const evalData = toyData(460, 600);
const model = toyModel({ dropout: true, batchnorm: true });
// batch 40 with micro-batches of 16 → 16 + 16 + 8, and a last batch of 30 → 16 + 14: workers get unequal shares
const spec = trainSpec({
  epochs: 2,
  batch: 40,
  validation: 0.25,
  evalEvery: 3,
  augment: { shift: 1, rotate: 10, flip: true, noise: 0.05 },
  optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
});

async function run(workers: number, spin?: number, arithmetic?: Arithmetic) {
  const net = createNet(model, { rng: createRng(4) });
  const steps: unknown[] = [];
  // evalTest: the pool measures train sample, validation and test splits on every lane; the numbers must not move.
  const r = await train({
    net,
    spec: { ...spec, workers, arithmetic },
    data: evalData,
    evalTest: true,
    trainEvalLimit: 300,
    engine: spin === undefined ? undefined : (o, w) => createPool({ ...o, workers: w, spin }),
    onEvent: (e: TrainEvent) => e.type === 'step' && steps.push([e.loss, e.acc, e.lr]),
  });
  return { params: net.paramBuf.slice(), state: net.stateBuf.slice(), evals: r.history.evals, steps, history: r.history };
}

/** Whether Linux reports FMA for this CPU (x86 flag fma, Arm64 has it always); false where it cannot tell. */
function cpuHasFma(): boolean {
  if (process.arch === 'arm64') return true;
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

describe('slot reduction', () => {
  it('equals adding the slots one after another into a zeroed float32 buffer (rounding, −0 and all)', () => {
    const len = 37,
      count = 5;
    const rng = createRng(9);
    // Values of very different sizes, so the order and the per-step float32 rounding both matter.
    const slots = Float32Array.from({ length: len * count }, () => (rng.next() - 0.5) * 10 ** rng.int(8));
    slots[0] = -0;
    slots[len] = -0;
    slots[2 * len] = -0;
    slots[3 * len] = -0;
    slots[4 * len] = -0;
    const expected = new Float32Array(len);
    for (let m = 0; m < count; m++) for (let i = 0; i < len; i++) expected[i] += slots[m * len + i];
    const got = new Float32Array(len).fill(7);
    reduceSlots(got, slots, count, len);
    expect(got).toEqual(expected);
    expect(Object.is(got[0], 0)).toBe(true);
    const wide = new Float64Array(len);
    reduceSlots(wide, Float64Array.from(slots), count, len);
    expect(Array.from(wide).some((v, i) => v !== got[i])).toBe(true); // float64 sums keep bits float32 rounds away
  });

  it('gives the same bits over several blocks, for any sub-range and slot count (0 included)', () => {
    const len = 5001;
    const rng = createRng(11);
    const slots = Float32Array.from({ length: len * 4 }, () => (rng.next() - 0.5) * 10 ** rng.int(8));
    for (const count of [0, 1, 2, 4])
      for (const [from, to] of [
        [0, len],
        [1000, 4500],
        [2047, 2049],
      ]) {
        const expected = new Float32Array(len).fill(3);
        for (let i = from; i < to; i++) {
          let s = 0;
          for (let m = 0; m < count; m++) s = Math.fround(s + slots[m * len + i]);
          expected[i] = s;
        }
        const got = new Float32Array(len).fill(3);
        reduceSlots(got, slots, count, len, from, to);
        expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer)), `count ${count}, [${from}, ${to})`).toBe(true);
      }
  });
});

describe('spin budget', () => {
  it('drops to nothing after a long wait and doubles back from SPIN_MS/16 after short ones', () => {
    const s = createSpinner();
    const ctl = new Int32Array(1);
    expect(s.budget).toBe(SPIN_MS);
    s.slept(performance.now() - 5 * SPIN_MS);
    expect(s.budget).toBe(0);
    // With no budget a spin is one look: false while the word is unchanged, true once it changed.
    expect(s.spin(ctl, 0, 0)).toBe(false);
    expect(s.spin(ctl, 0, 1)).toBe(true);
    const seen: number[] = [];
    for (let k = 0; k < 6; k++) {
      s.slept(performance.now());
      seen.push(s.budget);
    }
    expect(seen).toEqual([1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 1].map((f) => f * SPIN_MS));
    s.slept(performance.now() - 5 * SPIN_MS);
    expect(s.budget).toBe(0);
    // A spinner that may not spin (the pool's testing aid spin: 0) never does.
    const never = createSpinner(0);
    never.slept(performance.now());
    expect(never.budget).toBe(0);
  });
});

describe('worker pool', () => {
  it('1, 2 and 4 workers give bit-identical weights, batch-norm state and metrics', async () => {
    const one = await run(1);
    const two = await run(2);
    const four = await run(4);
    expect(one.steps.length).toBe(18); // 345 training examples: 9 batches (the last of 25) per epoch
    expect(one.evals[0].test).toBeDefined();
    expect(one.state.some((v) => v !== 0 && v !== 1)).toBe(true); // running statistics moved
    for (const other of [two, four]) {
      expect(other.params).toEqual(one.params);
      expect(other.state).toEqual(one.state);
      expect(other.steps).toEqual(one.steps);
      expect(other.evals).toEqual(one.evals);
    }
  });

  it('arithmetic fused: 1, 2 and 4 workers give bit-identical weights, state and metrics, recorded as fused', async () => {
    const portable = await run(1);
    const one = await run(1, undefined, 'fused');
    expect(one.history.arithmetic).toBe('fused');
    expect(portable.history.arithmetic).toBeUndefined();
    // Where the CPU has FMA, V8 fuses, and rounding once moves the bits (elsewhere both modes agree).
    if (cpuHasFma()) expect(one.params).not.toEqual(portable.params);
    for (const other of [await run(2, undefined, 'fused'), await run(4, undefined, 'fused')]) {
      expect(other.params).toEqual(one.params);
      expect(other.state).toEqual(one.state);
      expect(other.steps).toEqual(one.steps);
      expect(other.evals).toEqual(one.evals);
    }
  });

  it('lanes that never spin (they sleep at every wait) give the same bits on 2 and 4 workers', async () => {
    const one = await run(1);
    for (const other of [await run(2, 0), await run(4, 0)]) {
      expect(other.params).toEqual(one.params);
      expect(other.state).toEqual(one.state);
      expect(other.steps).toEqual(one.steps);
      expect(other.evals).toEqual(one.evals);
    }
  });

  it("abort with workers stops between batches with the last completed step's weights", async () => {
    const net = createNet(model, { rng: createRng(4) });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let atStep2: Float32Array | undefined;
    const r = await train({
      net,
      spec: { ...spec, workers: 2 },
      data,
      abort: flag,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 2) {
          atStep2 = net.paramBuf.slice() as Float32Array;
          Atomics.store(flag, 0, 1);
        }
      },
    });
    expect(r.reason).toBe('aborted');
    expect(r.step).toBe(2);
    expect(net.paramBuf).toEqual(atStep2);
  });

  it('a crashing worker: clear error, weights of the last completed step, and the pool restarts', async () => {
    const net = createNet(model, { rng: createRng(4) });
    let afterStep2: Float32Array | undefined;
    let stateAfterStep2: Float32Array | undefined;
    const run = train({
      net,
      spec: { ...spec, workers: 2 },
      data,
      engine: (o, workers) => createPool({ ...o, workers, fault: { step: 2, micro: 1 } }),
      onEvent: (e) => {
        if (e.type !== 'step' || e.step !== 2) return;
        afterStep2 = net.paramBuf.slice() as Float32Array;
        stateAfterStep2 = net.stateBuf.slice() as Float32Array;
      },
    });
    await expect(run).rejects.toThrow(/training worker 2 of 2 failed: injected fault at step 2, micro-batch 1/);
    expect(net.paramBuf).toEqual(afterStep2);
    // Lane 0 ran micro-batch 0 of the failed step in train mode: its batch-norm statistics are undone too.
    expect(net.stateBuf.some((v) => v !== 0 && v !== 1)).toBe(true);
    expect(net.stateBuf).toEqual(stateAfterStep2);

    // The same pool, after a crash, restarts its workers and computes what a local engine computes.
    const a = createNet(model, { rng: createRng(4) });
    const b = createNet(model, { rng: createRng(4) });
    const o = { split: data.train, shape: data.shape, seed: 1, batch: 40, micro: 16, augment: spec.augment };
    const pool = await createPool({ ...o, net: a, workers: 2, fault: { step: 0, micro: 2 } });
    const local = createLocalEngine({ ...o, net: b });
    const batch = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 200);
    try {
      await expect(pool.compute(0, batch, 40)).rejects.toThrow(/injected fault/);
      const r1 = await pool.compute(0, batch, 40);
      const r2 = await local.compute(0, batch, 40);
      expect(r1).toEqual(r2);
      expect(a.gradBuf).toEqual(b.gradBuf);
      expect(a.gradBuf.some((v) => v !== 0)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('workers 0 (the default) means one lane per core, at most one per micro-batch; float64 stays on one thread', () => {
    const f32 = createNet(model, { rng: createRng(1) });
    const f64 = createNet(model, { rng: createRng(1), dtype: 'float64' });
    const cores = availableParallelism();
    expect(resolveWorkers(0, f32, 64, 16)).toBe(Math.min(cores, 4));
    expect(resolveWorkers(0, f32, 16, 16)).toBe(1);
    expect(resolveWorkers(0, f32, 40, 16)).toBe(Math.min(cores, 3));
    expect(resolveWorkers(0, f64, 64, 16)).toBe(1);
    expect(resolveWorkers(3, f32, 64, 16)).toBe(3);
  });
});
