// The course notebooks (notebooks/src/*.cnb, percent format) are written in this language: every code
// cell must compile against the session the cells before it build, with no errors and no warnings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../dsl/compile.js';
import { renderDiagnostic } from '../../dsl/diagnostic.js';
import { envAfter } from '../../dsl/env.js';
import { emptyEnv, type Program, type SessionEnv } from '../../dsl/program.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';

const dir = join(import.meta.dirname, '..', '..', 'notebooks', 'src');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cnb')) : [];

/** Code cells of a percent-format notebook, in order. */
function codeCells(text: string): string[] {
  const parts = text.split(/^# %%(.*)$/m);
  const cells: string[] = [];
  for (let i = 1; i < parts.length; i += 2) if (!parts[i].includes('markdown')) cells.push(parts[i + 1].trim());
  return cells;
}

/** An import of a committed file defines its model for the next cells, as running the cell would. */
function withImports(env: SessionEnv, program: Program): SessionEnv {
  for (const s of program.statements) {
    const path = s.kind === 'import' ? join(dir, '..', s.path) : undefined;
    if (s.kind !== 'import' || !path || !existsSync(path)) continue;
    const m = importOnnx(readFileSync(path), s.name);
    if (m.ok) env.models[s.name] = m.value.spec;
  }
  return env;
}

describe.skipIf(files.length === 0)('course notebooks compile', () => {
  for (const f of files) {
    it(f, () => {
      let env = emptyEnv();
      const problems: string[] = [];
      const cells = codeCells(readFileSync(join(dir, f), 'utf8'));
      expect(cells.length).toBeGreaterThan(0);
      cells.forEach((cell, i) => {
        const r = compile(cell, env);
        const ds = r.ok ? r.warnings : r.diagnostics;
        for (const d of ds) problems.push(`cell ${i + 1}: ${renderDiagnostic(cell, d).join('\n')}`);
        if (r.ok) env = withImports(envAfter(env, r.program), r.program);
      });
      expect(problems).toEqual([]);
    });
  }
});
