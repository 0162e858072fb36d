// Writes editors/vscode/syntaxes/convbook.tmLanguage.json from the built-ins table (dsl/highlight.ts).
// Run after changing dsl/builtins.ts or dsl/tokens.ts:  npm run build && node dist/scripts/gen-grammar.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textMateGrammar } from '../dsl/highlight.js';

const root = join(import.meta.dirname, '..', '..');
const path = join(process.argv[2] ?? root, 'editors', 'vscode', 'syntaxes', 'convbook.tmLanguage.json');
writeFileSync(path, JSON.stringify(textMateGrammar(), null, 2) + '\n');
console.log(`wrote ${path}`);
