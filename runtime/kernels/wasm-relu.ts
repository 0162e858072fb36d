// Float32 ReLU forward/backward through asm/activation.ts: copy in, one branch-free SIMD pass, copy out.
// Gives the same bits as the JS loops; worth it only for vectors long enough to amortise the copies.
import { heapStart, reserve, roundUp, wasm } from './wasm-module.js';

/** y[0..n) ← x > 0 ? x : 0 (y may be x). Call only when wasmAvailable(). */
export function wasmReluForward(y: Float32Array, x: Float32Array, n: number): void {
  const v = heapStart();
  const h = reserve(v + n);
  h.set(n === x.length ? x : x.subarray(0, n), v);
  wasm().reluForward(v * 4, n);
  y.set(h.subarray(v, v + n));
}

/** dx[0..n) ← y > 0 ? dy : 0 (dx may be dy). Call only when wasmAvailable(). */
export function wasmReluBackward(dx: Float32Array, dy: Float32Array, y: Float32Array, n: number): void {
  const d = heapStart(),
    yp = d + roundUp(n, 4);
  const h = reserve(yp + n);
  h.set(n === dy.length ? dy : dy.subarray(0, n), d);
  h.set(n === y.length ? y : y.subarray(0, n), yp);
  wasm().reluBackward(d * 4, yp * 4, n);
  dx.set(h.subarray(d, d + n));
}
