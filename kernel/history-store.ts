// This session's stored cells for history_request: tail, range and glob search over
// (session, line, input[, output]) entries. In memory only; a restarted kernel starts empty.

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  /** text/plain of the cell's execute_result, if it had one. */
  output: string | null;
}

/** One history row as the wire wants it: [session, line, input] or [session, line, [input, output]]. */
export type HistoryRow = [number, number, string | [string, string | null]];

/** `*` any run, `?` one character, `[...]` a class; anchored at both ends like sqlite GLOB. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        // sqlite GLOB negates a class with ^, as regular expressions do.
        const body = pattern.slice(i + 1, close);
        out += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp('^' + out + '$');
}

export class HistoryStore {
  private readonly entries: HistoryEntry[] = [];
  /** Sessions are numbered like IPython's: this kernel's one is 1; 0 also means "current". */
  readonly session = 1;

  add(line: number, input: string): void {
    this.entries.push({ session: this.session, line, input, output: null });
  }

  setOutput(line: number, text: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].line === line) {
        this.entries[i].output = text;
        return;
      }
    }
  }

  tail(n: number): HistoryEntry[] {
    return n > 0 ? this.entries.slice(-n) : [];
  }

  /** Lines in [start, stop); stop ≤ 0 (or absent) means "to the end", as IPython reads it. */
  range(session: number, start: number, stop?: number): HistoryEntry[] {
    if (session !== 0 && session !== this.session) return [];
    return this.entries.filter((e) => e.line >= start && (stop === undefined || stop <= 0 || e.line < stop));
  }

  /** Matches in order; with unique, only the latest of equal inputs; with n, the last n of those. */
  search(pattern: string, n?: number, unique = false): HistoryEntry[] {
    const re = globToRegExp(pattern);
    let found = this.entries.filter((e) => re.test(e.input));
    if (unique) {
      const seen = new Set<string>();
      found = found
        .reverse()
        .filter((e) => !seen.has(e.input) && seen.add(e.input) !== undefined)
        .reverse();
    }
    return n !== undefined && n > 0 ? found.slice(-n) : found;
  }
}

export function toRows(entries: HistoryEntry[], output: boolean): HistoryRow[] {
  return entries.map((e) => (output ? [e.session, e.line, [e.input, e.output]] : [e.session, e.line, e.input]));
}
