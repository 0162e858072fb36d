// Load-time benchmark for the data layer (not a test): full Fashion-MNIST (70,000 images) and the
// embedded MNIST digits. Prints median milliseconds over several runs, dataset bytes and process RSS.
// Run: node --expose-gc dist/scripts/bench-load.js [runs]
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadFashionMnist } from '../runtime/data/fashion-mnist.js';
import { mnistPackageDir, scanDigitJson } from '../runtime/data/mnist.js';
import type { Dataset } from '../runtime/data/dataset.js';

const runs = Number(process.argv[2] ?? 5);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeIt<T>(label: string, f: () => Promise<T>): Promise<T> {
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    last = undefined;
    gc?.();
    const t0 = performance.now();
    last = await f();
    times.push(performance.now() - t0);
  }
  console.log(
    `${label}: median ${median(times).toFixed(0)} ms over ${runs} runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
  );
  return last as T;
}

const rss0 = process.memoryUsage().rss;
const r = await timeIt('fashion-mnist 60000+10000', () => loadFashionMnist({ train: 60000, test: 10000, seed: 1 }));
if (!r.ok) {
  console.log(`fashion-mnist failed: ${r.error.file}: ${r.error.message}`);
} else {
  const d: Dataset = r.value;
  gc?.();
  const bytes = d.train.images.byteLength + d.train.labels.byteLength + d.test.images.byteLength + d.test.labels.byteLength;
  const mem = process.memoryUsage();
  console.log(
    `  dataset bytes ${mb(bytes)} (${d.train.images.constructor.name}); RSS ${mb(mem.rss)} (start ${mb(rss0)}), arrayBuffers ${mb(mem.arrayBuffers)}${gc ? '' : ' [run with --expose-gc for settled numbers]'}`,
  );
  console.log(`  sha256 ${d.hash}`);
}

await timeIt('embedded mnist scan (10 json files, 10000 digits, uncached)', async () => {
  let n = 0;
  for (let dgt = 0; dgt < 10; dgt++) {
    const file = join(mnistPackageDir(), `${dgt}.json`);
    const s = scanDigitJson(await readFile(file), file);
    if (s.ok) n += s.value.length / 784;
  }
  return n;
});
await timeIt('embedded mnist via JSON.parse, for comparison', async () => {
  let n = 0;
  for (let dgt = 0; dgt < 10; dgt++)
    n += (JSON.parse(await readFile(join(mnistPackageDir(), `${dgt}.json`), 'utf8')) as { data: number[] }).data.length / 784;
  return n;
});
