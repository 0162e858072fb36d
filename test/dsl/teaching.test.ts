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
