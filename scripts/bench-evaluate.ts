// `npm run build && node dist/scripts/bench-evaluate.js [rounds]`: the `evaluate` statement on the 10,000
// Fashion-MNIST test images by LeNet-5, through the session (session/lanes.ts, the session's kept threads),
// on 1 lane against 2, alternating in one process so both see the same load. Two figures per lane count:
// the whole statement (runCell: report, confusion matrix and mistakes rendered) and its computing part
// (measureOnLanes + reportFromOutputs). Checks the report is bit-identical, prints the machine's own 2-thread
// capacity (a 1024² matmul on 2 threads over 1) before and after, and the start-up a statement saves by
// reusing the session's threads (a 500-image evaluation on fresh threads against kept ones, paired).
// A benchmark, never a test.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { outputSize } from '../runtime/train/metrics.js';
import { reportFromOutputs } from '../runtime/train/report.js';
import { runCell } from '../session/cell.js';
import { createContext } from '../session/exec/context.js';
import { measureOnLanes } from '../session/lanes.js';
import { ioFromSink } from '../session/output.js';
import { createState, type SessionState } from '../session/state.js';
import { median } from './bench/common.js';
import { matmulRates } from './bench/convbook-matmul.js';

const CELLS = [
  'data fashion = fashion_mnist(train: 1000, test: 10000, seed: 1)',
  `model lenet(input: 28x28x1) {
  conv 6 kernel 5x5 padding same relu
  maxpool 2x2
  conv 16 kernel 5x5 relu
  maxpool 2x2
  dense 120 relu
  dense 84 relu
  dense 10 softmax
}`,
];

async function session(workers: number): Promise<{ state: SessionState; run: (code: string) => Promise<string> }> {
  const state = createState(process.cwd());
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const run = async (code: string) => {
    let text = '';
    const io = ioFromSink((o) => {
      if (o.type === 'stream') text += o.text;
    });
    const error = await runCell(code, createContext(state, io, interrupt, 'bench'));
    if (error) throw new Error(`${code.split('\n')[0]}: ${error.evalue}`);
    return text;
  };
  for (const cell of CELLS) await run(cell);
  // What `workers N` in a train would have set (a training run here would only add noise).
  state.workers = workers;
  return { state, run };
}

const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
const ratio = (a: number[], b: number[]) => {
  const r = a.map((x, i) => x / b[i]);
  return `${median(r).toFixed(2)}× (range ${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
};

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 7);
  const one = await session(1);
  const two = await session(2);
  // Both sessions evaluate the same weights (same seeded initialisation), as the same model would be.
  two.state.models.get('lenet')!.net.paramBuf.set(one.state.models.get('lenet')!.net.paramBuf);
  const compute = async (s: SessionState) => {
    const net = s.models.get('lenet')!.net;
    const d = s.data.get('fashion')!;
    const idx = Int32Array.from({ length: d.test.count }, (_, i) => i);
    const r = await measureOnLanes(s, net, d.test, d.shape, idx);
    return reportFromOutputs(d.test, d.classes, outputSize(net), r.outputs, r.loss);
  };
  // Warm-up (starts the 2-lane session's thread once), and the bit check.
  const a = await compute(one.state);
  const b = await compute(two.state);
  const same = a.loss === b.loss && a.accuracy === b.accuracy && a.confusion.every((v, i) => v === b.confusion[i]);
  const sa = await one.run('evaluate lenet on fashion.test');
  const sb = await two.run('evaluate lenet on fashion.test');
  const capacity = async () => {
    const m = await matmulRates([1024], 3);
    return (m.two['1024'] / m.one['1024']).toFixed(2);
  };
  const before = await capacity();
  const c1: number[] = [],
    c2: number[] = [],
    s1: number[] = [],
    s2: number[] = [];
  const time = async (xs: number[], f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  };
  for (let r = 0; r < rounds; r++) {
    await time(c1, () => compute(one.state));
    await time(c2, () => compute(two.state));
    await time(s1, () => one.run('evaluate lenet on fashion.test'));
    await time(s2, () => two.run('evaluate lenet on fashion.test'));
  }
  const after = await capacity();

  // Start-up: the same 500-image evaluation on 2 lanes, on threads started for it against kept ones.
  const small = async (s: SessionState) => {
    const net = s.models.get('lenet')!.net;
    const d = s.data.get('fashion')!;
    await measureOnLanes(
      s,
      net,
      d.test,
      d.shape,
      Int32Array.from({ length: 500 }, (_, i) => i),
    );
  };
  const fresh: number[] = [],
    kept: number[] = [];
  const starts0 = two.state.lanes!.starts;
  for (let r = 0; r < rounds; r++) {
    await two.state.lanes!.close();
    await time(fresh, () => small(two.state));
    await time(kept, () => small(two.state));
  }
  const started = two.state.lanes!.starts - starts0;

  console.log(
    `evaluate of the 10,000 Fashion-MNIST test images, LeNet-5, through the session — load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `computing (measureOnLanes + report): 1 lane ${ms(c1)} (${((10000 / median(c1)) * 1000).toFixed(0)} img/s), 2 lanes ${ms(c2)} (${((10000 / median(c2)) * 1000).toFixed(0)} img/s); 1 lane / 2 lanes ${ratio(c1, c2)}, ${rounds} pairs`,
  );
  console.log(`the whole statement (runCell, rendering included): 1 lane ${ms(s1)}, 2 lanes ${ms(s2)}; 1 lane / 2 lanes ${ratio(s1, s2)}`);
  console.log(
    `report bit-identical on 1 and 2 lanes: ${same ? 'yes' : `NO (${a.loss} ${a.accuracy} vs ${b.loss} ${b.accuracy})`}; statement lines equal: ${sa === sb ? 'yes' : 'NO'}`,
  );
  console.log(`the machine's own 2-thread capacity (1024² matmul, 2 threads over 1): ${before}× before, ${after}× after`);
  console.log(
    `start-up saved per statement (500 images on 2 lanes): fresh thread ${ms(fresh)}, kept thread ${ms(kept)}, saved ${(median(fresh) - median(kept)).toFixed(0)} ms median (${started} threads started for ${rounds} fresh runs, none for the kept ones)`,
  );
  await one.state.lanes?.close();
  await two.state.lanes?.close();
}

await main();
