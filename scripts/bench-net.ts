// Throughput of LeNet-5 training steps (forward, backward, plain SGD update) on one thread, batch 64,
// on random 28×28 inputs. Prints images/s; a benchmark, not a test.
// Run: npm run build && node dist/scripts/bench-net.js [batch] [steps]
import { createNet } from '../runtime/net.js';
import { createRng } from '../runtime/rng.js';
import { lenet5 } from './bench/lenet.js';

function main(): void {
  const batch = Number(process.argv[2] ?? 64);
  const steps = Number(process.argv[3] ?? 60);
  const net = createNet(lenet5, { rng: createRng(1) });
  const rng = createRng(2);
  const pool = 16;
  const x = Float32Array.from({ length: pool * batch * 784 }, () => rng.next());
  const t = Int32Array.from({ length: pool * batch }, () => rng.int(10));
  const step = (i: number) => {
    const k = i % pool;
    net.zeroGrad();
    net.forward(x.subarray(k * batch * 784, (k + 1) * batch * 784), batch, 'train', rng);
    const loss = net.backward(t.subarray(k * batch, (k + 1) * batch), 1 / batch);
    const p = net.paramBuf,
      g = net.gradBuf;
    for (let j = 0; j < p.length; j++) p[j] -= 0.01 * g[j];
    return loss / batch;
  };
  for (let i = 0; i < 5; i++) step(i); // warm-up: let V8 optimise the kernels
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let loss = 0;
  for (let i = 0; i < steps; i++) loss = step(i);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  // On a shared machine wall time includes waiting for a core; CPU time of this thread does not.
  const cu = process.cpuUsage(c0);
  const cpuSecs = (cu.user + cu.system) / 1e6;
  const fwd0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) net.forward(x.subarray(0, batch * 784), batch, 'eval');
  const fwdSecs = Number(process.hrtime.bigint() - fwd0) / 1e9;
  console.log(
    `LeNet-5 batch ${batch}: train ${((steps * batch) / secs).toFixed(0)} images/s wall, ${((steps * batch) / cpuSecs).toFixed(0)} per CPU-second (${((secs / steps) * 1000).toFixed(1)} ms/step), ` +
      `eval forward ${((steps * batch) / fwdSecs).toFixed(0)} images/s; last loss ${loss.toFixed(3)}`,
  );
}

main();
