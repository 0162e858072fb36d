// `npm run notebooks`: turns every notebooks/src/*.cnb into notebooks/*.ipynb, then executes each one
// through the kernel with `convbook run` so the committed notebooks carry the outputs of the full run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePercent } from '../kernel/runner/percent.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(root, 'notebooks', 'src');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const execute = !process.argv.includes('--no-run');

for (const file of readdirSync(srcDir)
  .filter((f) => f.endsWith('.cnb'))
  .sort()) {
  const name = file.replace(/\.cnb$/, '');
  if (only.length && !only.includes(name)) continue;
  const out = join(root, 'notebooks', `${name}.ipynb`);
  writeFileSync(out, `${JSON.stringify(parsePercent(readFileSync(join(srcDir, file), 'utf8')), null, 1)}\n`);
  if (!execute) {
    console.log(`wrote ${out}`);
    continue;
  }
  console.log(`executing ${out}`);
  const run = spawnSync(process.execPath, [join(root, 'dist', 'kernel', 'main.js'), 'run', out, '-o', out], {
    stdio: 'inherit',
    cwd: join(root, 'notebooks'),
  });
  if (run.status !== 0) {
    console.error(`${name}: failed`);
    process.exitCode = 1;
  }
}
