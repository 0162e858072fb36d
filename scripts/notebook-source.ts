// Notebook sources in percent format (`# %%` starts a code cell, `# %% [markdown]` a markdown cell whose
// lines drop their leading '# '), converted to nbformat 4 notebooks with the convbook kernelspec.
// The .cnb sources in notebooks/src are what people edit and review; the .ipynb files are generated and executed.

export interface NotebookCell {
  cell_type: 'code' | 'markdown';
  source: string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Splits text into notebook source lines, each but the last keeping its newline. */
function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

export function parsePercent(text: string): Notebook {
  const cells: NotebookCell[] = [];
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
  for (const line of text.split('\n')) {
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
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'convbook', display_name: 'convbook', language: 'convbook' },
      language_info: { name: 'convbook', mimetype: 'text/x-convbook', file_extension: '.cnn', codemirror_mode: 'python', pygments_lexer: 'python' },
    },
    cells: cells.map((c, i) => ({ ...c, id: `cell-${i}` }) as NotebookCell),
  };
}
