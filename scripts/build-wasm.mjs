// Compiles the AssemblyScript kernels in asm/ twice: dist/asm/kernels.wasm (multiply, then add: the same bits
// on every machine) and dist/asm/kernels-fused.wasm (relaxed-SIMD fused multiply-add, `arithmetic fused`).
// Skipped when both are newer than every source (so `npm start` right after `npm install` does not compile
// them twice), unless given --force. Plain JS: it runs before tsc.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const builds = [
  { out: join(root, 'dist', 'asm', 'kernels.wasm'), features: ['simd'] },
  { out: join(root, 'dist', 'asm', 'kernels-fused.wasm'), features: ['simd', 'relaxed-simd'] },
];
const sources = ['gemm.ts', 'im2col.ts', 'activation.ts', 'maxpool.ts', 'filter-grad.ts'].map((f) => join(root, 'asm', f));
const inputs = [...readdirSync(join(root, 'asm')).map((f) => join(root, 'asm', f)), join(root, 'package-lock.json'), import.meta.filename];
const newest = Math.max(...inputs.filter((f) => statSync(f).isFile()).map((f) => statSync(f).mtimeMs));
const asc = join(root, 'node_modules', '.bin', 'asc');
// --names keeps the function names (asc --debug; same code, a few hundred bytes more) so CPU profiles name the kernels.
const names = process.argv.includes('--names') ? ['--debug'] : [];
for (const { out, features } of builds) {
  if (existsSync(out) && statSync(out).mtimeMs >= newest && !process.argv.includes('--force')) continue;
  const enable = features.flatMap((f) => ['--enable', f]);
  const r = spawnSync(asc, [...sources, '-o', out, '--runtime', 'stub', ...enable, '-O3', '--noAssert', ...names], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
