// Float32 matrix products through the WebAssembly SIMD kernel built from asm/gemm.ts: operands are
// copied into this thread's wasm memory (O(n²) against O(n³) work), multiplied there, C copied back.
// Loaded lazily and synchronously; when the .wasm is missing (not built) callers keep the JS kernel.
import { readFileSync } from 'node:fs';

interface GemmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  packBytes(M: number, K: number, N: number): number;
  gemm(c: number, ldc: number, a: number, ai: number, ak: number, b: number, bk: number, bj: number,
    M: number, K: number, N: number, acc: number, pack: number): void;
}

// dist/runtime/kernels/*.js sits two levels below dist/; runtime/kernels/*.ts (vitest, tsx) two below the repo root.
const candidates = ['../../asm/gemm.wasm', '../../dist/asm/gemm.wasm'];

let state: 'unloaded' | 'loaded' | 'missing' = process.env.CONVBOOK_WASM === '0' ? 'missing' : 'unloaded';
let wasm: GemmExports | null = null;
let heap = new Float32Array(0);
let base = 0; // first usable float index

function load(): void {
  state = 'missing';
  for (const rel of candidates) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
    } catch {
      continue;
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    wasm = instance.exports as unknown as GemmExports;
    base = Math.ceil(wasm.heapBase() / 16) * 4;
    heap = new Float32Array(wasm.memory.buffer);
    state = 'loaded';
    return;
  }
}

/** Whether the wasm kernel is built and enabled (CONVBOOK_WASM=0 turns it off, for comparisons). */
export function wasmGemmAvailable(): boolean {
  if (state === 'unloaded') load();
  return state === 'loaded';
}

// Grow memory to hold `floats` floats; the view is only rebuilt when the buffer changed, so the
// steady state of a training loop allocates nothing.
function reserve(floats: number): void {
  const w = wasm!;
  const need = floats * 4 - w.memory.buffer.byteLength;
  if (need > 0) w.memory.grow(Math.ceil(need / 65536));
  if (heap.buffer !== w.memory.buffer) heap = new Float32Array(w.memory.buffer);
}

const round = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * C (M×N row-major at cOff) [+]= A·B with A(i,k) = A[aOff + i·ai + k·ak], B(k,j) = B[bOff + k·bk + j·bj],
 * where A's elements fill [aOff, aOff + M·K) and B's [bOff, bOff + K·N) (true of the three layer orientations).
 * Call only when wasmGemmAvailable().
 */
export function wasmGemm(
  C: Float32Array, cOff: number,
  A: Float32Array, aOff: number, ai: number, ak: number,
  B: Float32Array, bOff: number, bk: number, bj: number,
  M: number, K: number, N: number, acc: boolean,
): void {
  const w = wasm!;
  const ldc = round(N, 8);
  const lenA = M * K, lenB = K * N;
  const a0 = base;
  const b0 = a0 + round(lenA, 4);
  const c0 = b0 + round(lenB, 4);
  const p0 = c0 + round(M, 4) * ldc;
  reserve(p0 + w.packBytes(M, K, N) / 4);
  const h = heap;
  h.set(A.subarray(aOff, aOff + lenA), a0);
  h.set(B.subarray(bOff, bOff + lenB), b0);
  if (acc) {
    if (ldc === N) h.set(C.subarray(cOff, cOff + M * N), c0);
    else for (let i = 0; i < M; i++) h.set(C.subarray(cOff + i * N, cOff + (i + 1) * N), c0 + i * ldc);
  }
  w.gemm(c0 * 4, ldc, a0 * 4, ai, ak, b0 * 4, bk, bj, M, K, N, acc ? 1 : 0, p0 * 4);
  if (ldc === N) C.set(h.subarray(c0, c0 + M * N), cOff);
  else for (let i = 0; i < M; i++) C.set(h.subarray(c0 + i * ldc, c0 + i * ldc + N), cOff + i * N);
}
