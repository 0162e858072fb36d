// Transfer learning: copy named layers' parameters (and batch-norm state) from one built net into another
// when every tensor's shape matches, all or nothing. Freezing is ModelSpec.frozen, which the optimizer skips.
import type { ModelSpec } from './spec.js';
import type { Buf, Net } from './types.js';

export type TransferResult = { ok: true; copied: string[] } | { ok: false; error: string };

/** Offset and length of each batch-norm layer's running statistics in a net's flat stateBuf. */
export function stateSlices(net: Net): Map<string, { offset: number; size: number }> {
  const out = new Map<string, { offset: number; size: number }>();
  let offset = 0;
  net.spec.layers.forEach((l, i) => {
    if (l.kind !== 'batchnorm') return;
    const size = 2 * net.info[i].out.c;
    out.set(l.name, { offset, size });
    offset += size;
  });
  return out;
}

const shapeText = (s: number[]) => s.join('×');

/** Copies the parameters of `layers` from source into target; on any mismatch copies nothing and says why. */
export function transferLayers(target: Net, source: Net, layers: string[]): TransferResult {
  const copies: { dst: Buf; src: Buf }[] = [];
  const srcState = stateSlices(source);
  const dstState = stateSlices(target);
  for (const layer of layers) {
    const sl = source.spec.layers.find((l) => l.name === layer);
    const tl = target.spec.layers.find((l) => l.name === layer);
    if (!sl) return { ok: false, error: `model ${source.spec.name} has no layer named ${layer}` };
    if (!tl) return { ok: false, error: `model ${target.spec.name} has no layer named ${layer}` };
    if (sl.kind !== tl.kind)
      return { ok: false, error: `layer ${layer} is a ${sl.kind} in ${source.spec.name} but a ${tl.kind} in ${target.spec.name}` };
    const tp = target.params.filter((p) => p.layer === layer);
    for (const p of tp) {
      const q = source.params.find((s) => s.name === p.name);
      if (!q) return { ok: false, error: `${source.spec.name} has no parameter ${p.name}` };
      if (shapeText(q.shape) !== shapeText(p.shape)) {
        return {
          ok: false,
          error: `${p.name} is ${shapeText(q.shape)} in ${source.spec.name} but ${shapeText(p.shape)} in ${target.spec.name}`,
        };
      }
      copies.push({ dst: p.value, src: q.value });
    }
    const ss = srcState.get(layer);
    const ds = dstState.get(layer);
    if (ss && ds && ss.size === ds.size) {
      copies.push({
        dst: target.stateBuf.subarray(ds.offset, ds.offset + ds.size),
        src: source.stateBuf.subarray(ss.offset, ss.offset + ss.size),
      });
    }
  }
  for (const c of copies) c.dst.set(c.src);
  return { ok: true, copied: layers.slice() };
}

/** Layers named in frozen that the model does not have (the checker reports these; the runtime double-checks). */
export function unknownFrozen(spec: ModelSpec): string[] {
  const names = new Set(spec.layers.map((l) => l.name));
  return spec.frozen.filter((f) => !names.has(f) && !names.has(f.split('.')[0]));
}
