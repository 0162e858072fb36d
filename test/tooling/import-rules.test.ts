// The import rules of .dependency-cruiser.mjs (npm run deps) fire: on a small tree written for the test, a
// cycle made only of `import type` and an import against the data flow each fail the check; the clean tree passes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = process.cwd();
const bin = join(root, 'node_modules', '.bin', 'depcruise');
let dir: string | undefined;

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'convbook-deps-'));
  const all: Record<string, string> = {
    'tsconfig.test.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(bin, ['--config', join(root, '.dependency-cruiser.mjs'), '--output-type', 'err', 'runtime', 'render', 'session'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const clean = {
  'runtime/spec.ts': 'export interface Spec { n: number }\n',
  'runtime/types.ts': "import type { Spec } from './spec.js';\nexport interface Net { spec: Spec }\n",
  'render/mime.ts': 'export type Bundle = Record<string, string>;\n',
  'session/show.ts': "import type { Bundle } from '../render/mime.js';\nexport const none: Bundle = {};\n",
};

describe('import rules', () => {
  it('pass a tree that flows one way', () => {
    const r = check(tree(clean));
    expect(r.out).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it('fail on a cycle of type-only imports and on an import against the data flow, even a type-only one', () => {
    const r = check(
      tree({
        ...clean,
        'runtime/spec.ts': "import type { Net } from './types.js';\nexport interface Spec { net?: Net }\n",
        'render/mime.ts': "import type { none } from '../session/show.js';\nexport type Bundle = typeof none;\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-circular: runtime\/spec\.ts →\s+runtime\/types\.ts →\s+runtime\/spec\.ts/);
    expect(r.out).toMatch(/render-below-session: render\/mime\.ts → session\/show\.ts/);
  });
});
