// LeNet-5 on the full Fashion-MNIST (Debian's dataset-fashion-mnist): test accuracy per epoch and training
// images/s, up to 15 epochs or until 90% test accuracy. A benchmark script, never a test:
//   npm run build && node dist/scripts/bench-fashion.js [--epochs N] [--workers N] [--train N]
import { loadFashionMnist } from '../runtime/data/fashion-mnist.js';
import { buildModel, train } from '../runtime/index.js';
import type { TrainSpec } from '../runtime/spec.js';
import { lenet5 } from './bench/lenet.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const epochs = flag('epochs', 15);
const workers = flag('workers', 2);
const trainCount = flag('train', 60000);
const target = 0.9;

const spec = lenet5;

const loaded = await loadFashionMnist({ train: trainCount, test: 10000, seed: 0 });
if (!loaded.ok) {
  console.error(`Fashion-MNIST not available (${loaded.error.file}: ${loaded.error.message}); install Debian's dataset-fashion-mnist`);
  process.exit(1);
}
const built = buildModel(spec, { seed: 1 });
if (!built.ok) throw new Error(built.error);
const trainSpec: TrainSpec = {
  model: 'lenet5',
  data: 'fashion',
  epochs,
  batch: 64,
  seed: 1,
  validation: 0,
  evalEvery: 0,
  workers,
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false },
  schedule: { kind: 'exponential', d: 10, r: 15 * Math.ceil(trainCount / 64) },
};

console.log(
  `LeNet-5 on Fashion-MNIST: ${loaded.value.train.count} train / ${loaded.value.test.count} test, batch 64, SGD momentum 0.9, ${workers} worker(s)`,
);
const started = performance.now();
let reached: number | undefined;
const abort = { aborted: false };
await train({
  net: built.net,
  data: loaded.value,
  spec: trainSpec,
  abort,
  onEvent: (e) => {
    if (e.type !== 'epoch' || !e.test) return;
    const seconds = (performance.now() - started) / 1000;
    const images = e.epochsDone * loaded.value.train.count;
    console.log(
      `epoch ${String(e.epochsDone).padStart(2)}: test accuracy ${(100 * e.test.acc).toFixed(2)}%, loss ${e.test.loss.toFixed(4)}; ` +
        `${Math.round(images / seconds)} images/s overall (evaluation included), ${seconds.toFixed(0)} s`,
    );
    if (reached === undefined && e.test.acc >= target) reached = e.epochsDone;
  },
});
console.log(
  reached !== undefined
    ? `reached ${100 * target}% test accuracy at epoch ${reached}`
    : `did not reach ${100 * target}% in ${epochs} epochs`,
);
