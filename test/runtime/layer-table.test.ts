// The layer table: one definition per kind, a built-ins row with a lowering for every kind the language
// writes, and the model-level rules that read the table (probabilities at the output, one layer's shape).
import { describe, expect, it } from 'vitest';
import { builtins } from '../../dsl/builtins.js';
import { compile } from '../../dsl/compile.js';
import { layerLowerings } from '../../dsl/lower-layers.js';
import { endsInSoftmax, layerDefs } from '../../runtime/layers/table.js';
import { inferShapes, layerOut } from '../../runtime/shapes.js';
import type { LayerKind, LayerSpec, ModelSpec } from '../../runtime/spec.js';

const spec = (layers: LayerSpec[]): ModelSpec => ({ name: 'm', input: { c: 3, h: 8, w: 8 }, layers, loss: 'cross_entropy', frozen: [] });
const dense = (units: number, activation: 'softmax' | 'relu' = 'relu'): LayerSpec => ({
  kind: 'dense',
  name: `d${units}`,
  units,
  activation,
  init: 'he',
});

describe('layer table', () => {
  it('has one definition per layer kind, under its own kind', () => {
    for (const [kind, def] of Object.entries(layerDefs)) expect(def.kind).toBe(kind);
  });

  it('every layer row of the built-ins names a kind with a lowering, and every kind but activation has one row', () => {
    const rows = builtins.filter((r) => r.category === 'layer');
    for (const r of rows) expect(r.kind && typeof layerLowerings[r.kind]).toBe('function');
    const kinds = rows.map((r) => r.kind).sort();
    const all = (Object.keys(layerDefs) as LayerKind[]).filter((k) => k !== 'activation').sort();
    expect(kinds).toEqual(all);
  });

  it('endsInSoftmax looks past dropout and flatten, and stops at any other layer', () => {
    expect(endsInSoftmax(spec([dense(10, 'softmax')]))).toBe(true);
    expect(endsInSoftmax(spec([dense(10, 'softmax'), { kind: 'dropout', name: 'p', rate: 0.5 }, { kind: 'flatten', name: 'f' }]))).toBe(
      true,
    );
    expect(endsInSoftmax(spec([dense(10, 'relu')]))).toBe(false);
    expect(endsInSoftmax(spec([dense(10, 'softmax'), { kind: 'batchnorm', name: 'bn', momentum: 0.1, eps: 1e-5 }]))).toBe(false);
    expect(endsInSoftmax(spec([dense(10), { kind: 'activation', name: 'a', fn: 'softmax' }]))).toBe(true);
    expect(endsInSoftmax(spec([]))).toBe(false);
  });

  it('layerOut gives the same shape as the whole-model walk, and undefined when the output would be empty', () => {
    const pool: LayerSpec = { kind: 'maxpool', name: 'p', size: [3, 3], stride: [2, 2] };
    expect(layerOut(pool, { c: 3, h: 8, w: 8 })).toEqual({ c: 3, h: 3, w: 3 });
    const r = inferShapes(spec([pool]));
    expect(r.ok && r.layers[0].out).toEqual(layerOut(pool, { c: 3, h: 8, w: 8 }));
    expect(layerOut(pool, { c: 3, h: 2, w: 8 })).toBeUndefined();
  });
});

describe('the checker uses the same softmax rule', () => {
  const warnings = (src: string) => {
    const r = compile(src);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    return r.warnings.filter((d) => d.code === 'loss');
  };
  it('warns when cross-entropy follows a last layer that is not softmax', () => {
    expect(warnings('model m(input: 8x8x1) {\n dense 10 relu\n}')).toHaveLength(1);
  });
  it('does not warn when dropout follows the softmax layer', () => {
    expect(warnings('model m(input: 8x8x1) {\n dense 10 softmax\n dropout 0.2\n}')).toHaveLength(0);
  });
});
