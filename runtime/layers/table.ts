// The one table where a layer kind becomes code: kind → its LayerDef (runtime/layers/<kind>.ts).
// The network, shape inference and the model-level facts below all loop over it; adding a layer kind is
// one row here plus one file (and its built-ins row in dsl/builtins.ts).
import type { LayerKind, LayerSpec, ModelSpec } from '../spec.js';
import { activationLayer } from './activation.js';
import { avgpoolLayer } from './avgpool.js';
import { batchnormLayer } from './batchnorm.js';
import { conv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import { dropoutLayer } from './dropout.js';
import { flattenLayer } from './flatten.js';
import { globalAvgpoolLayer } from './global-avgpool.js';
import type { LayerDef } from './layer.js';
import { maxpoolLayer } from './maxpool.js';

export const layerDefs: { [K in LayerKind]: LayerDef<K> } = {
  conv2d: conv2dLayer,
  maxpool: maxpoolLayer,
  avgpool: avgpoolLayer,
  globalavgpool: globalAvgpoolLayer,
  dense: denseLayer,
  flatten: flattenLayer,
  dropout: dropoutLayer,
  batchnorm: batchnormLayer,
  activation: activationLayer,
};

/** The definition of a layer's kind (its methods take any LayerSpec; each row reads only its own kind). */
export function defOf(l: LayerSpec): LayerDef<LayerKind> {
  // The one cast: TS cannot see that the row picked by l.kind is the row for l's type.
  return layerDefs[l.kind] as unknown as LayerDef<LayerKind>;
}

/** Does the model's output hold probabilities: is the last activation, looking past dropout and flatten, softmax? */
export function endsInSoftmax(spec: ModelSpec): boolean {
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const l = spec.layers[i];
    const o = defOf(l).output(l);
    if (o !== 'pass') return o === 'softmax';
  }
  return false;
}
