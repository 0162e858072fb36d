// `convbook run NOTEBOOK.ipynb|SOURCE.cnb [-o OUT.ipynb] [--timeout S]`: headless execution through a real kernel.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { writeNotebook } from '../runner/notebook.js';
import { readNotebookOrSource } from '../runner/percent.js';
import { runNotebook, type RunResult } from '../runner/run-notebook.js';
import { parseArgs } from './args.js';
import { usageError, type Run } from './command.js';
import { usages } from './usages.js';

export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  // A .cnb source runs into a notebook: its outputs need nbformat.
  return join(dirname(input), basename(input, ext) + '.out' + (ext === '.cnb' || ext === '' ? '.ipynb' : ext));
}

/** Runs and writes the notebook; prints progress. Shared with `convbook demo`. */
export async function runAndWrite(input: string, output: string, timeoutS: number): Promise<RunResult | undefined> {
  const read = await readNotebookOrSource(input);
  if (!read.ok) {
    process.stderr.write(`convbook: ${read.message}\n`);
    return undefined;
  }
  process.stdout.write(`running ${input}\n`);
  const result = await runNotebook(read.notebook, {
    cwd: dirname(resolve(input)),
    timeoutS,
    progress: (line) => process.stdout.write(line + '\n'),
  });
  await writeNotebook(output, result.notebook);
  process.stdout.write(`wrote ${output}\n`);
  if (!result.ok) process.stderr.write(`convbook: error in cell ${result.cell} of ${input}: ${result.message}\n`);
  return result;
}

export const run: Run = async (argv) => {
  const parsed = parseArgs(argv, { values: { output: ['-o', '--output'], timeout: ['--timeout'] }, flags: {} });
  if (!parsed.ok) return usageError(usages.run, parsed.message);
  const [input, ...rest] = parsed.args.positionals;
  if (input === undefined || rest.length > 0) return usageError(usages.run, 'give exactly one notebook');
  const timeoutS = Number(parsed.args.values.timeout ?? '0');
  if (!Number.isFinite(timeoutS) || timeoutS < 0) return usageError(usages.run, '--timeout must be a number of seconds ≥ 0');
  try {
    const result = await runAndWrite(input, parsed.args.values.output ?? defaultOutputPath(input), timeoutS);
    return result?.ok === true ? 0 : 1;
  } catch (e) {
    process.stderr.write(`convbook: ${(e as Error).message}\n`);
    return 1;
  }
};
