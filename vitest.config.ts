// Test runner settings: tests live in test/, mirror the source folders, run in Node.
import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
// vitest needs a default export from its config file; the named one is for reuse.
export default config;
