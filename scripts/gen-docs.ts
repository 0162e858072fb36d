// Writes docs/language.md from the built-ins table (dsl/reference.ts). Run after changing dsl/builtins.ts:
//   npm run build && node dist/scripts/gen-docs.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageReference } from '../dsl/reference.js';

const root = join(import.meta.dirname, '..', '..');
const path = join(process.argv[2] ?? root, 'docs', 'language.md');
writeFileSync(path, languageReference());
console.log(`wrote ${path}`);
