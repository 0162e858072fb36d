// The message for a window whose stride does not divide (H + pads − K): the arithmetic, then the exact
// fixes that make it divide on both axes — `padding same`, a padding or kernel/window that divides —
// each with the output it gives, and the explicit opt-in `round floor` that drops the rest as PyTorch does.
import { samePadding, windowOut } from '../runtime/shapes.js';
import type { LayerSpec, Pair, Shape3 } from '../runtime/spec.js';

type Window = Extract<LayerSpec, { kind: 'conv2d' | 'maxpool' | 'avgpool' }>;

export interface StrideProblem {
  axis: 'height' | 'width';
  n: number;
  pads: number;
  k: number;
  s: number;
}

const divides = (n: number, pads: number, k: number, s: number) => n + pads - k >= 0 && (n + pads - k) % s === 0;
const out = (shape: Shape3, pads: Pair, k: Pair, s: Pair) =>
  `${windowOut(shape.h, pads[0], k[0], s[0])}x${windowOut(shape.w, pads[1], k[1], s[1])}`;

function fixes(l: Window, shape: Shape3): string[] {
  const k: Pair = l.kind === 'conv2d' ? l.kernel : l.size;
  const s = l.stride;
  const pads: Pair = l.kind === 'conv2d' ? [l.padding.top + l.padding.bottom, l.padding.left + l.padding.right] : [0, 0];
  const both = (p: Pair, kk: Pair) => divides(shape.h, p[0], kk[0], s[0]) && divides(shape.w, p[1], kk[1], s[1]);
  const found: string[] = [];
  if (l.kind === 'conv2d') {
    const same = samePadding(shape.h, shape.w, k, s);
    const sp: Pair = [same.top + same.bottom, same.left + same.right];
    if (both(sp, k)) found.push(`padding same (output ${out(shape, sp, k, s)})`);
    for (let p = 1; p <= Math.max(...s); p++) {
      if (both([2 * p, 2 * p], k)) {
        found.push(`padding ${p} (output ${out(shape, [2 * p, 2 * p], k, s)})`);
        break;
      }
    }
  }
  // The nearest larger window that divides, then (pooling) the nearest smaller one of at least 2.
  const square = k[0] === k[1] && s[0] === s[1];
  const word = l.kind === 'conv2d' ? 'kernel' : l.kind;
  const write = (kk: number) => (l.kind === 'conv2d' ? `kernel ${kk}x${kk}` : `${word} ${kk}x${kk}${s[0] !== kk ? ` stride ${s[0]}` : ''}`);
  if (square) {
    for (let kk = k[0] + 1; kk < k[0] + s[0]; kk++) {
      if (kk <= Math.min(shape.h + pads[0], shape.w + pads[1]) && both(pads, [kk, kk])) {
        found.push(`${write(kk)} (output ${out(shape, pads, [kk, kk], s)})`);
        break;
      }
    }
    if (l.kind !== 'conv2d') {
      for (let kk = k[0] - 1; kk >= 2; kk--) {
        if (both(pads, [kk, kk])) {
          found.push(`${write(kk)} (output ${out(shape, pads, [kk, kk], s)})`);
          break;
        }
      }
    }
  }
  found.push(`or add round floor to drop it as PyTorch and Keras do (output ${out(shape, pads, k, s)})`);
  return found;
}

export function strideMessage(l: Window, bad: StrideProblem, shape: Shape3): string {
  const rest = (bad.n + bad.pads - bad.k) % bad.s;
  const padText = l.kind === 'conv2d' ? ` + ${bad.pads}` : '';
  const lost = `${rest} ${bad.axis === 'height' ? 'row' : 'column'}${rest === 1 ? '' : 's'}`;
  return `${l.name}: stride ${bad.s} does not divide the ${bad.axis}: (${bad.n}${padText} − ${bad.k}) % ${bad.s} = ${rest}, so the last ${lost} would be ignored. Fixes: ${fixes(l, shape).join(', ')}`;
}
