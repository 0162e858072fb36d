// Weight initialisation from an explicit Rng: He (normal, std √(2/fan_in), for ReLU-family layers) and
// Glorot/Xavier (uniform ±√(6/(fan_in + fan_out))). Biases are zeroed by the caller's fresh buffer.
// References: He et al. 2015, arXiv:1502.01852; Glorot & Bengio 2010 (AISTATS).
import type { Buf, Rng } from './types.js';

export type InitKind = 'he' | 'glorot';

/** Fills w with draws for a layer with the given fan-in and fan-out. */
export function initWeights(w: Buf, kind: InitKind, fanIn: number, fanOut: number, rng: Rng): void {
  if (kind === 'he') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  } else {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * a;
  }
}
