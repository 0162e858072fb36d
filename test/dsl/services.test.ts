// Editor services: completion, inspect and is_complete, plus the caret rendering of diagnostics.
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { complete } from '../../dsl/complete.js';
import { renderDiagnostic } from '../../dsl/diagnostic.js';
import { envAfter } from '../../dsl/env.js';
import { inspect } from '../../dsl/inspect.js';
import { isComplete } from '../../dsl/is-complete.js';
import { emptyEnv, type Diagnostic, type SessionEnv } from '../../dsl/program.js';

function sessionWith(source: string): SessionEnv {
  const r = compile(source);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return envAfter(emptyEnv(), r.program);
}

const env = sessionWith(
  'data digits = mnist(train: 800, test: 200)\nmodel lenet(input: 28x28x1) {\n conv 6 kernel 5x5 padding same relu\n maxpool 2x2\n conv 16 kernel 5x5 relu\n dense 10 softmax\n}\nmodel other { dense 10 softmax }',
);

/** Complete at the `|` marker. */
const at = (text: string, e: SessionEnv = env) => complete(text.replace('|', ''), text.indexOf('|'), e);

describe('complete', () => {
  it('offers statement keywords at the start of a line, filtered by what is typed', () => {
    expect(at('|').matches).toContain('train');
    const r = at('print "x"\ntr|');
    expect(r.matches).toEqual(['train']);
    expect([r.cursorStart, r.cursorEnd]).toEqual([10, 12]);
  });

  it('replaces the whole word around the cursor', () => {
    const r = at('sh|ow lenet');
    expect(r.matches).toEqual(['show']);
    expect([r.cursorStart, r.cursorEnd]).toEqual([0, 4]);
  });

  it('offers the next keyword the grammar allows', () => {
    expect(at('train lenet |').matches).toEqual(['on']);
    expect(at('convolve digits.test[1] |').matches).toEqual(['with']);
    expect(at('model b from lenet |').matches).toContain('freeze');
  });

  it('offers session names where a model or dataset goes', () => {
    expect(at('train |').matches).toEqual(expect.arrayContaining(['lenet', 'other']));
    expect(at('train |').matches).not.toContain('digits');
    expect(at('train lenet on |').matches).toEqual(['digits']);
    expect(at('evaluate lenet on d|').matches).toEqual(['digits']);
    expect(at('compare lenet, o|').matches).toEqual(['other']);
  });

  it('offers names defined earlier in the same cell', () => {
    const r = at('data low = mnist(train: 10, test: 10)\nmodel fresh { conv 3 relu\n dense 10 softmax }\ntrain f|', emptyEnv());
    expect(r.matches).toEqual(['fresh']);
    expect(at('model fresh { conv 3 relu\n dense 10 softmax }\nshow fresh.filters |', emptyEnv()).matches).toEqual(['conv1']);
  });

  it('offers parameter names inside calls', () => {
    expect(at('train lenet on digits { optimizer sgd(|').matches).toEqual(['lr', 'momentum', 'nesterov']);
    expect(at('train lenet on digits { optimizer adam(lr: 0.1, be|').matches).toEqual(['beta1', 'beta2']);
    expect(at('data x = mnist(|').matches).toEqual(['train', 'test', 'seed']);
    expect(at('model m(|').matches).toEqual(['input', 'loss']);
  });

  it('offers layer kinds at the start of a model line and their options after', () => {
    const start = at('model m {\n  |').matches;
    expect(start).toEqual(expect.arrayContaining(['conv', 'maxpool', 'dense', 'dropout', 'relu']));
    expect(start).not.toContain('epochs');
    const opts = at('model m {\n  conv 6 |').matches;
    expect(opts).toEqual(expect.arrayContaining(['kernel', 'stride', 'padding', 'relu', 'as']));
    expect(at('model m {\n  conv 6 padding |').matches).toEqual(['valid', 'same', 'replicate']);
    expect(at('model b from lenet {\n  |').matches).toEqual(expect.arrayContaining(['replace', 'append', 'drop']));
  });

  it('offers settings in a train block and the right family after optimizer/schedule/augment', () => {
    expect(at('train lenet on digits {\n  |').matches).toEqual(expect.arrayContaining(['epochs', 'batch', 'optimizer', 'augment']));
    expect(at('train lenet on digits {\n  optimizer |').matches).toEqual(['sgd', 'adam', 'adamw']);
    expect(at('train lenet on digits {\n  schedule e|').matches).toEqual(['exponential']);
    expect(at('train lenet on digits {\n  augment shift 2, r|').matches).toEqual(['rotate']);
  });

  it('offers nothing inside strings and comments', () => {
    expect(at('print "tr|').matches).toEqual([]);
    expect(at('show lenet # tr|').matches).toEqual([]);
    expect(at('print "a#b"\ntr|').matches).toEqual(['train']);
  });

  it('offers attributes and layer names after model. and data.', () => {
    expect(at('show lenet.|').matches).toEqual(['filters', 'feature_maps', 'history']);
    expect(at('show digits.|').matches).toEqual(['train', 'test', 'samples']);
    expect(at('show lenet.filters |').matches).toEqual(['conv1', 'conv2']);
    expect(at('show lenet.feature_maps |').matches).toEqual(['conv1', 'pool1', 'conv2', 'dense1']);
    expect(at('show lenet.feature_maps conv1 |').matches).toEqual(['of']);
  });
});

describe('inspect', () => {
  const look = (text: string, e: SessionEnv = env) => inspect(text.replace('|', ''), text.indexOf('|'), e);

  it('documents a layer with its parameters, defaults, ranges and formula', () => {
    const r = look('model m {\n  co|nv 6\n}');
    expect(r.found).toBe(true);
    expect(r.markdown).toContain('| kernel | pair | 3x3 |');
    expect(r.markdown).toContain('floor((H + pad_top + pad_bottom − Kh)/Sh) + 1');
    expect(r.plain).toContain('filters: int, default (required), ≥ 1');
  });

  it('documents an optimizer with its update rule', () => {
    const r = look('train m on d { optimizer ad|am(lr: 0.1) }');
    expect(r.markdown).toContain('θ ← θ − η·m̂/(√v̂ + ε)');
    expect(r.markdown).toContain('| beta1 | number | 0.9 |');
  });

  it('documents a parameter of the enclosing call', () => {
    const r = look('train m on d { optimizer sgd(momen|tum: 0.9) }');
    expect(r.plain).toBe('momentum of sgd: number, default 0, ≥ 0 and < 1 — momentum μ');
  });

  it('lists the layers of a session model', () => {
    const r = look('show len|et');
    expect(r.found).toBe(true);
    expect(r.plain.split('\n')[0]).toBe('lenet: input 28x28x1, 18582 parameters');
    expect(r.markdown).toContain('| conv1 | conv2d | 28x28x6 | 156 |');
    expect(r.markdown).toContain('| dense1 | dense | 1x1x10 | 16010 |');
  });

  it('describes a layer of a session model', () => {
    const r = look('show lenet.filters con|v2');
    expect(r.plain).toBe(
      'conv2: layer 3 of lenet, conv2d — 16 filters 5x5, stride 1x1, padding 0/0/0/0 (zero), relu; output 10x10x16, 2416 parameters, receptive field 14x14',
    );
    // receptive field by hand: conv 5 → 5; pool 2 → 5 + 1·1 = 6, jump 2; conv 5 → 6 + 4·2 = 14
  });

  it('finds nothing for unknown words and whitespace', () => {
    expect(look('show xyz|zy').found).toBe(false);
    expect(look('show lenet |').found).toBe(false);
  });
});

describe('isComplete', () => {
  it('is incomplete while a block, call or list is open, with an indent', () => {
    expect(isComplete('model m {\n  conv 6')).toEqual({ status: 'incomplete', indent: '  ' });
    expect(isComplete('train m on d { optimizer sgd(lr: 0.1,')).toMatchObject({ status: 'incomplete' });
    expect(isComplete('convolve [1, 2')).toMatchObject({ status: 'incomplete' });
    expect(isComplete('augment shift 2,')).toMatchObject({ status: 'incomplete' });
  });

  it('is complete when everything is closed, even with other errors', () => {
    expect(isComplete('model m {\n  conv 6\n}')).toEqual({ status: 'complete' });
    expect(isComplete('show lenet')).toEqual({ status: 'complete' });
    expect(isComplete('')).toEqual({ status: 'complete' });
    expect(isComplete('shwo lenet')).toEqual({ status: 'complete' });
  });

  it('is invalid on lexing errors and mismatched closers', () => {
    expect(isComplete('print "open').status).toBe('invalid');
    expect(isComplete('show lenet @').status).toBe('invalid');
    expect(isComplete('model m { conv 6 )').status).toBe('invalid');
    expect(isComplete('}').status).toBe('invalid');
  });
});

describe('renderDiagnostic', () => {
  const diag = (source: string, start: number, end: number): Diagnostic => {
    const before = source.slice(0, start).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    return {
      severity: 'error',
      code: 'x',
      message: 'bad',
      range: { startOffset: start, endOffset: end, line, column, endLine: line, endColumn: column + end - start },
    };
  };

  it('puts a caret under each character of the token', () => {
    const src = 'model m {\n  conv 6 kernel 5x5 stride 2\n}';
    const start = src.indexOf('5x5');
    expect(renderDiagnostic(src, diag(src, start, start + 3))).toEqual([
      'line 2, column 17: bad',
      '  conv 6 kernel 5x5 stride 2',
      '                ^^^',
    ]);
  });

  it('keeps tabs so the caret lines up', () => {
    const src = '\tconv\t6';
    expect(renderDiagnostic(src, diag(src, 6, 7))).toEqual(['line 1, column 7: bad', '\tconv\t6', '\t    \t^']);
  });

  it('shows one caret past the end for an error at the end of the cell', () => {
    const src = 'show m.';
    expect(renderDiagnostic(src, diag(src, 7, 7))[2]).toBe('       ^');
  });

  it('marks warnings and cuts multi-line spans at the end of the first line', () => {
    const src = 'ab\ncd';
    const d: Diagnostic = {
      severity: 'warning',
      code: 'x',
      message: 'w',
      range: { startOffset: 1, endOffset: 4, line: 1, column: 2, endLine: 2, endColumn: 2 },
    };
    expect(renderDiagnostic(src, d)).toEqual(['line 1, column 2: warning: w', 'ab', ' ^']);
  });

  it('renders real compiler diagnostics under the offending token', () => {
    const src = 'model m {\n  dens 10 softmax\n}';
    const r = compile(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(renderDiagnostic(src, r.diagnostics[0]).slice(1)).toEqual(['  dens 10 softmax', '  ^^^^']);
  });
});

describe('diagnostic codes', () => {
  it('every code the golden files produce is documented', async () => {
    const { diagnosticCodes } = await import('../../dsl/diagnostic.js');
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(import.meta.dirname, 'golden');
    const codes = new Set<string>();
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const j = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { diagnostics?: { code: string }[]; warnings?: { code: string }[] };
      for (const d of [...(j.diagnostics ?? []), ...(j.warnings ?? [])]) codes.add(d.code);
    }
    expect(codes.size).toBeGreaterThan(8);
    for (const c of codes) expect(Object.keys(diagnosticCodes), c).toContain(c);
  });
});

describe('line endings: \r\n and a lone \r are line breaks for every service', () => {
  const forms = [
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ] as const;
  for (const [name, br] of forms) {
    const cell = (text: string) => text.replace(/\n/g, br);
    it(`completes and inspects after ${name} lines`, () => {
      expect(at(cell('data d = mnist()\nmodel m {\n  conv 6 kernel 5x5\n  den|'))).toMatchObject({ matches: ['dense'] });
      expect(at(cell('train lenet on digits {\n  epochs 3\n  opt|'))).toMatchObject({ matches: ['optimizer'] });
      // The statement keyword at the start of a line, not a continuation of the line before.
      expect(at(cell('print "x"\ntr|')).matches).toEqual(['train']);
      const src = cell('data d = mnist()\nmodel m {\n  maxpool 2x2\n}');
      expect(inspect(src, src.indexOf('maxpool') + 2, env).plain).toMatch(/^maxpool/);
    });

    it(`a # comment ends at ${name}, so the next line completes`, () => {
      expect(at(cell('# a comment\nsh|')).matches).toEqual(['show']);
    });

    it(`is_complete sees ${name} as the end of a line`, () => {
      expect(isComplete(cell('model m {\n  dense 10 softmax\n')).status).toBe('incomplete');
      expect(isComplete(cell('model m {\n  dense 10 softmax\n}\n')).status).toBe('complete');
      expect(isComplete(cell('data d = mnist(train: 10,\n')).status).toBe('incomplete');
    });

    it(`renders a caret under the right token of the right line with ${name}`, () => {
      const src = cell('data d = mnist()\nmodel m {\n  dens 10\n}');
      const r = compile(src);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(renderDiagnostic(src, r.diagnostics[0]).slice(1, 3)).toEqual(['  dens 10', '  ^^^^']);
    });
  }
});
