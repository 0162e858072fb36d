// The package's version and root folder, read one way for everyone (kernel_info, the CLI, model files, run
// records): by walking up from this file, so the same code works from the sources (vitest) and from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'convbook') return dir;
      } catch {
        // unreadable package.json further down the tree: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('convbook package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const packageRoot = findRoot();

export const packageVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
