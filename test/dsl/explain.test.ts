// explain in the language services: completion offers its forms, then models, layers, `of` and the
// coordinates; inspect explains a form from the table; the checker resolves a bare layer name.
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { complete } from '../../dsl/complete.js';
import { envAfter } from '../../dsl/env.js';
import { inspect } from '../../dsl/inspect.js';
import { emptyEnv, type SessionEnv } from '../../dsl/program.js';

const SETUP =
  'data digits = mnist(train: 800, test: 200)\nmodel lenet(input: 28x28x1) {\n  conv 6 kernel 5x5 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}';
function env(): SessionEnv {
  const r = compile(SETUP, emptyEnv());
  if (!r.ok) throw new Error('setup does not compile');
  return envAfter(emptyEnv(), r.program);
}
const at = (text: string) => complete(text, text.length, env()).matches;

describe('explain completion', () => {
  it('offers the forms and the models first', () => {
    expect(at('explain ')).toEqual(
      expect.arrayContaining([
        'unit',
        'convolve',
        'size',
        'gradient',
        'weight_decay',
        'dropout',
        'early_stop',
        'step',
        'schedule',
        'lenet',
      ]),
    );
    expect(at('explain gr')).toEqual(['gradient']);
  });
  it('then a model after a form, its layers after a dot, datasets after of, coordinates after the target', () => {
    expect(at('explain gradient ')).toEqual(['lenet']);
    expect(at('explain convolve ')).toEqual(['digits']);
    expect(at('explain convolve digits.test[7] with ')).toContain('sobel_x');
    expect(at('explain gradient lenet.')).toEqual(['conv1', 'pool1', 'dense1']);
    expect(at('explain gradient lenet.conv1.')).toEqual(['weight', 'input']);
    expect(at('explain gradient lenet.conv1.weight of ')).toEqual(['digits']);
    expect(at('explain gradient lenet.conv1.weight of digits.test[7] at ')).toEqual(
      expect.arrayContaining(['map', 'channel', 'row', 'col']),
    );
  });
});

describe('explain inspect and lowering', () => {
  it('inspect shows a form with its formula', () => {
    const src = 'explain gradient';
    const r = inspect(src, src.length, env());
    expect(r.found).toBe(true);
    expect(r.plain).toMatch(/weight-sharing sum of δ·h/);
    expect(r.markdown).toContain('(6a)');
  });
  it('a bare layer name resolves to the one model that has it', () => {
    const r = compile('explain conv1 of digits.test[7] at map 2, row 3, col 4', env());
    expect(r.ok && r.program.statements[0]).toMatchObject({
      kind: 'explain',
      spec: { form: 'unit', model: 'lenet', layer: 'conv1', at: { map: 2, row: 3, col: 4 } },
    });
  });
});
