// What the one-thread benchmarks and profiles time as "a training step" (scripts/bench-cifar.ts,
// scripts/profile/train-steps.ts, scripts/profile/ab.ts): seeded synthetic images and labels, and one plain
// SGD step — forward, backward, update — on a net from any build of the runtime.
import { createRng } from '../../runtime/rng.js';
import type { Net, Rng } from '../../runtime/types.js';

/** n seeded images of `size` floats, uniform [0, 1), then n labels in [0, classes). */
export function syntheticBatch(size: number, n: number, seed: number, classes = 10): { x: Float32Array; t: Int32Array } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * size }, () => rng.next());
  const t = Int32Array.from({ length: n }, () => rng.int(classes));
  return { x, t };
}

/** One plain-SGD step of the mean loss over x (batch, c, h, w) with labels t: paramBuf −= lr · gradBuf. */
export function sgdStep(net: Net, x: Float32Array, t: Int32Array, batch: number, drop: Rng, lr = 0.01): void {
  net.zeroGrad();
  net.forward(x, batch, 'train', drop);
  net.backward(t, 1 / batch);
  const p = net.paramBuf,
    g = net.gradBuf;
  for (let j = 0; j < p.length; j++) p[j] -= lr * g[j];
}
