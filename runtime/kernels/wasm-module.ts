// The one WebAssembly module per thread built from asm/*.ts (dist/asm/kernels.wasm): lazy synchronous
// loading, its exports, and a float view of its memory that grows on demand. When the .wasm is
// missing (not built) or CONVBOOK_WASM=0, wasmAvailable() is false and callers keep their JS kernels.
import { readFileSync } from 'node:fs';

/** Exports of asm/gemm.ts, asm/im2col.ts, asm/activation.ts, asm/maxpool.ts and asm/filter-grad.ts; pointers are byte offsets into `memory`. */
export interface WasmKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  packBytes(M: number, K: number, N: number): number;
  gemm(
    c: number,
    ldc: number,
    a: number,
    ai: number,
    ak: number,
    b: number,
    bk: number,
    bj: number,
    M: number,
    K: number,
    N: number,
    acc: number,
    pack: number,
  ): void;
  compact(c: number, ldc: number, M: number, N: number): void;
  spread(c: number, ldc: number, M: number, N: number): void;
  unpadBias(dst: number, src: number, lds: number, M: number, N: number, bias: number): void;
  biasGrad(db: number, dy: number, F: number, P: number): void;
  filterGrad(dw: number, ldw: number, dy: number, ldy: number, cols: number, ldc: number, F: number, K: number, P: number): void;
  im2col(
    cols: number,
    ld: number,
    x: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    replicate: number,
    ho: number,
    wo: number,
  ): void;
  col2im(
    dx: number,
    dcols: number,
    ld: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    replicate: number,
    ho: number,
    wo: number,
  ): void;
  reluForward(v: number, n: number): void;
  reluBackward(d: number, y: number, n: number): void;
  maxpoolForward(
    y: number,
    arg: number,
    x: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ho: number,
    wo: number,
  ): void;
  maxpoolBackward(dx: number, dy: number, arg: number, inLen: number, outLen: number): void;
}

// dist/runtime/kernels/*.js sits two levels below dist/; runtime/kernels/*.ts (vitest) two below the repo root.
const candidates = ['../../asm/kernels.wasm', '../../dist/asm/kernels.wasm'];

let state: 'unloaded' | 'loaded' | 'missing' = process.env.CONVBOOK_WASM === '0' ? 'missing' : 'unloaded';
let exports: WasmKernels | null = null;
let view = new Float32Array(0);
let ints = new Int32Array(0);
let base = 0;

function load(): void {
  state = 'missing';
  for (const rel of candidates) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
    } catch {
      continue;
    }
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmKernels;
    base = Math.ceil(exports.heapBase() / 16) * 4;
    view = new Float32Array(exports.memory.buffer);
    state = 'loaded';
    return;
  }
}

/** Whether the wasm kernels are built and enabled (CONVBOOK_WASM=0 turns them off, for comparisons). */
export function wasmAvailable(): boolean {
  if (state === 'unloaded') load();
  return state === 'loaded';
}

/** The module's exports; call only when wasmAvailable(). */
export function wasm(): WasmKernels {
  return exports!;
}

/** First float index callers may use (16-byte aligned). */
export function heapStart(): number {
  return base;
}

/**
 * A float view of memory holding at least `floats` floats. Growth detaches the old view, so take the
 * view after reserving; in a steady training loop sizes repeat and nothing is allocated.
 */
export function reserve(floats: number): Float32Array {
  const m = exports!.memory;
  const need = floats * 4 - m.buffer.byteLength;
  if (need > 0) m.grow(Math.ceil(need / 65536));
  if (view.buffer !== m.buffer) view = new Float32Array(m.buffer);
  return view;
}

/** An Int32 view of the same memory (same indices as reserve's view); take it after reserving. */
export function intView(): Int32Array {
  const m = exports!.memory;
  if (ints.buffer !== m.buffer) ints = new Int32Array(m.buffer);
  return ints;
}

/** n rounded up to a multiple of m. */
export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;
