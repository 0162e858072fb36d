// `npm run build && node dist/scripts/profile-pool.js [pairs] [window] [--copies]`: where the second lane loses time in
// LeNet-5 training (Fashion-MNIST, batch 64, SGD with momentum): windows of steps alternating this thread
// alone (the local engine) and a 2-lane pool, paired, with lane 0's time per phase of a pool step (copies,
// its own micro-batches, the barrier, its share of reduction and update, waiting for the other lane's
// share) beside the local engine's time per micro-batch. Weights are checked bit-identical at the end.
// A profile for reading, never a test.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadFashionMnist } from '../runtime/data/fashion-mnist.js';
import { createNet } from '../runtime/net.js';
import { createPool, type StepProfile } from '../runtime/pool/pool.js';
import { createRng } from '../runtime/rng.js';
import { createLocalEngine, type EngineOptions, type GradientEngine } from '../runtime/train/gradient-engine.js';
import { median } from './bench/common.js';
import { matmulRates } from './bench/convbook-matmul.js';
import { lenet5 } from './bench/lenet.js';

const BATCH = 64;

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const pairs = Number(args[0] ?? 8);
  const window = Number(args[1] ?? 30);
  const steps = 2 * pairs * window + 40;
  const fm = await loadFashionMnist({ train: 60000, test: 0, seed: 1 });
  if (!fm.ok) throw new Error(fm.error.message);
  const ds = fm.value;
  const optimizer = { spec: { kind: 'sgd' as const, lr: 0.01, momentum: 0.9, nesterov: false } };
  const opts = (net: ReturnType<typeof createNet>): EngineOptions => ({
    net,
    split: ds.train,
    shape: ds.shape,
    seed: 1,
    batch: BATCH,
    micro: 16,
    optimizer,
  });
  const order = Int32Array.from({ length: steps * BATCH }, (_, i) => (i * 7919) % ds.train.count);
  const batchOf = (s: number) => order.subarray(s * BATCH, (s + 1) * BATCH);

  // One net switching engines every window (as bench.js's paired windows do); a second net on the local engine only, for the bit check.
  const seeded = createNet(lenet5, { rng: createRng(1) });
  // --copies: weights in ordinary memory, so the pool copies them in and out every step (as before nets were shared).
  const copies = process.argv.includes('--copies');
  const net = copies
    ? createNet(lenet5, { params: Float32Array.from(seeded.paramBuf), grads: new Float32Array(seeded.paramBuf.length) })
    : seeded;
  const ref = createNet(lenet5, { rng: createRng(1) });
  const local = createLocalEngine(opts(net));
  const profile: StepProfile = { steps: 0, micro: 0, start: 0, finish: 0, own: 0, waitDone: 0, reduce: 0, waitReduced: 0 };
  const pool = await createPool({ ...opts(net), workers: 2, profile });
  const refEngine = createLocalEngine(opts(ref));
  let current: GradientEngine = local;
  const run = async (engine: GradientEngine, from: number, count: number) => {
    if (engine !== current) engine.optimizer!.setState(current.optimizer!.getState());
    current = engine;
    const t0 = performance.now();
    for (let s = from; s < from + count; s++) {
      await new Promise((r) => setImmediate(r));
      await engine.compute(s, batchOf(s), BATCH, 0.01);
    }
    return performance.now() - t0;
  };
  const capacity = async () => {
    const m = await matmulRates([1024], 3);
    return (m.two['1024'] / m.one['1024']).toFixed(2);
  };
  let step = 0;
  for (let k = 0; k < 2; k++) {
    await run(local, step, 10);
    step += 10;
    await run(pool, step, 10);
    step += 10;
  }
  const before = await capacity();
  const t1: number[] = [];
  const t2: number[] = [];
  Object.assign(profile, { steps: 0, micro: 0, start: 0, finish: 0, own: 0, waitDone: 0, reduce: 0, waitReduced: 0 });
  for (let p = 0; p < pairs; p++) {
    t1.push(await run(local, step, window));
    step += window;
    t2.push(await run(pool, step, window));
    step += window;
  }
  const after = await capacity();
  for (let s = 0; s < step; s++) await refEngine.compute(s, batchOf(s), BATCH, 0.01);
  const same = net.paramBuf.every((v, i) => Object.is(v, ref.paramBuf[i]));
  await pool.close();

  const perStep = (xs: number[]) => median(xs) / window;
  const ratios = t1.map((x, i) => x / t2[i]);
  const f = (x: number) => (x / profile.steps).toFixed(3);
  console.log(
    `LeNet-5, Fashion-MNIST, batch ${BATCH} (4 micro-batches of 16), weights ${copies ? 'copied in and out' : 'shared in place'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `1 lane ${perStep(t1).toFixed(2)} ms/step, 2 lanes ${perStep(t2).toFixed(2)} ms/step; paired speed-up median ${median(ratios).toFixed(2)}× (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ${pairs} pairs of ${window} steps)`,
  );
  console.log(`the machine's own 2-thread capacity (1024² matmul): ${before}× before, ${after}× after`);
  console.log(
    `lane 0 per 2-lane step (ms): start ${f(profile.start)}, finish ${f(profile.finish)}, own micro-batches ${f(profile.own)} (${(profile.micro / profile.steps).toFixed(2)} of 4, ${(profile.own / profile.micro).toFixed(3)} ms each), barrier wait ${f(profile.waitDone)}, reduce+update ${f(profile.reduce)}, wait for lane 1's share ${f(profile.waitReduced)}`,
  );
  console.log(
    `1 lane: ${(perStep(t1) / 4).toFixed(3)} ms per micro-batch, reduction and update included; weights bit-identical to a local-only run: ${same ? 'yes' : 'NO'}`,
  );
}

await main();
