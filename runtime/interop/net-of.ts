// Builds a convbook Net from an imported model: createNet over the spec, then the ONNX weights and running
// statistics copied in by parameter name. Fails (nothing built) when a tensor is missing or mis-sized.
import { createNet } from '../net.js';
import type { Net } from '../types.js';
import type { ImportedModel } from './onnx-import.js';

export function netOfImport(m: ImportedModel): { ok: true; net: Net } | { ok: false; error: string } {
  let net: Net;
  try {
    net = createNet(m.spec);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  for (const p of net.params) {
    const t = m.tensors.get(p.name);
    if (!t || t.length !== p.size)
      return { ok: false, error: `${p.name} has ${t?.length ?? 0} values in the file, the layer needs ${p.size}` };
    p.value.set(t);
  }
  let at = 0;
  for (const l of m.spec.layers) {
    if (l.kind !== 'batchnorm') continue;
    const s = m.state.get(l.name)!;
    net.stateBuf.set(s, at);
    at += s.length;
  }
  return { ok: true, net };
}
