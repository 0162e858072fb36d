// `node dist/scripts/profile/ab.js DIST_A DIST_B [cifar|lenet][-eval] [pairs]`: an A/B of two builds of the
// runtime (two copies of dist/, e.g. before and after a change) in one process: the same one-thread training
// steps as train-steps.ts (or, with -eval, inference forward passes of batch 256), in alternating windows, so
// both see the same load; prints each side's median window, the median of the paired ratios, and whether the
// weights (or outputs) came out bit-identical. A measuring tool, never a test.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Net } from '../../runtime/types.js';
import type { ModelSpec } from '../../runtime/spec.js';
import { median } from '../bench/common.js';
import { sgdStep, syntheticBatch } from '../bench/sgd-step.js';

interface Side {
  net: Net;
  step: () => void;
  out: () => Float32Array;
}

const [distA, distB, what = 'cifar', pairsArg] = process.argv.slice(2);
if (!distA || !distB) throw new Error('usage: ab.js DIST_A DIST_B [cifar|lenet][-eval] [pairs]');
const which = what.startsWith('lenet') ? 'lenet' : 'cifar';
const evalMode = what.endsWith('-eval');
const pairs = Number(pairsArg ?? 9);
const steps = which === 'lenet' ? 25 : 2;

async function side(dist: string): Promise<Side> {
  const at = (p: string) => pathToFileURL(resolve(dist, p)).href;
  const { createNet } = (await import(at('runtime/net.js'))) as typeof import('../../runtime/net.js');
  const { createRng } = (await import(at('runtime/rng.js'))) as typeof import('../../runtime/rng.js');
  const spec: ModelSpec =
    which === 'lenet'
      ? ((await import(at('scripts/bench/lenet.js'))) as typeof import('../bench/lenet.js')).lenet5
      : ((await import(at('scripts/bench/cifar.js'))) as typeof import('../bench/cifar.js')).cifarNet(1);
  const batch = evalMode ? 256 : 64;
  const img = spec.input.c * spec.input.h * spec.input.w;
  const { x, t } = syntheticBatch(img, batch, 2);
  const net = createNet(spec, { rng: createRng(1) });
  const drop = createRng(3);
  let y: Float32Array = new Float32Array(0);
  return {
    net,
    out: () => y,
    step() {
      if (evalMode) {
        y = net.forward(x, batch, 'eval') as Float32Array;
        return;
      }
      sgdStep(net, x, t, batch, drop);
    },
  };
}

const window = (s: Side): number => {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) s.step();
  return performance.now() - t0;
};

const a = await side(distA),
  b = await side(distB);
window(a);
window(b);
const ta: number[] = [],
  tb: number[] = [];
for (let i = 0; i < pairs; i++) {
  // Alternate which side goes first, so a trend in the load does not favour one.
  if (i % 2) {
    tb.push(window(b));
    ta.push(window(a));
  } else {
    ta.push(window(a));
    tb.push(window(b));
  }
}
const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const same = evalMode
  ? bytes(a.out()).equals(bytes(b.out()))
  : bytes(a.net.paramBuf as Float32Array).equals(bytes(b.net.paramBuf as Float32Array));
const ratios = ta.map((v, i) => v / tb[i]);
console.log(
  `${what}, ${pairs} pairs of ${steps} steps: A ${median(ta).toFixed(1)} ms, B ${median(tb).toFixed(1)} ms per window; ` +
    `A/B paired median ${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); ` +
    `${evalMode ? 'outputs' : 'weights'} ${same ? 'bit-identical' : 'DIFFER'}`,
);
