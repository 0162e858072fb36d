// `node --cpu-prof --cpu-prof-dir=DIR dist/scripts/profile/engine-steps.js cifar|lenet [steps] [--fused]`: training
// steps through the local gradient engine (micro-batches of 16, what every pool lane runs), batch 64, seeded
// synthetic data, for a CPU profile beside train-steps.ts's one batch of 64 per pass. Never a test.
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { createLocalEngine } from '../../runtime/train/gradient-engine.js';
import { cifarNet } from '../bench/cifar.js';
import { lenet5 } from '../bench/lenet.js';
import { syntheticBatch } from '../bench/sgd-step.js';

const which = process.argv[2] === 'lenet' ? 'lenet' : 'cifar';
const steps = Number(process.argv.slice(3).find((a) => !a.startsWith('--')) ?? (which === 'lenet' ? 400 : 30));
const arithmetic = process.argv.includes('--fused') ? 'fused' : 'portable';
const spec = which === 'lenet' ? lenet5 : cifarNet(1);
const batch = 64;
const img = spec.input.c * spec.input.h * spec.input.w;
const { x, t } = syntheticBatch(img, batch, 2);
const net = createNet(spec, { rng: createRng(1), arithmetic });
const engine = createLocalEngine({
  net,
  split: { images: x, labels: Uint8Array.from(t), count: batch },
  shape: spec.input,
  seed: 7,
  batch,
  micro: 16,
  optimizer: { spec: { kind: 'sgd', lr: 0.01, momentum: 0, nesterov: false } },
});
const idx = Int32Array.from({ length: batch }, (_, i) => i);
const t0 = performance.now();
for (let s = 0; s < steps; s++) await engine.compute(s, idx, batch, 0.01);
console.log(`${which} (${arithmetic}), micro-batches of 16: ${steps} steps of batch ${batch} in ${(performance.now() - t0).toFixed(0)} ms`);
await engine.close();
