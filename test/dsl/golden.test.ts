// Golden tests: each test/dsl/golden/*.cnn compiles to the statements (without ranges) or the rendered
// diagnostics stored beside it in *.json. UPDATE_GOLDEN=1 rewrites the files; review the diff by eye.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { renderDiagnostic } from '../../dsl/diagnostic.js';

const dir = join(import.meta.dirname, 'golden');
/** Fixed so that memory errors do not depend on the machine running the tests. */
const totalMemory = 8 * 2 ** 30;
const cores = 2;

function snapshot(source: string): unknown {
  const r = compile(source, undefined, { totalMemory, cores });
  if (r.ok) {
    return {
      ok: true,
      statements: r.program.statements.map(({ range: _range, ...rest }) => rest),
      warnings: r.warnings.map((d) => ({ code: d.code, text: renderDiagnostic(source, d) })),
    };
  }
  return { ok: false, diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, text: renderDiagnostic(source, d) })) };
}

describe('golden', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cnn'))
    .sort();
  it('has golden files', () => expect(files.length).toBeGreaterThanOrEqual(10));
  for (const f of files) {
    it(f, () => {
      const source = readFileSync(join(dir, f), 'utf8');
      const got = snapshot(source);
      const path = join(dir, f.replace(/\.cnn$/, '.json'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, JSON.stringify(got, null, 2) + '\n');
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(got).toEqual(JSON.parse(readFileSync(path, 'utf8')));
      // A file named err-* must fail, any other must compile: guards against a silently regenerated golden.
      expect((got as { ok: boolean }).ok).toBe(!f.startsWith('err-'));
    });
  }
});
