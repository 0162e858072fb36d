// Notebook sources in percent format (`# %%` starts a code cell, `# %% [markdown]` a markdown cell whose
// lines drop their leading '# '), read as nbformat 4 notebooks with the convbook kernelspec. The .cnb
// sources in notebooks/src are what people edit and review; `convbook run` executes them directly.
import { readFile } from 'node:fs/promises';
import { languageInfo } from '../handlers/kernel-info.js';
import { readNotebook, type NbCell, type Notebook, type NotebookResult } from './notebook.js';

/** Splits text into notebook source lines, each but the last keeping its newline. */
function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

/** A notebook file (.ipynb) or a percent-format source (.cnb), read as a notebook. */
export async function readNotebookOrSource(file: string): Promise<NotebookResult> {
  if (!file.endsWith('.cnb')) return readNotebook(file);
  try {
    return { ok: true, notebook: parsePercent(await readFile(file, 'utf8')) };
  } catch (e) {
    return { ok: false, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

export function parsePercent(text: string): Notebook {
  const cells: NbCell[] = [];
  let kind: 'code' | 'markdown' | undefined;
  let body: string[] = [];
  const flush = () => {
    if (!kind) return;
    const joined = body.join('\n').replace(/^\n+|\n+$/g, '');
    cells.push(
      kind === 'code'
        ? { cell_type: 'code', source: sourceLines(joined), metadata: {}, outputs: [], execution_count: null }
        : { cell_type: 'markdown', source: sourceLines(joined), metadata: {} },
    );
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const marker = /^# %%( \[markdown\])?\s*$/.exec(line);
    if (marker) {
      flush();
      kind = marker[1] ? 'markdown' : 'code';
      body = [];
    } else if (kind === 'markdown') {
      body.push(line.replace(/^# ?/, ''));
    } else if (kind === 'code') {
      body.push(line);
    }
  }
  flush();
  const { name, mimetype, file_extension, codemirror_mode, pygments_lexer } = languageInfo;
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'convbook', display_name: 'convbook', language: 'convbook' },
      language_info: { name, mimetype, file_extension, codemirror_mode, pygments_lexer },
    },
    cells: cells.map((c, i) => ({ ...c, id: `cell-${i}` })),
  };
}
