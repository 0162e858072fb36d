// docs/language.md is generated from the built-ins table; this fails when the two drift apart
// (fix: npm run build && node dist/scripts/gen-docs.js). Every example in it must compile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtins } from '../../dsl/builtins.js';
import { compile } from '../../dsl/compile.js';
import { languageReference } from '../../dsl/reference.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'language.md'), 'utf8');

describe('docs/language.md', () => {
  it('matches the table', () => expect(doc).toBe(languageReference()));

  it('has a section for every built-in and an example for every statement', () => {
    for (const b of builtins) expect(doc, b.name).toContain(`### ${b.name}\n`);
    for (const s of builtins.filter((b) => b.category === 'statement')) expect(doc).toContain('```\n' + s.example + '\n```');
  });

  it('its whole-notebook example compiles', () => {
    const block = doc.split('## A whole notebook in one cell')[1].split('```')[1];
    const r = compile(block.trim());
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
  });
});
