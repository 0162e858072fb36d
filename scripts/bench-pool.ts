// Benchmark, not a test: LeNet-5 training throughput (images/s) on the embedded MNIST digits with 1, 2 and 4
// pool workers, and a check that all three end with the same weights. `npm run build && node dist/scripts/bench-pool.js [steps]`
import { loadMnist } from '../runtime/data/mnist.js';
import { createNet } from '../runtime/net.js';
import { createRng } from '../runtime/rng.js';
import type { TrainSpec } from '../runtime/spec.js';
import { train } from '../runtime/train/loop.js';
import { lenet5 } from './bench/lenet.js';

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 60);
  const batch = 64;
  const data = await loadMnist({ train: steps * batch, test: 100, seed: 1 });
  if (!data.ok) throw new Error(data.error.message);
  let reference: Float32Array | undefined;
  for (const workers of [1, 2, 4]) {
    const net = createNet(lenet5, { rng: createRng(1) });
    const spec: TrainSpec = {
      model: 'lenet5',
      data: 'mnist',
      epochs: 1,
      batch,
      seed: 1,
      validation: 0,
      evalEvery: 0,
      workers,
      optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      schedule: { kind: 'constant' },
    };
    let trainSeconds = 0;
    let images = 0;
    await train({
      net,
      spec,
      data: data.value,
      trainEvalLimit: 100,
      onEvent: (e) => {
        if (e.type === 'step' && e.imagesPerSec > 0) {
          trainSeconds += batch / e.imagesPerSec;
          images += batch;
        }
      },
    });
    const same = reference ? net.paramBuf.every((v, i) => Object.is(v, reference![i])) : true;
    reference ??= net.paramBuf.slice() as Float32Array;
    console.log(
      `workers ${workers}: ${(images / trainSeconds).toFixed(0)} images/s over ${steps} steps of ${batch}; weights ${same ? 'identical to' : 'DIFFER from'} workers 1`,
    );
  }
}

await main();
