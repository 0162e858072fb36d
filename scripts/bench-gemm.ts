// `node dist/scripts/bench-gemm.js [--peak] [A.wasm B.wasm …]`: GFLOP/s of the wasm GEMM and filter-gradient kernels
// alone (operands already in wasm memory, no JS copies) on a square 1024 product and on the conv shapes of
// the CIFAR-shaped net and LeNet-5, for one or more builds of asm/ side by side in one process, alternating
// rounds, medians. Default: dist/asm/kernels.wasm. --peak first prints the machine's ceilings for 128-bit
// SIMD (asm/probe/peak.ts: multiply + add, and relaxed fused multiply-add). A benchmark script, never a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import type { WasmKernels } from '../runtime/kernels/wasm-module.js';
import { median } from './bench/common.js';

interface Shape {
  name: string;
  M: number;
  K: number;
  N: number;
  kind: 'gemm' | 'gemmT' | 'filterGrad' | 'biasGrad';
}

// M×K·K×N. 'gemm': A row-major (conv forward, w·cols); 'gemmT': A read transposed (conv backward, wᵀ·dy);
// 'filterGrad': dw (M×K) += dy (M×N) · colsᵀ. N is a group's pixels (GROUP_COLS_FLOATS / K examples).
const shapes: Shape[] = [
  { name: 'square 1024', M: 1024, K: 1024, N: 1024, kind: 'gemm' },
  { name: 'cifar conv2 fwd 32×288×1024', M: 32, K: 288, N: 1024, kind: 'gemm' },
  { name: 'cifar conv4 fwd 64×576×256', M: 64, K: 576, N: 256, kind: 'gemm' },
  { name: 'cifar conv2 dx 288×32×1024', M: 288, K: 32, N: 1024, kind: 'gemmT' },
  { name: 'cifar conv4 dx 576×64×256', M: 576, K: 64, N: 256, kind: 'gemmT' },
  { name: 'cifar conv2 dw 32×288 over 1024', M: 32, K: 288, N: 1024, kind: 'filterGrad' },
  { name: 'lenet conv2 fwd 16×150×(100·4)', M: 16, K: 150, N: 400, kind: 'gemm' },
  { name: 'lenet conv1 fwd 6×25×(784·3)', M: 6, K: 25, N: 2352, kind: 'gemm' },
  // The bias gradient: M rows of N summed in float64 (one flop per element).
  { name: 'lenet conv1 db, 6 rows of 784', M: 6, K: 1, N: 784, kind: 'biasGrad' },
  { name: 'cifar conv2 db, 32 rows of 1024', M: 32, K: 1, N: 1024, kind: 'biasGrad' },
];

// Straight to the optimising tier: a few long calls would otherwise be timed partly in V8's baseline
// code (wasm has no on-stack replacement), and a build's first rounds would depend on when tier-up lands.
setFlagsFromString('--no-liftoff');
setFlagsFromString('--experimental-wasm-relaxed-simd'); // only for builds that use it (the FMA measurement)

function instantiate(file: string): WasmKernels {
  return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as unknown as WasmKernels;
}

// Lays the operands out in the module's memory and returns a closure running the kernel once.
function setup(w: WasmKernels, s: Shape): () => void {
  const { M, K, N } = s;
  const base = Math.ceil(w.heapBase() / 64) * 64;
  const ldc = Math.ceil(N / 8) * 8;
  // filterGrad: a = dy (M×N), b = cols (K×N), c = dw (M×K); the GEMMs: a = A (M×K), b = B (K×N), c = C.
  const a = base,
    b = a + M * (s.kind === 'filterGrad' ? N : K) * 4,
    c = b + K * N * 4,
    p = c + Math.ceil(M / 4) * 4 * ldc * 4;
  const end = p + w.packBytes(M, K, N) + 64;
  const need = end - w.memory.buffer.byteLength;
  if (need > 0) w.memory.grow(Math.ceil(need / 65536));
  const f = new Float32Array(w.memory.buffer);
  for (let i = a / 4; i < c / 4; i++) f[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  if (s.kind === 'gemm') return () => w.gemm(c, ldc, a, K, 1, b, N, 1, M, K, N, 0, p);
  if (s.kind === 'gemmT') return () => w.gemm(c, ldc, a, 1, M, b, N, 1, M, K, N, 0, p);
  if (s.kind === 'biasGrad') return () => w.biasGrad(c, b, M, N);
  return () => w.filterGrad(c, K, a, N, b, N, M, K, N);
}

// Compiles the probe to a temporary file and times 2·10⁷ trips of each loop (14 chains × 4 lanes × 2 flops), alternating.
function peak(): void {
  const root = new URL('../..', import.meta.url).pathname;
  const out = join(mkdtempSync(join(tmpdir(), 'convbook-peak-')), 'peak.wasm');
  const asc = join(root, 'node_modules', '.bin', 'asc');
  const args = [
    join(root, 'asm', 'probe', 'peak.ts'),
    '-o',
    out,
    '--runtime',
    'stub',
    '--enable',
    'simd',
    '--enable',
    'relaxed-simd',
    '-O3',
  ];
  const r = spawnSync(asc, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('asc failed on asm/probe/peak.ts');
  const e = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), {}).exports as Record<
    string,
    (n: number, x: number) => number
  >;
  const n = 2e7;
  const rates: Record<string, number[]> = { muladd: [], fma: [] };
  for (let round = 0; round < 7; round++) {
    for (const f of ['muladd', 'fma']) {
      e[f](1e5, 1e-9);
      const t0 = performance.now();
      e[f](n, 1e-9);
      rates[f].push((n * 14 * 4 * 2) / ((performance.now() - t0) / 1000) / 1e9);
    }
  }
  console.log(
    `ceiling, f32x4 multiply + add: ${median(rates.muladd).toFixed(1)} GFLOP/s; relaxed fused multiply-add: ${median(rates.fma).toFixed(1)} GFLOP/s`,
  );
}

const files = process.argv.slice(2).filter((a) => a !== '--peak');
if (!files.length) files.push(new URL('../asm/kernels.wasm', import.meta.url).pathname);
console.log(
  `wasm kernel GFLOP/s, one thread, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (process.argv.includes('--peak')) peak();
console.log(`| shape | ${files.map((f) => f.replace(/^.*\//, '')).join(' | ')} |`);
console.log(`| --- | ${files.map(() => '---').join(' | ')} |`);
for (const s of shapes) {
  const runs = files.map(instantiate).map((m) => setup(m, s));
  const flops = (s.kind === 'biasGrad' ? 1 : 2) * s.M * s.K * s.N;
  const reps = Math.max(3, Math.min(200, Math.round(2e9 / flops)));
  const times: number[][] = files.map(() => []);
  for (let round = 0; round < 7; round++) {
    runs.forEach((run, i) => {
      run();
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) run();
      times[i].push((performance.now() - t0) / 1000 / reps);
    });
  }
  console.log(`| ${s.name} | ${times.map((t) => (flops / median(t) / 1e9).toFixed(1)).join(' | ')} |`);
}
