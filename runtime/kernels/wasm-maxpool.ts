// Float32 max pooling through asm/maxpool.ts: the batch is copied in once, pooled without branches, and
// maxima and winner indices copied out; backward routes dy to the winners there. Same bits as the JS loops.
import { heapStart, intView, reserve, roundUp, wasm } from './wasm-module.js';

/** y (planes·Ho·Wo) and argmax ← pooling of x (planes·H·W); geometry as in layers/maxpool.ts. Call only when wasmAvailable(). */
export function wasmMaxpoolForward(
  y: Float32Array,
  argmax: Int32Array,
  x: Float32Array,
  planes: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ho: number,
  wo: number,
): void {
  const inLen = planes * h * w,
    outLen = planes * ho * wo;
  const xp = heapStart();
  const yp = xp + roundUp(inLen, 4);
  const ap = yp + roundUp(outLen, 4);
  const f = reserve(ap + outLen);
  f.set(x.length === inLen ? x : x.subarray(0, inLen), xp);
  wasm().maxpoolForward(yp * 4, ap * 4, xp * 4, planes, h, w, kh, kw, sh, sw, ho, wo);
  y.set(f.subarray(yp, yp + outLen));
  argmax.set(intView().subarray(ap, ap + outLen));
}

/** dx (inLen) ← dy (outLen) added at the winners argmax (outLen), the rest 0. Call only when wasmAvailable(). */
export function wasmMaxpoolBackward(dx: Float32Array, dy: Float32Array, argmax: Int32Array, inLen: number, outLen: number): void {
  const dxp = heapStart();
  const dyp = dxp + roundUp(inLen, 4);
  const ap = dyp + roundUp(outLen, 4);
  const f = reserve(ap + outLen);
  f.set(dy.length === outLen ? dy : dy.subarray(0, outLen), dyp);
  intView().set(argmax.length === outLen ? argmax : argmax.subarray(0, outLen), ap);
  wasm().maxpoolBackward(dxp * 4, dyp * 4, ap * 4, inLen, outLen);
  dx.set(f.subarray(dxp, dxp + inLen));
}
