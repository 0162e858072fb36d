// The WebAssembly modules built from asm/*.ts, one per arithmetic mode and thread: lazy synchronous loading,
// the mode in force (portable unless a net runs fused), its exports, and a float view of its memory that
// grows on demand. When the .wasm is missing or CONVBOOK_WASM=0, wasmAvailable() is false and callers keep their JS kernels.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { Arithmetic } from '../spec.js';

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

const files: Record<Arithmetic, string> = { portable: 'kernels.wasm', fused: 'kernels-fused.wasm' };

/** One instantiated module and this thread's views of its memory. */
interface Loaded {
  exports: WasmKernels;
  view: Float32Array;
  ints: Int32Array;
  base: number;
}

/** Per mode: not tried yet (absent), loaded, or the reason it cannot load. */
const modules: Partial<Record<Arithmetic, Loaded | string>> = {};
let mode: Arithmetic = 'portable';
let current: Loaded | undefined;

function bytesOf(file: string): Uint8Array<ArrayBuffer> | undefined {
  // dist/runtime/kernels/*.js sits two levels below dist/; runtime/kernels/*.ts (vitest) two below the repo root.
  for (const dir of ['../../asm/', '../../dist/asm/']) {
    try {
      return new Uint8Array(readFileSync(new URL(dir + file, import.meta.url)));
    } catch {
      continue;
    }
  }
  return undefined;
}

function load(m: Arithmetic): Loaded | string {
  if (process.env.CONVBOOK_WASM === '0') return 'the WebAssembly kernels are turned off (CONVBOOK_WASM=0)';
  const bytes = bytesOf(files[m]);
  if (!bytes) return `dist/asm/${files[m]} is missing; run npm run build`;
  // Node 20 compiles relaxed SIMD only behind this flag (on by default from Node 22); V8's flags are per
  // process, so setting it in one thread before compiling is enough for every thread.
  if (m === 'fused' && !WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (!WebAssembly.validate(bytes)) return `this Node.js ${process.version} cannot run relaxed-SIMD WebAssembly`;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmKernels;
  return { exports, base: Math.ceil(exports.heapBase() / 16) * 4, view: new Float32Array(exports.memory.buffer), ints: new Int32Array(0) };
}

function loaded(m: Arithmetic): Loaded | string {
  return (modules[m] ??= load(m));
}

/** Why `m` cannot run here (its module is missing, turned off or not supported), or undefined when it can. */
export function arithmeticUnavailable(m: Arithmetic): string | undefined {
  const l = loaded(m);
  return typeof l === 'string' ? l : undefined;
}

/**
 * Runs f with the kernels of mode m (a net's forward and backward passes do this), then goes back to the
 * mode before, so code outside a net (convolve, explain) always runs portable.
 */
export function withArithmetic<T>(m: Arithmetic, f: () => T): T {
  if (m === mode) return f();
  const before = mode,
    was = current;
  const l = loaded(m);
  mode = m;
  current = typeof l === 'string' ? undefined : l;
  try {
    return f();
  } finally {
    mode = before;
    current = was;
  }
}

/** Whether the current mode's kernels are built and enabled (CONVBOOK_WASM=0 turns them off, for comparisons). */
export function wasmAvailable(): boolean {
  if (mode === 'portable' && current === undefined && modules.portable === undefined) {
    const l = loaded('portable');
    if (typeof l !== 'string') current = l;
  }
  return current !== undefined;
}

/** The current module's exports; call only when wasmAvailable(). */
export function wasm(): WasmKernels {
  return current!.exports;
}

/** First float index callers may use (16-byte aligned). */
export function heapStart(): number {
  return current!.base;
}

/**
 * A float view of memory holding at least `floats` floats. Growth detaches the old view, so take the
 * view after reserving; in a steady training loop sizes repeat and nothing is allocated.
 */
export function reserve(floats: number): Float32Array {
  const c = current!;
  const m = c.exports.memory;
  const need = floats * 4 - m.buffer.byteLength;
  if (need > 0) m.grow(Math.ceil(need / 65536));
  if (c.view.buffer !== m.buffer) c.view = new Float32Array(m.buffer);
  return c.view;
}

/** An Int32 view of the same memory (same indices as reserve's view); take it after reserving. */
export function intView(): Int32Array {
  const c = current!;
  if (c.ints.buffer !== c.exports.memory.buffer) c.ints = new Int32Array(c.exports.memory.buffer);
  return c.ints;
}

/** n rounded up to a multiple of m. */
export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;
