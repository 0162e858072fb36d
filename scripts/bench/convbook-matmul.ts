// convbook's single-precision matmulAB (runtime/kernels/matmul.ts) in GFLOP/s on square n×n products:
// on one thread, and on two threads with the rows of C split in half by this script (the runtime itself
// parallelises over micro-batches, not inside one product).
import { Worker } from 'node:worker_threads';
import { matmulAB } from '../../runtime/kernels/matmul.js';
import { createRng } from '../../runtime/rng.js';
import { median, now } from './common.js';

function filled(buf: SharedArrayBuffer, seed: number): Float32Array {
  const v = new Float32Array(buf);
  const rng = createRng(seed);
  for (let i = 0; i < v.length; i++) v[i] = rng.next() - 0.5;
  return v;
}

export async function matmulRates(sizes: number[], reps: number): Promise<{ one: Record<string, number>; two: Record<string, number> }> {
  const one: Record<string, number> = {};
  const two: Record<string, number> = {};
  for (const n of sizes) {
    const bytes = n * n * 4;
    const a = new SharedArrayBuffer(bytes),
      b = new SharedArrayBuffer(bytes),
      c = new SharedArrayBuffer(bytes);
    const A = filled(a, 1),
      B = filled(b, 2),
      C = new Float32Array(c);
    const flops = 2 * n * n * n;

    const t1: number[] = [];
    for (let r = 0; r <= reps; r++) {
      const t0 = now();
      matmulAB(C, 0, A, 0, B, 0, n, n, n, false);
      if (r > 0) t1.push((now() - t0) / 1000); // r = 0 warms up
    }
    one[n] = flops / median(t1) / 1e9;

    const worker = new Worker(new URL('./matmul-worker.js', import.meta.url), { workerData: { a, b, c, n } });
    const half = n >> 1;
    const t2: number[] = [];
    try {
      for (let r = 0; r <= reps; r++) {
        const t0 = now();
        const done = new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        });
        worker.postMessage({ lo: half, hi: n });
        matmulAB(C, 0, A, 0, B, 0, half, n, n, false);
        await done;
        if (r > 0) t2.push((now() - t0) / 1000);
      }
    } finally {
      await worker.terminate();
    }
    two[n] = flops / median(t2) / 1e9;
  }
  return { one, two };
}
