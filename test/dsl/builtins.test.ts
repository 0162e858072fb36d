// The built-ins table is the single source: every row is documented, its example compiles (so it is
// reachable in the grammar), it can be completed where it is written, and inspect explains it.
import { describe, expect, it } from 'vitest';
import { builtins, type Builtin } from '../../dsl/builtins.js';
import { compile } from '../../dsl/compile.js';
import { complete } from '../../dsl/complete.js';
import { inspect } from '../../dsl/inspect.js';
import { emptyEnv } from '../../dsl/program.js';

const DATA = 'data d = mnist(train: 800, test: 200)\n';
const MODEL = 'model m { dense 10 softmax }\n';

/** A whole cell around a row's example: settings go in a train block, image examples get a dataset. */
function exampleCell(row: Builtin): string {
  if (row.category === 'setting') return `${DATA}${MODEL}train m on d {\n  ${row.example}\n}`;
  if (row.category === 'augmentation' || row.category === 'filter') return DATA + row.example;
  return row.example;
}

/** Text with the cursor at its end (marked |) where this row's name is a valid completion. */
function probe(row: Builtin): string | undefined {
  const train = `${DATA}${MODEL}train m on d {\n  `;
  switch (row.category) {
    case 'statement':
      return '|';
    case 'keyword':
      return {
        on: 'train m |',
        from: 'model b |',
        freeze: 'model m\nmodel b from m |',
        with: `${DATA}convolve d.test[1] |`,
        where: `${DATA}data e = d |`,
        to: `${MODEL}export m |`,
      }[row.name];
    case 'layer':
    case 'activation':
      return 'model m {\n  |';
    case 'optimizer':
      return `${train}optimizer |`;
    case 'schedule':
      return `${train}schedule |`;
    case 'augmentation':
      return `${train}augment shift 2, |`;
    case 'data':
      return 'data e = |';
    case 'subset':
      return `${DATA}data e = d |`;
    case 'filter':
      return `${DATA}convolve d.test[1] with |`;
    case 'setting':
      return `${train}epochs 3 |`;
    case 'metric':
      return `${MODEL}compare m on |`;
    case 'explain':
      return 'explain |';
    case 'show':
      return {
        filters: `${MODEL}show m.|`,
        feature_maps: `${MODEL}show m.|`,
        history: `${MODEL}show m.|`,
        samples: `${DATA}show d.|`,
        schedule: 'show |',
        augment: 'show |',
        // `show m` and `show d.test[7]` are forms, not words: nothing to complete.
        summary: undefined,
        image: undefined,
      }[row.name];
  }
}

describe('built-ins table', () => {
  it('has unique (category, name) rows', () => {
    const keys = builtins.map((b) => `${b.category}:${b.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  for (const row of builtins) {
    describe(`${row.category} ${row.name}`, () => {
      it('is documented', () => {
        expect(row.doc.length).toBeGreaterThan(10);
        for (const p of row.params) expect(p.doc.length, p.name).toBeGreaterThan(2);
        if (['layer', 'optimizer', 'schedule'].includes(row.category) && row.name !== 'constant')
          expect(row.formula, 'formula').toBeTruthy();
      });

      it('its example compiles', () => {
        const src = exampleCell(row);
        const r = compile(src, emptyEnv(), { totalMemory: 2 ** 34 });
        expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
        // `show m` (summary) and `show d.test[7]` (image) are forms without a word of their own.
        if (!(row.category === 'show' && ['summary', 'image'].includes(row.name))) expect(src).toContain(row.name);
      });

      it('is offered by completion', () => {
        const p = probe(row);
        if (p === undefined) return expect(['summary', 'image']).toContain(row.name);
        const text = p.replace('|', '');
        const r = complete(text, p.indexOf('|'), emptyEnv());
        expect(r.matches).toContain(row.name);
        // With its first letters typed, completion narrows to names with that prefix and still offers it.
        const typed = text + row.name.slice(0, 2);
        const narrowed = complete(typed, typed.length, emptyEnv());
        expect(narrowed.matches).toContain(row.name);
        expect(narrowed.matches.every((m) => m.startsWith(row.name.slice(0, 2)))).toBe(true);
        expect(narrowed.cursorStart).toBe(text.length);
      });

      it('is explained by inspect', () => {
        const src = `print "x"\n${row.name}`;
        const r = inspect(src, src.length, emptyEnv());
        expect(r.found).toBe(true);
        expect(r.plain).toContain(row.doc);
        for (const p of row.params) expect(r.markdown).toContain(`| ${p.name} |`);
        if (row.formula) expect(r.markdown).toContain(row.formula);
      });
    });
  }

  it('every call parameter is completed inside its call', () => {
    const calls = builtins.filter((b) => ['optimizer', 'schedule', 'data', 'filter'].includes(b.category));
    for (const row of calls) {
      const src = `x = ${row.name}(`;
      const r = complete(src, src.length, emptyEnv());
      expect(r.matches, row.name).toEqual(row.params.map((p) => p.name));
    }
  });

  it('every layer option is completed on its line', () => {
    for (const row of builtins.filter((b) => b.category === 'layer')) {
      const src = `model m {\n  ${row.name} ${row.params[0]?.form === 'positional' ? '4 ' : ''}`;
      const r = complete(src, src.length, emptyEnv());
      for (const p of row.params.filter((q) => q.form === 'keyword')) expect(r.matches, `${row.name} ${p.name}`).toContain(p.name);
      if (row.params.some((q) => q.type === 'activation')) expect(r.matches).toContain('relu');
    }
  });
});
