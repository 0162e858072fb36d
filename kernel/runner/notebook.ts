// The nbformat 4 subset the runner reads and writes: cells with sources and outputs.
// Parsing is forgiving about what Jupyter itself accepts (source as string or list of lines).
import { readFile, writeFile } from 'node:fs/promises';

export type NbOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface NbCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NbOutput[];
  execution_count?: number | null;
  id?: string;
  [extra: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

export type NotebookResult = { ok: true; notebook: Notebook } | { ok: false; message: string };

export function sourceText(cell: NbCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

export function parseNotebook(text: string, file: string): NotebookResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${file} is not JSON: ${(e as Error).message}` };
  }
  const nb = raw as Partial<Notebook>;
  if (typeof nb !== 'object' || nb === null || !Array.isArray(nb.cells))
    return { ok: false, message: `${file} has no cells array; is it a notebook?` };
  if (nb.nbformat !== 4) return { ok: false, message: `${file} is nbformat ${String(nb.nbformat)}; only nbformat 4 is supported` };
  for (const [i, cell] of nb.cells.entries()) {
    if (typeof cell !== 'object' || cell === null || typeof cell.cell_type !== 'string') {
      return { ok: false, message: `${file}: cell ${i + 1} has no cell_type` };
    }
    if (typeof cell.source !== 'string' && !Array.isArray(cell.source))
      return { ok: false, message: `${file}: cell ${i + 1} has no source` };
    cell.metadata ??= {};
  }
  return { ok: true, notebook: { nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 5, metadata: nb.metadata ?? {}, cells: nb.cells } };
}

export async function readNotebook(file: string): Promise<NotebookResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return parseNotebook(text, file);
}

export async function writeNotebook(file: string, nb: Notebook): Promise<void> {
  await writeFile(file, JSON.stringify(nb, null, 1) + '\n');
}
