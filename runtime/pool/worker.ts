// A pool worker: one Net replica whose weights are a view of the master's shared parameter buffer,
// computing its first micro-batch and then whichever the shared counter hands it into their shared
// gradient slots (see micro-batch.ts); which thread computes a slot does not change its bits.
import { parentPort, workerData } from 'node:worker_threads';
import { createNet } from '../net.js';
import { createMicroContext, runMicroBatch } from './micro-batch.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

try {
  const params = new Float32Array(init.params);
  const net = createNet(init.spec, { dtype: 'float32', params });
  const P = params.length;
  const S = net.stateBuf.length;
  const split = {
    images: init.imagesKind === 'u8' ? new Uint8Array(init.images) : new Float32Array(init.images),
    labels: new Uint8Array(init.labels),
    count: init.count,
  };
  const ctx = createMicroContext(net, split, init.shape, init.seed, init.micro, init.augment);
  const gradSlots = new Float32Array(init.gradSlots);
  const stateStart = new Float32Array(init.stateStart);
  const stateSlots = new Float32Array(init.stateSlots);
  const stats = new Float64Array(init.stats);
  const batch = new Int32Array(init.batch);
  const next = new Int32Array(init.next);

  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'step') return;
    for (let m = msg.first; m < msg.count; m = Atomics.add(next, 0, 1)) {
      if (init.fault && init.fault.step === msg.step && init.fault.micro === m) {
        // Deliberately uncaught: this is how the pool's crash handling is tested.
        throw new Error(`injected fault at step ${msg.step}, micro-batch ${m}`);
      }
      let r: { loss: number; correct: number };
      try {
        r = runMicroBatch(ctx, msg.step, m, batch, msg.n, gradSlots.subarray(m * P, (m + 1) * P), stateStart, stateSlots.subarray(m * S, (m + 1) * S));
      } catch (e) {
        send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        return;
      }
      stats[2 * m] = r.loss;
      stats[2 * m + 1] = r.correct;
    }
    send({ type: 'done', step: msg.step });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
