// Test helpers for optimizer tests: Param views over plain flat vectors, without a network.
import type { Param } from '../../runtime/types.js';

export interface FlatParams {
  params: Param[];
  paramBuf: Float64Array;
  gradBuf: Float64Array;
}

/** Lays the given tensors out one after another in a float64 buffer pair. */
export function flatParams(defs: { layer: string; kind: string; size: number; decay: boolean }[]): FlatParams {
  const total = defs.reduce((a, d) => a + d.size, 0);
  const paramBuf = new Float64Array(total);
  const gradBuf = new Float64Array(total);
  let offset = 0;
  const params = defs.map((d) => {
    const p: Param = {
      name: `${d.layer}.${d.kind}`,
      layer: d.layer,
      shape: [d.size],
      offset,
      size: d.size,
      value: paramBuf.subarray(offset, offset + d.size),
      grad: gradBuf.subarray(offset, offset + d.size),
      decay: d.decay,
    };
    offset += d.size;
    return p;
  });
  return { params, paramBuf, gradBuf };
}

/** A weight and a bias tensor for one layer 'fc', and a second layer 'head'. */
export function twoLayers(): FlatParams {
  return flatParams([
    { layer: 'fc', kind: 'weight', size: 3, decay: true },
    { layer: 'fc', kind: 'bias', size: 2, decay: false },
    { layer: 'head', kind: 'weight', size: 2, decay: true },
  ]);
}
