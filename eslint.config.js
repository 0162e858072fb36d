// Lint rules CI enforces on the code: promises are awaited, no default exports. Which folder may import which, and
// no import cycles (type-only ones too), are .dependency-cruiser.mjs's (npm run deps); layout is prettier's.
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'asm/**', 'notebooks/**', 'bin/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-default-export': 'error',
    },
  },
  // vitest reads its settings from a default export.
  { files: ['vitest.config.ts'], rules: { 'import-x/no-default-export': 'off' } },
);
