// `convbook demo` (npm start): runs the flagship notebook through the runner and reports its accuracy.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notebook } from '../runner/notebook.js';
import { packageRoot } from '../../runtime/version.js';
import type { Run } from './command.js';
import { runAndWrite } from './run.js';

const candidates = ['lenet-mnist.ipynb', 'quickstart.ipynb'];

/** The last printed line mentioning accuracy: streams first, then any text/plain output. */
export function lastAccuracyLine(nb: Notebook): string | undefined {
  let printed: string | undefined;
  let plain: string | undefined;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const text = out.output_type === 'stream' ? out.text : out.output_type === 'error' ? '' : String(out.data['text/plain'] ?? '');
      const hit = text
        .split('\n')
        .filter((l) => /accuracy/i.test(l))
        .pop();
      if (hit === undefined) continue;
      if (out.output_type === 'stream') printed = hit;
      else plain = hit;
    }
  }
  return printed ?? plain;
}

export const demo: Run = async () => {
  const name = candidates.find((n) => existsSync(join(packageRoot, 'notebooks', n)));
  if (name === undefined) {
    process.stderr.write(`convbook: none of ${candidates.join(', ')} found in ${join(packageRoot, 'notebooks')}\n`);
    return 1;
  }
  const outDir = join(packageRoot, 'dist', 'demo');
  await mkdir(outDir, { recursive: true });
  const output = join(outDir, name.replace(/\.ipynb$/, '.out.ipynb'));
  const result = await runAndWrite(join(packageRoot, 'notebooks', name), output, 0);
  if (result === undefined) return 1;
  const line = lastAccuracyLine(result.notebook);
  process.stdout.write(`executed notebook: ${output}\n`);
  process.stdout.write(line !== undefined ? `${line.trim()}\n` : 'the notebook printed no accuracy line\n');
  process.stdout.write(`to see its pictures (filters, feature maps, confusion matrix), open it in Jupyter: jupyter notebook ${output}\n`);
  return result.ok ? 0 : 1;
};
