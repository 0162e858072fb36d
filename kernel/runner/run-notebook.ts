// Executes every code cell of a notebook in order through a real kernel process and returns the
// executed notebook; stops at the first error unless the cell is tagged raises-exception.
import { KernelClient } from './client.js';
import { OutputCollector } from './collector.js';
import { sourceText, type Notebook } from './notebook.js';

export interface RunOptions {
  cwd: string;
  /** Per-cell limit in seconds; 0 = none. */
  timeoutS: number;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

export type RunResult = { ok: true; notebook: Notebook } | { ok: false; notebook: Notebook; cell: number; message: string };

/** The cell's first non-empty line, shortened, so progress says which cell without opening the file. */
function firstLine(code: string): string {
  const line =
    code
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > 48 ? line.slice(0, 47) + '…' : line;
}

function tags(metadata: Record<string, unknown>): string[] {
  const t = metadata.tags;
  return Array.isArray(t) ? t.map(String) : [];
}

export async function runNotebook(input: Notebook, options: RunOptions): Promise<RunResult> {
  const nb: Notebook = structuredClone(input);
  const progress = options.progress ?? (() => undefined);
  const client = await KernelClient.start({ cwd: options.cwd, env: options.env });
  try {
    const info = await client.kernelInfo();
    if (info !== undefined) {
      nb.metadata.kernelspec = { name: 'convbook', display_name: 'convbook', language: 'convbook' };
      nb.metadata.language_info = info.content.language_info;
    }
    const collector = new OutputCollector();
    const codeCells = nb.cells.filter((c) => c.cell_type === 'code').length;
    let k = 0;
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      k++;
      const number = i + 1;
      cell.outputs = collector.beginCell();
      cell.execution_count = null;
      const code = sourceText(cell);
      const started = Date.now();
      let failure: string | undefined;
      const outcome = await client.execute(code, (type, content) => collector.add(type, content), options.timeoutS * 1000);
      if (outcome === undefined) {
        failure = `timed out after ${options.timeoutS} s`;
      } else {
        const reply = outcome.reply;
        if (typeof reply.execution_count === 'number') cell.execution_count = reply.execution_count;
        if (reply.status === 'error') failure = `${String(reply.ename)}: ${String(reply.evalue)}`;
        else if (reply.status !== 'ok') failure = `status ${String(reply.status)}`;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const label = `[${k}/${codeCells}] cell ${number} (${firstLine(code)})`;
      if (failure !== undefined && tags(cell.metadata).includes('raises-exception')) {
        progress(`${label}: expected error (${failure}) ${seconds} s`);
        continue;
      }
      if (failure !== undefined) {
        progress(`${label}: FAILED ${seconds} s`);
        return { ok: false, notebook: nb, cell: number, message: failure };
      }
      progress(`${label}: ok ${seconds} s`);
    }
    return { ok: true, notebook: nb };
  } finally {
    await client.shutdown();
  }
}
