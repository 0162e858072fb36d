// How each layer line lowers to its LayerSpec, one row per runtime layer kind: defaults come from the
// built-ins row (through `v`), 'same' padding becomes pixels on the line's input shape. Names are
// filled later (lower-model.ts); checking is the checker's. Adding a layer kind adds one row here.
import type { LayeredKind } from './builtins.js';
import type { PaddingValue } from './bind.js';
import { samePadding } from '../runtime/shapes.js';
import type { LayerSpec, Pair, PadSpec, Shape3 } from '../runtime/spec.js';

/** A bound parameter of the line, or its default. */
export type ValueOf = <T>(name: string) => T;

type Lowering<K extends LayeredKind> = (v: ValueOf, shape: Shape3 | undefined) => Extract<LayerSpec, { kind: K }>;

/** Padding in pixels per side; 'same' is resolved on the input shape (the kernel size when unknown). */
export function padSpec(p: PaddingValue, shape: Shape3 | undefined, kernel: Pair, stride: Pair): PadSpec {
  const mode = p.replicate ? ('replicate' as const) : ('zero' as const);
  if (p.kind === 'same') {
    const s = samePadding(shape?.h ?? kernel[0], shape?.w ?? kernel[1], kernel, stride);
    return { mode, ...s };
  }
  return { mode, top: p.pixels[0], bottom: p.pixels[0], left: p.pixels[1], right: p.pixels[1] };
}

/** Only `round floor` is stored: the default (exact) leaves the spec, and its hash, as before. */
const round = (v: ValueOf) => (v<string | undefined>('round') === 'floor' ? { round: 'floor' as const } : {});

function pool<K extends 'maxpool' | 'avgpool'>(kind: K): Lowering<K> {
  return (v) => {
    const size = v<Pair>('size');
    return { kind, name: '', size, stride: v<Pair | undefined>('stride') ?? [...size], ...round(v) } as Extract<LayerSpec, { kind: K }>;
  };
}

export const layerLowerings: { [K in LayeredKind]: Lowering<K> } = {
  conv2d(v, shape) {
    const kernel = v<Pair>('kernel');
    const stride = v<Pair>('stride');
    const pad = v<PaddingValue | string>('padding');
    const p: PaddingValue = typeof pad === 'string' ? { kind: pad as 'valid', pixels: [0, 0], replicate: false } : pad;
    return {
      kind: 'conv2d',
      name: '',
      filters: v('filters'),
      kernel,
      stride,
      padding: padSpec(p, shape, kernel, stride),
      activation: v('activation'),
      init: v('init'),
      ...round(v),
    };
  },
  maxpool: pool('maxpool'),
  avgpool: pool('avgpool'),
  globalavgpool: () => ({ kind: 'globalavgpool', name: '' }),
  dense: (v) => ({ kind: 'dense', name: '', units: v('units'), activation: v('activation'), init: v('init') }),
  flatten: () => ({ kind: 'flatten', name: '' }),
  dropout: (v) => ({ kind: 'dropout', name: '', rate: v('rate') }),
  batchnorm: (v) => ({ kind: 'batchnorm', name: '', momentum: v('momentum'), eps: v('eps') }),
};
