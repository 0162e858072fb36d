// Benchmark child for ONNX Runtime (onnxruntime-node, CPU execution provider): inference only, on the
// benchmark's LeNet-5 exported by convbook's own ONNX exporter, at 1 and at 2 intra-op threads; the better
// is reported as `infer`, both in `extra`. Checks that its outputs agree with convbook's own forward pass.
import * as ort from 'onnxruntime-node';
import { exportOnnx } from '../../runtime/interop/onnx-export.js';
import { createNet, forwardBatched } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { childConfig, cpuSeconds, emit, maxRssMB, now, rate, type BenchConfig, type PeerResult, type Rate } from './common.js';
import { batchFloats, loadBenchData } from './data.js';
import { lenet5 } from './lenet.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { Net } from '../../runtime/types.js';

/** All `n` images of x (n, C·H·W) through the session in batches of `batch`; the outputs concatenated. */
async function runAll(
  s: ort.InferenceSession,
  x: Float32Array,
  n: number,
  batch: number,
  chw: [number, number, number],
  k: number,
): Promise<Float32Array> {
  const out = new Float32Array(n * k);
  const size = chw[0] * chw[1] * chw[2];
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const feeds = { input: new ort.Tensor('float32', x.subarray(i * size, (i + m) * size), [m, ...chw]) };
    const r = await s.run(feeds);
    out.set(r.output.data as Float32Array, i * k);
  }
  return out;
}

/** Images per wall second and per CPU second over `windows` passes of all n images (after two warm-up passes). */
async function timeSession(
  s: ort.InferenceSession,
  x: Float32Array,
  n: number,
  cfg: BenchConfig,
  chw: [number, number, number],
  k: number,
  windows: number,
): Promise<Rate> {
  for (let w = 0; w < 2; w++) await runAll(s, x, n, cfg.inferBatch, chw, k);
  const wall: number[] = [],
    cpu: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = now(),
      c0 = cpuSeconds();
    await runAll(s, x, n, cfg.inferBatch, chw, k);
    wall.push(n / ((now() - t0) / 1000));
    cpu.push(n / (cpuSeconds() - c0));
  }
  return rate(wall, cpu);
}

/** The net's ONNX bytes, a session per thread count, the rates, and the largest |ORT − convbook| output difference. */
export async function onnxRuntimeRates(
  net: Net,
  x: Float32Array,
  n: number,
  cfg: BenchConfig,
  windows: number,
): Promise<{ byThreads: Record<string, Rate>; maxDiff: number }> {
  const bytes = exportOnnx(net);
  const i = net.spec.input;
  const chw: [number, number, number] = [i.c, i.h, i.w];
  const o = net.info[net.info.length - 1].out;
  const k = o.c * o.h * o.w;
  const byThreads: Record<string, Rate> = {};
  let maxDiff = 0;
  for (const threads of [1, 2]) {
    const s = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    try {
      if (threads === 1) {
        const m = Math.min(n, cfg.inferBatch);
        const ours = forwardBatched(net, x.subarray(0, m * i.c * i.h * i.w), m, m);
        const theirs = await runAll(s, x, m, m, chw, k);
        for (let j = 0; j < ours.length; j++) maxDiff = Math.max(maxDiff, Math.abs(ours[j] - theirs[j]));
      }
      byThreads[String(threads)] = await timeSession(s, x, n, cfg, chw, k, windows);
    } finally {
      await s.release();
    }
  }
  return { byThreads, maxDiff };
}

/** The better of the thread counts (by median wall rate). */
export function bestRate(byThreads: Record<string, Rate>): { threads: string; rate: Rate } {
  const [threads, r] = Object.entries(byThreads).sort((a, b) => b[1].median - a[1].median)[0];
  return { threads, rate: r };
}

async function main(): Promise<void> {
  const cfg = childConfig();
  const { dataset: ds, label } = await loadBenchData(cfg.seed);
  const r: PeerResult = {
    peer: 'onnxruntime',
    label: 'ONNX Runtime (node, cpu)',
    version: ort.env.versions.common,
    data: label,
    maxRssMB: 0,
    na: { train: 'inference only' },
    notes: [],
  };
  const spec: ModelSpec = lenet5;
  const net = createNet(spec, { rng: createRng(cfg.seed) });
  const x = new Float32Array(cfg.inferImages * 784);
  batchFloats(ds, 0, cfg.inferImages, x);
  const { byThreads, maxDiff } = await onnxRuntimeRates(net, x, cfg.inferImages, cfg, cfg.inferWindows);
  const best = bestRate(byThreads);
  r.infer = best.rate;
  r.extra = {
    inferByThreads: Object.fromEntries(Object.entries(byThreads).map(([t, v]) => [t, v.median])),
    bestThreads: Number(best.threads),
  };
  r.notes.push(
    `infer: LeNet-5 exported by convbook's exportOnnx, batch ${cfg.inferBatch}; 1 thread ${byThreads['1'].median.toFixed(0)} img/s, 2 threads ${byThreads['2'].median.toFixed(0)} img/s (intra-op), the better reported`,
  );
  r.notes.push(`outputs agree with convbook's forward pass to ${maxDiff.toExponential(1)} (largest absolute difference, first batch)`);
  r.maxRssMB = maxRssMB();
  emit(r);
}

if (process.argv[1]?.endsWith('onnxruntime-peer.js')) await main();
