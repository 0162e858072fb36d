// `npm run build && node dist/scripts/bench-evaluate.js [rounds]`: evaluation of the 10,000 Fashion-MNIST test
// images by LeNet-5 on one lane (runtime evaluate(), what `evaluate` runs today) against the pool's evaluation
// on 2 lanes (what train() runs after each epoch), alternating in one process so both see the same load;
// the pool is started once, outside the timing. Checks the two give the same loss and accuracy bits, and prints
// the machine's own 2-thread capacity (a 1024² matmul on 2 threads over 1) before and after.
// A benchmark, never a test.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadFashionMnist } from '../runtime/data/fashion-mnist.js';
import { createNet } from '../runtime/net.js';
import { createPool } from '../runtime/pool/pool.js';
import { createRng } from '../runtime/rng.js';
import { evaluate } from '../runtime/train/metrics.js';
import { median } from './bench/common.js';
import { matmulRates } from './bench/convbook-matmul.js';
import { lenet5 } from './bench/lenet.js';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 7);
  const fm = await loadFashionMnist({ train: 1000, test: 10000, seed: 1 });
  if (!fm.ok) throw new Error(fm.error.message);
  const ds = fm.value;
  const net = createNet(lenet5, { rng: createRng(1) });
  const idx = Int32Array.from({ length: ds.test.count }, (_, i) => i);
  const pool = await createPool({ net, split: ds.train, test: ds.test, shape: ds.shape, seed: 1, batch: 64, micro: 16, workers: 2 });
  try {
    const one = () => evaluate(net, ds.test, ds.shape, idx);
    const two = () => pool.evaluate!('test', idx);
    const a = one(),
      b = await two(); // warm-up, and the bit check
    one();
    await two();
    const same = a.loss === b.loss && a.acc === b.acc;
    const capacity = async () => {
      const m = await matmulRates([1024], 3);
      return (m.two['1024'] / m.one['1024']).toFixed(2);
    };
    const before = await capacity();
    const t1: number[] = [],
      t2: number[] = [],
      ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      one();
      t1.push(performance.now() - t0);
      t0 = performance.now();
      await two();
      t2.push(performance.now() - t0);
      ratios.push(t1[r] / t2[r]);
    }
    console.log(
      `evaluate 10,000 Fashion-MNIST test images, LeNet-5 — load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `1 lane ${median(t1).toFixed(0)} ms (${((10000 / median(t1)) * 1000).toFixed(0)} img/s), 2 lanes ${median(t2).toFixed(0)} ms (${((10000 / median(t2)) * 1000).toFixed(0)} img/s); ` +
        `paired speed-up median ${median(ratios).toFixed(2)}× (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ${rounds} pairs); loss and accuracy bit-identical: ${same ? 'yes' : `NO (${a.loss} ${a.acc} vs ${b.loss} ${b.acc})`}`,
    );
    console.log(`the machine's own 2-thread capacity (1024² matmul, 2 threads over 1): ${before}× before, ${await capacity()}× after`);
  } finally {
    await pool.close();
  }
}

await main();
