// The training loop: it learns, its events come in order, runs are reproducible, early stopping restores
// the best snapshot, abort keeps the last completed step, and resuming from a checkpoint changes nothing.
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { TrainCheckpoint } from '../../runtime/train/checkpoint.js';
import type { TrainEvent } from '../../runtime/train/events.js';
import { train, validationSplit } from '../../runtime/train/loop.js';
import { evaluate } from '../../runtime/train/metrics.js';
import { createLocalEngine } from '../../runtime/train/gradient-engine.js';
import { toyData, toyModel, trainSpec } from './train-helpers.js';

const data = toyData();
const fresh = (extra: Parameters<typeof toyModel>[0] = {}) => createNet(toyModel(extra), { rng: createRng(3) });

describe('micro-batch engine', () => {
  it('summed micro-batch gradients equal the whole-batch gradient of the mean loss (float64)', async () => {
    const net = createNet(toyModel(), { dtype: 'float64', rng: createRng(3) });
    const n = 37; // micro-batches 16 + 16 + 5
    const batch = Int32Array.from({ length: n }, (_, i) => (i * 5) % data.train.count);
    const engine = createLocalEngine({ net, split: data.train, shape: data.shape, seed: 1, batch: n, micro: 16 });
    const r = await engine.compute(0, batch, n);
    const micro = net.gradBuf.slice();
    // The same batch in one forward/backward.
    const x = new Float64Array(n * 64);
    batch.forEach((e, k) => {
      for (let i = 0; i < 64; i++) x[k * 64 + i] = data.train.images[e * 64 + i] / 255;
    });
    net.zeroGrad();
    net.forward(x, n, 'train', createRng(0));
    const loss = net.backward(
      Int32Array.from(batch, (e) => data.train.labels[e]),
      1 / n,
    );
    expect(r.loss).toBeCloseTo(loss, 10);
    micro.forEach((g, i) => expect(g).toBeCloseTo(net.gradBuf[i], 12));
    expect(micro.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    // Eval-mode metrics use the same loss as training (no dropout or batch norm here).
    const ev = evaluate(net, data.train, data.shape, Array.from(batch));
    expect(ev.loss).toBeCloseTo(loss / n, 10);
  });
});

describe('train', () => {
  it('learns the toy task and reports start, steps, evals, epochs and done in order', async () => {
    const net = fresh({ dropout: true });
    const events: TrainEvent[] = [];
    const r = await train({
      net,
      spec: trainSpec({
        epochs: 4,
        evalEvery: 5,
        optimizer: { kind: 'adam', lr: 0.03, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
        augment: { shift: 1, noise: 0.02 },
      }),
      data,
      onEvent: (e) => events.push(e),
    });
    expect(r.reason).toBe('completed');
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types[types.length - 1]).toBe('done');
    const start = events[0] as Extract<TrainEvent, { type: 'start' }>;
    expect(start.train).toBe(192);
    expect(start.val).toBe(48);
    expect(start.stepsPerEpoch).toBe(6);
    expect(types.filter((t) => t === 'step').length).toBe(24);
    expect(types.filter((t) => t === 'epoch').length).toBe(4);
    // evals: step 0, every 5 steps, every epoch end (6, 12, 18, 24), shared when they coincide
    expect(r.history.evals.map((e) => e.step)).toEqual([0, 5, 6, 10, 12, 15, 18, 20, 24]);
    const last = r.history.evals[r.history.evals.length - 1];
    expect(last.val!.acc).toBeGreaterThan(0.9);
    expect(last.val!.loss).toBeLessThan(r.history.evals[0].val!.loss / 2);
    expect(last.test).toBeUndefined();
    // The history is plain data.
    expect(JSON.parse(JSON.stringify(r.history))).toEqual(r.history);
  });

  it('the validation split is fixed by the seed and disjoint from training', () => {
    const a = validationSplit(100, 0.2, 9);
    expect(a.val.length).toBe(20);
    expect(new Set([...a.train, ...a.val]).size).toBe(100);
    expect(validationSplit(100, 0.2, 9)).toEqual(a);
    expect(validationSplit(100, 0.2, 10).val).not.toEqual(a.val);
  });

  it('is reproducible: same seed → same bits; another seed → other weights', async () => {
    const run = async (seed: number) => {
      const net = fresh({ dropout: true, batchnorm: true });
      await train({ net, spec: trainSpec({ seed, augment: { rotate: 10, flip: true } }), data });
      return net.paramBuf.slice();
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('early stopping keeps the best snapshot and restores it when validation loss rises', async () => {
    // A negative learning rate climbs the loss: the best evaluation is the first one the early stopper sees.
    const net = fresh();
    const snapshots = new Map<number, Float32Array>();
    const events: TrainEvent[] = [];
    const spec = trainSpec({
      epochs: 5,
      optimizer: { kind: 'sgd', lr: -0.02, momentum: 0, nesterov: false },
      earlyStop: { every: 2, patience: 3, restoreBest: true, metric: 'loss' },
    });
    const r = await train({
      net,
      spec,
      data,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step') snapshots.set(e.step, net.paramBuf.slice() as Float32Array);
      },
    });
    expect(r.reason).toBe('early_stop');
    expect(r.restored).toBe(true);
    expect(r.best!.step).toBe(2);
    expect(r.step).toBe(8); // evaluations at 4, 6, 8 are worse: patience 3 runs out at step 8
    const val = r.history.evals.filter((e) => e.step % 2 === 0 && e.step > 0).map((e) => e.val!.loss);
    expect(val[1]).toBeGreaterThan(val[0]);
    expect(r.best!.value).toBe(val[0]);
    expect(net.paramBuf).toEqual(snapshots.get(2));
    expect(net.paramBuf).not.toEqual(snapshots.get(8));
    const stop = events.find((e) => e.type === 'early_stop');
    expect(stop).toMatchObject({ type: 'early_stop', step: 8, restored: true, best: { step: 2, metric: 'loss' } });
    expect(events[events.length - 1]).toMatchObject({ type: 'done', reason: 'early_stop' });
  });

  it('early stopping without restore leaves the last weights', async () => {
    const net = fresh();
    let last: Float32Array | undefined;
    const spec = trainSpec({
      epochs: 5,
      optimizer: { kind: 'sgd', lr: -0.5, momentum: 0, nesterov: false },
      earlyStop: { every: 2, patience: 2, restoreBest: false, metric: 'accuracy' },
    });
    const r = await train({ net, spec, data, onEvent: (e) => e.type === 'step' && (last = net.paramBuf.slice() as Float32Array) });
    expect(r.reason).toBe('early_stop');
    expect(r.restored).toBe(false);
    expect(net.paramBuf).toEqual(last);
  });

  for (const kind of ['object', 'int32'] as const) {
    it(`abort (${kind} flag) stops between batches with the last completed step's weights`, async () => {
      const net = fresh();
      const flag = kind === 'object' ? { aborted: false } : new Int32Array(new SharedArrayBuffer(4));
      let atStep3: Float32Array | undefined;
      const r = await train({
        net,
        spec: trainSpec({ epochs: 3 }),
        data,
        abort: flag,
        onEvent: (e) => {
          if (e.type === 'step' && e.step === 3) {
            atStep3 = net.paramBuf.slice() as Float32Array;
            if (flag instanceof Int32Array) Atomics.store(flag, 0, 1);
            else flag.aborted = true;
          }
        },
      });
      expect(r.reason).toBe('aborted');
      expect(r.step).toBe(3);
      expect(r.history.steps.length).toBe(3);
      expect(net.paramBuf).toEqual(atStep3);
    });
  }

  it('resuming from an epoch checkpoint gives the same weights and history as an uninterrupted run', async () => {
    const spec = trainSpec({
      epochs: 3,
      optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
      schedule: { kind: 'exponential', d: 10, r: 20 },
      augment: { shift: 1 },
    });
    const whole = fresh({ dropout: true, batchnorm: true });
    const checkpoints: TrainCheckpoint[] = [];
    const a = await train({ net: whole, spec, data, onCheckpoint: (c) => checkpoints.push(c) });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    const resumed = fresh({ dropout: true, batchnorm: true });
    resumed.paramBuf.fill(0); // the checkpoint must supply everything
    const b = await train({ net: resumed, spec, data, resume: structuredClone(checkpoints[0]) });
    expect(resumed.paramBuf).toEqual(whole.paramBuf);
    expect(resumed.stateBuf).toEqual(whole.stateBuf);
    expect(b.history).toEqual(a.history);
  });

  it('frozen layers keep their weights; the rest train', async () => {
    const net = fresh({ frozen: ['conv1'] });
    const conv = net.params.filter((p) => p.layer === 'conv1').map((p) => p.value.slice());
    const out = net.params.filter((p) => p.layer === 'out').map((p) => p.value.slice());
    await train({ net, spec: trainSpec({ epochs: 1, weightDecay: { mode: 'decoupled', value: 0.01 } }), data });
    net.params.filter((p) => p.layer === 'conv1').forEach((p, i) => expect(p.value).toEqual(conv[i]));
    net.params.filter((p) => p.layer === 'out').forEach((p, i) => expect(p.value).not.toEqual(out[i]));
  });

  it('the plateau schedule lowers η after each flat evaluation, from the recorded history', async () => {
    const net = fresh();
    // η so small the validation loss cannot move by ε between checks: every check after the first cuts η.
    const spec = trainSpec({
      epochs: 1,
      optimizer: { kind: 'sgd', lr: 1e-9, momentum: 0, nesterov: false },
      schedule: { kind: 'plateau', every: 2, factor: 0.5, epsilon: 1e-3, min: 0 },
    });
    const r = await train({ net, spec, data });
    expect(r.history.evals.map((e) => e.step)).toEqual([0, 2, 4, 6]);
    // The evaluation after s updates governs update s (StepRecord.step = s + 1).
    expect(r.history.steps.map((s) => s.lr)).toEqual([1e-9, 1e-9, 0.5e-9, 0.5e-9, 0.25e-9, 0.25e-9]);
  });
});
