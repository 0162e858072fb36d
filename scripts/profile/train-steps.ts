// `node --cpu-prof --cpu-prof-dir=DIR dist/scripts/profile/train-steps.js cifar|lenet [steps] [--fused]`: a fixed number
// of one-thread SGD training steps (batch 64, seeded synthetic data) of the CIFAR-shaped net or LeNet-5, for a
// CPU profile to be read by scripts/profile/summary.ts; prints the weights' hash for A/B bit checks. Never a test.
import { createHash } from 'node:crypto';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { cifarNet } from '../bench/cifar.js';
import { lenet5 } from '../bench/lenet.js';
import { sgdStep, syntheticBatch } from '../bench/sgd-step.js';

const which = process.argv[2] === 'lenet' ? 'lenet' : 'cifar';
const steps = Number(process.argv.slice(3).find((a) => !a.startsWith('--')) ?? (which === 'lenet' ? 400 : 30));
const spec = which === 'lenet' ? lenet5 : cifarNet(1);
const batch = 64;
const img = spec.input.c * spec.input.h * spec.input.w;
const { x, t } = syntheticBatch(img, batch, 2);
// --fused: the kernels of `arithmetic fused`.
const arithmetic = process.argv.includes('--fused') ? 'fused' : 'portable';
const net = createNet(spec, { rng: createRng(1), arithmetic });
const drop = createRng(3);
const t0 = performance.now();
for (let s = 0; s < steps; s++) sgdStep(net, x, t, batch, drop);
const ms = (performance.now() - t0).toFixed(0);
// The weights' hash lets an A/B of two builds check that a change kept the bits.
const sha = createHash('sha256')
  .update(new Uint8Array(net.paramBuf.buffer, net.paramBuf.byteOffset, net.paramBuf.byteLength))
  .digest('hex');
console.log(
  `${which}${arithmetic === 'fused' ? ' (arithmetic fused)' : ''}: ${steps} steps of batch ${batch} in ${ms} ms; weights sha256 ${sha.slice(0, 16)}`,
);
