// Checker messages a teaching assistant needed (issue 16): more workers than cores, and a model whose
// outputs do not match the classes (caught before the run, in either direction).
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';

const DATA = 'data d = mnist(train: 800, test: 200)';
const model = (units: number) => `model m(input: 28x28x1) {\n  conv 4 relu\n  dense ${units} softmax\n}`;

describe('workers above the core count', () => {
  it('warns at the setting, naming the cores and the fix', () => {
    const src = `${DATA}\n${model(10)}\ntrain m on d { workers 16 }`;
    const r = compile(src, undefined, { cores: 2 });
    expect(r.ok).toBe(true);
    const w = r.ok ? r.warnings.find((x) => /cores/.test(x.message)) : undefined;
    expect(w?.message).toMatch(/workers 16 is more than this machine's 2 cores.*use workers 0/);
    expect(w && src.slice(w.range.startOffset, w.range.endOffset)).toBe('16');
  });

  it('says nothing at or below the core count', () => {
    const r = compile(`${DATA}\n${model(10)}\ntrain m on d { workers 2 }`, undefined, { cores: 2 });
    expect(r.ok && r.warnings.filter((x) => /cores/.test(x.message))).toEqual([]);
  });
});

describe('outputs against classes', () => {
  it.each([5, 12])('dense %i on 10 classes is refused before the run', (units) => {
    const src = `${DATA}\n${model(units)}\ntrain m on d { epochs 1 }`;
    const r = compile(src);
    expect(r.ok).toBe(false);
    const e = r.ok ? undefined : r.diagnostics.find((x) => x.code === 'shape');
    expect(e?.message).toBe(`d has 10 classes but m has ${units} outputs; end the model with dense 10 softmax`);
  });
});

describe('layers by position in show', () => {
  const cell = (what: string) => `${DATA}\nmodel m(input: 28x28x1) {\n  conv 4 relu\n  maxpool 2x2\n  dense 10 softmax\n}\n${what}`;
  it('feature_maps 2 is the second layer, as freeze counts them', () => {
    const r = compile(cell('show m.feature_maps 2 of d.test[0]'));
    const s = r.ok ? r.program.statements.find((x) => x.kind === 'show_feature_maps') : undefined;
    expect(s?.kind === 'show_feature_maps' && s.layer).toBe('pool1');
  });
  it('filters 1 is conv1; filters 2 is refused as a pooling layer', () => {
    const r = compile(cell('show m.filters 1'));
    expect(r.ok && r.program.statements.find((x) => x.kind === 'show_filters')).toMatchObject({ layer: 'conv1' });
    const bad = compile(cell('show m.filters 2'));
    expect(bad.ok ? '' : bad.diagnostics[0].message).toMatch(/pool1 is a maxpool layer and has no filters to show; conv layers: conv1/);
  });
  it('a position past the last layer names the layers with their numbers', () => {
    const src = cell('show m.feature_maps 7 of d.test[0]');
    const r = compile(src);
    const e = r.ok ? undefined : r.diagnostics[0];
    expect(e?.message).toBe('m has no layer number 7 (it has 3: 1 conv1, 2 pool1, 3 dense1)');
    expect(e && src.slice(e.range.startOffset, e.range.endOffset)).toBe('7');
  });
});

describe('transfer edits', () => {
  const base = `model a(input: 28x28x1) {\n  conv 4 relu\n  maxpool 2x2\n  dense 32 relu\n  dense 16 relu\n  dense 10 softmax\n}`;
  const layersOf = (src: string) => {
    const r = compile(src);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    const s = r.program.statements.filter((x) => x.kind === 'model').pop();
    return s?.kind === 'model' ? s.spec.layers.map((l) => `${l.name}:${l.kind}${'units' in l ? (l as { units: number }).units : ''}`) : [];
  };
  it('consecutive replace lines swap as many layers from the end, in order', () => {
    expect(layersOf(`${base}\nmodel b from a freeze conv1 {\n  replace dense 64 relu\n  replace dense 5 softmax\n}`)).toEqual([
      'conv1:conv2d',
      'pool1:maxpool',
      'dense1:dense32',
      'dense2:dense64',
      'dense3:dense5',
    ]);
  });
  it('drop removes layers by name, range or position before the new head goes on', () => {
    expect(layersOf(`${base}\nmodel b from a freeze conv1 {\n  drop dense2..dense3\n  append dense 5 softmax\n}`)).toEqual([
      'conv1:conv2d',
      'pool1:maxpool',
      'dense1:dense32',
      'dense2:dense5',
    ]);
    expect(layersOf(`${base}\nmodel c from a {\n  drop 5\n}`)).toEqual([
      'conv1:conv2d',
      'pool1:maxpool',
      'dense1:dense32',
      'dense2:dense16',
    ]);
  });
  it('more replace lines than layers, and dropping a frozen layer, are errors at their tokens', () => {
    const src = `${base}\nmodel b from a freeze dense3 {\n  drop dense3\n}`;
    const r = compile(src);
    const e = r.ok ? undefined : r.diagnostics.find((d) => d.code === 'conflict');
    expect(e?.message).toMatch(/freeze includes dense3, which this model drops/);
    const many = compile(`${base}\nmodel m from a {\n${'  replace dense 3\n'.repeat(6)}}`);
    expect(many.ok ? '' : many.diagnostics[0].message).toMatch(/6 replace lines but a has 5 layers/);
  });
});

describe('a stride that does not divide', () => {
  const net = (lines: string) => `model m(input: 14x14x1) {\n${lines}\n  dense 10 softmax\n}`;
  const firstError = (src: string) => {
    const r = compile(src);
    return r.ok ? undefined : r.diagnostics.find((d) => d.severity === 'error');
  };
  it('conv 3x3 stride 2 on 14×14 offers padding same, the padding that divides, and round floor', () => {
    const e = firstError(net('  conv 4 kernel 3x3 stride 2 relu'));
    // (14 − 3) % 2 = 1; same pads 1 in all (7×7 out); padding 1 gives (14 + 2 − 3) % 2 = 1 — does not divide, so not offered.
    expect(e?.message).toBe(
      'conv1: stride 2 does not divide the height: (14 + 0 − 3) % 2 = 1, so the last 1 row would be ignored. ' +
        'Fixes: padding same (output 7x7), kernel 4x4 (output 6x6), or add round floor to drop it as PyTorch and Keras do (output 6x6)',
    );
  });
  it('maxpool 2x2 on 7×7 offers a window that divides, and round floor', () => {
    const e = firstError(net('  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2\n  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2'));
    expect(e?.message).toBe(
      'pool2: stride 2 does not divide the height: (7 − 2) % 2 = 1, so the last 1 row would be ignored. ' +
        'Fixes: maxpool 3x3 stride 2 (output 3x3), or add round floor to drop it as PyTorch and Keras do (output 3x3)',
    );
  });
  it('round floor is the explicit opt-in: it compiles, and the shapes floor as PyTorch does', () => {
    const r = compile(net('  conv 4 kernel 3x3 stride 2 round floor relu\n  maxpool 2x2 round floor'));
    expect(r.ok).toBe(true);
    const s = r.ok ? r.program.statements.find((x) => x.kind === 'model') : undefined;
    expect(s?.kind === 'model' && s.spec.layers.slice(0, 2).map((l) => ('round' in l ? l.round : undefined))).toEqual(['floor', 'floor']);
  });
});
