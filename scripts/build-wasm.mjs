// Compiles the AssemblyScript kernels in asm/ to dist/asm/kernels.wasm, unless the wasm is newer than
// every source (so `npm start` right after `npm install` does not compile them twice), or given --force. Plain JS: it runs before tsc.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist', 'asm', 'kernels.wasm');
const sources = ['gemm.ts', 'im2col.ts', 'activation.ts', 'maxpool.ts', 'filter-grad.ts'].map((f) => join(root, 'asm', f));
const inputs = [...readdirSync(join(root, 'asm')).map((f) => join(root, 'asm', f)), join(root, 'package-lock.json'), import.meta.filename];
const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs >= newest && !process.argv.includes('--force')) process.exit(0);
const asc = join(root, 'node_modules', '.bin', 'asc');
// --names keeps the function names (asc --debug; same code, a few hundred bytes more) so CPU profiles name the kernels.
const names = process.argv.includes('--names') ? ['--debug'] : [];
const r = spawnSync(asc, [...sources, '-o', out, '--runtime', 'stub', '--enable', 'simd', '-O3', '--noAssert', ...names], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
