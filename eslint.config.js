// Lint rules CI enforces: promises are awaited, imports flow one way (cell text → dsl → runtime → render → kernel),
// no import cycles, no default exports. Style and layout are the formatter's job (prettier), not this file's.
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// Who may not import whom: the data flows one way and the engine knows nothing of the language or the pictures.
const zones = [
  { target: './dsl', from: ['./kernel', './session'], message: 'dsl/ is below kernel/ and session/.' },
  {
    target: './runtime',
    from: ['./kernel', './session', './dsl', './render'],
    message: 'runtime/ knows nothing of the language, the session, the kernel or rendering.',
  },
  {
    target: './render',
    from: ['./session', './kernel'],
    message: 'render/ returns MIME bundles; it is called by session/, never the reverse.',
  },
  // The training step (streams, micro-batches, the gradient engine) is below the pool; only the loop, which
  // chooses between this thread and the pool, imports it.
  {
    target: './runtime/train/!(loop).ts',
    from: './runtime/pool',
    message: 'runtime/pool/ runs the training step of runtime/train/; the step never imports the pool.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'asm/**', 'notebooks/**', 'bin/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // no-cycle follows imports by parsing the imported files: tell it .ts files are modules and how to read them.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': 'error',
      'import-x/no-default-export': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  // vitest reads its settings from a default export.
  { files: ['vitest.config.ts'], rules: { 'import-x/no-default-export': 'off' } },
);
