// Per-example outputs of an evaluation job: after a chunk's eval-mode forward pass, each example's values
// of one layer (or of the net's last layer) are copied to their place in a buffer shared by every lane.
import type { Buf, Net } from '../types.js';
import type { Shape3 } from '../spec.js';

/** The (c, h, w) of one example's output of `layer` ('input' for the net's input), or of the net's output when absent. */
export function layerShape(net: Net, layer?: string): Shape3 {
  if (layer === undefined) return net.info[net.info.length - 1].out;
  const s = layer === 'input' ? net.spec.input : net.info[net.spec.layers.findIndex((l) => l.name === layer)]?.out;
  if (!s) throw new Error(`no layer named ${layer}`);
  return s;
}

/** Values per example of layerShape(net, layer). */
export function outputValues(net: Net, layer?: string): number {
  const s = layerShape(net, layer);
  return s.c * s.h * s.w;
}

/** out[start·size .. (start+m)·size) ← m examples of `layer` from the last forward pass, or of its output y. */
export function copyOutputs(net: Net, layer: string | undefined, y: Buf, out: Float32Array, size: number, start: number, m: number): void {
  const src = layer === undefined ? y : net.activation(layer).data;
  out.set(src.subarray(0, m * size), start * size);
}
