// A pool worker, kept between jobs (runtime/pool/lanes.ts): each job message builds one Net replica whose
// weights are a view of the master's shared parameter buffer. It sleeps on the control word GEN; each step
// it computes its first micro-batch and then whichever the shared counter hands it, waits at the barrier
// until every micro-batch is in, reduces its share of the gradient slots (see train/micro-batch.ts) and
// applies the optimizer to that share of the weights; which thread computes, reduces or updates what never
// changes a bit. GEN = −1 ends the job: the thread drops the replica and waits for the next job message.
import { parentPort } from 'node:worker_threads';
import { createNet } from '../net.js';
import { createOptimizer } from '../optim/index.js';
import { createMicroContext, runMicroBatch } from '../train/micro-batch.js';
import { evalBuffers, evalChunk } from '../train/metrics.js';
import { addSlot, Ctl, laneShare, MODE_EVAL, createSpinner, type FromWorker, type ToWorker, type WorkerInit } from './shared-memory.js';
import { copyOutputs } from './outputs.js';
import type { Buf } from '../types.js';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

function setup(init: WorkerInit) {
  const params = new Float32Array(init.params);
  const net = createNet(init.spec, { dtype: 'float32', params, arithmetic: init.arithmetic });
  const view = (images: SharedArrayBuffer, kind: 'u8' | 'f32', labels: SharedArrayBuffer, count: number) => ({
    images: kind === 'u8' ? new Uint8Array(images) : new Float32Array(images),
    labels: new Uint8Array(labels),
    count,
  });
  const split = view(init.images, init.imagesKind, init.labels, init.count);
  const t = init.test;
  const grad = new Float32Array(init.grad);
  const o = init.optimizer;
  // Over the shared weights, the shared reduced gradient and the shared state: this lane's share of each update.
  const optimizer =
    o &&
    createOptimizer(o.spec, net.params, params, grad, {
      frozen: o.frozen,
      weightDecay: o.weightDecay,
      slots: (name) => new Float64Array(o.slots[name]),
    });
  return {
    net,
    optimizer,
    splits: [split, t ? view(t.images, t.imagesKind, t.labels, t.count) : split],
    evalIdx: new Int32Array(init.evalIdx),
    evalStats: new Float64Array(init.evalStats),
    evalBufs: evalBuffers(net, init.shape),
    lr: new Float64Array(init.lr),
    P: params.length,
    S: net.stateBuf.length,
    ctx: createMicroContext(net, split, init.shape, init.seed, init.micro, init.augment),
    gradSlots: new Float32Array(init.gradSlots),
    grad,
    stateStart: new Float32Array(init.stateStart),
    stateSlots: new Float32Array(init.stateSlots),
    stats: new Float64Array(init.stats),
    ready: new Int32Array(init.ready),
    batch: new Int32Array(init.batch),
    ctl: new Int32Array(init.ctl),
    out: init.outputs && { values: new Float32Array(init.outputs.buffer), size: init.outputs.size, layer: init.outputs.layer },
  };
}
type Job = ReturnType<typeof setup>;

/** Testing aid (WorkerInit.fault): the thrown error crashes this worker, uncaught. */
class InjectedFault extends Error {}

function withFault(f: { step: number; micro: number }): typeof runMicroBatch {
  return (...args) => {
    const [, step, m] = args;
    if (f.step === step && f.micro === m) throw new InjectedFault(`injected fault at step ${step}, micro-batch ${m}`);
    return runMicroBatch(...args);
  };
}

port.on('message', (m: ToWorker) => {
  if (m.type !== 'job') return;
  const init = m.init;
  let s: Job;
  try {
    s = setup(init);
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const { ctl } = s;
  // Read before saying ready: the master starts no step before it hears that, so no bump is missed.
  const gen = Atomics.load(ctl, Ctl.GEN);
  send({ type: 'ready' });
  // The job loop blocks this thread; it runs after the ready message has left.
  setImmediate(() => runJob(init, s, gen));
});

/** Steps and evaluations until GEN = −1. */
function runJob(init: WorkerInit, s: Job, gen: number): void {
  const { ctl, P, S } = s;
  /** The micro-batch runner, chosen once: only a job started with a fault checks for it. */
  const runMicro: typeof runMicroBatch = init.fault ? withFault(init.fault) : runMicroBatch;
  const share = laneShare(init.index, init.lanes, P);
  const onGen = createSpinner(init.spin),
    onDone = createSpinner(init.spin);
  for (;;) {
    // The next step usually starts within a millisecond (the master only updates the weights).
    const since = performance.now();
    if (!onGen.spin(ctl, Ctl.GEN, gen)) {
      Atomics.wait(ctl, Ctl.GEN, gen);
      onGen.slept(since);
    }
    gen = Atomics.load(ctl, Ctl.GEN);
    if (gen < 0) return;
    if (ctl[Ctl.MODE] === MODE_EVAL) {
      if (!measure(init, s)) return;
      continue;
    }
    const step = ctl[Ctl.STEP],
      n = ctl[Ctl.N],
      M = ctl[Ctl.COUNT];
    for (let m = init.index; m < M; m = Atomics.add(ctl, Ctl.NEXT, 1)) {
      let r: { loss: number; correct: number };
      try {
        r = runMicro(
          s.ctx,
          step,
          m,
          s.batch,
          n,
          s.gradSlots.subarray(m * P, (m + 1) * P),
          s.stateStart,
          s.stateSlots.subarray(m * S, (m + 1) * S),
        );
      } catch (e) {
        // Deliberately uncaught: this is how the pool's crash handling is tested.
        if (e instanceof InjectedFault) throw e;
        // The master sees this message when it next yields; it then stops every worker.
        send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        return;
      }
      s.stats[2 * m] = r.loss;
      s.stats[2 * m + 1] = r.correct;
      Atomics.store(s.ready, m, gen);
      if (Atomics.add(ctl, Ctl.DONE, 1) + 1 === M) Atomics.notify(ctl, Ctl.DONE);
    }
    // The barrier, reducing this lane's share slot by slot as the micro-batches come in (pool.ts does the same).
    let k = 0;
    for (let v = Atomics.load(ctl, Ctl.DONE); ; v = Atomics.load(ctl, Ctl.DONE)) {
      while (k < M && Atomics.load(s.ready, k) === gen) addSlot(s.grad, s.gradSlots, k++, P, share.from, share.to);
      if (v >= M) break;
      const since = performance.now();
      if (!onDone.spin(ctl, Ctl.DONE, v)) {
        Atomics.wait(ctl, Ctl.DONE, v);
        onDone.slept(since);
      }
    }
    const t = ctl[Ctl.UPDATE];
    if (t > 0) s.optimizer?.update(s.lr[0], t, share.from, share.to);
    Atomics.add(ctl, Ctl.REDUCED, 1);
    Atomics.notify(ctl, Ctl.REDUCED);
  }
}

/**
 * Eval chunks handed out like micro-batches: weights from the shared buffer, batch-norm state from
 * stateStart; with OUTPUTS set, each example's output (of the job's layer) goes to the shared outputs.
 */
function measure(init: WorkerInit, s: Job): boolean {
  const { ctl, S } = s;
  const n = ctl[Ctl.N],
    chunks = ctl[Ctl.COUNT],
    chunk = ctl[Ctl.CHUNK];
  const split = s.splits[ctl[Ctl.SPLIT]];
  const out = ctl[Ctl.OUTPUTS] === 1 ? s.out : undefined;
  if (S > 0) s.net.stateBuf.set(s.stateStart);
  if (s.evalBufs.labels.length < chunk) s.evalBufs = evalBuffers(s.net, init.shape, chunk);
  for (let c = init.index; c < chunks; c = Atomics.add(ctl, Ctl.NEXT, 1)) {
    let r: { loss: number; correct: number };
    try {
      const m = Math.min(chunk, n - c * chunk);
      const keep = out && ((y: Buf) => copyOutputs(s.net, out.layer, y, out.values, out.size, c * chunk, m));
      r = evalChunk(s.net, split, init.shape, s.evalIdx, c * chunk, m, s.evalBufs, keep);
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return false;
    }
    s.evalStats[2 * c] = r.loss;
    s.evalStats[2 * c + 1] = r.correct;
    if (Atomics.add(ctl, Ctl.DONE, 1) + 1 === chunks) Atomics.notify(ctl, Ctl.DONE);
  }
  Atomics.add(ctl, Ctl.REDUCED, 1);
  Atomics.notify(ctl, Ctl.REDUCED);
  return true;
}
