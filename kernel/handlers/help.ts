// `?name` or `name?` as a whole cell: the language reference for that word, sent to the front end's
// pager (an execute_reply payload), as IPython does. Answered by the kernel from the dsl's inspect,
// without running anything in the session worker.
import type { LanguageServices } from '../handler-context.js';
import type { SessionEnv } from '../../dsl/program.js';

const helpPattern = /^\s*(?:\?\s*([A-Za-z_][\w.]*)|([A-Za-z_][\w.]*)\s*\?)\s*$/;

/** The word asked about, when the whole cell is a help request. */
export function helpTarget(code: string): string | undefined {
  const m = helpPattern.exec(code);
  return m === null ? undefined : (m[1] ?? m[2]);
}

export type HelpResult = { found: true; payload: Record<string, unknown> } | { found: false; message: string };

export function helpFor(word: string, language: LanguageServices, env: SessionEnv): HelpResult {
  const r = language.inspect(word, word.length, env);
  if (!r.found) return { found: false, message: `no help for '${word}': it is not a statement, layer, setting or name in this session\n` };
  return { found: true, payload: { source: 'page', data: { 'text/plain': r.plain, 'text/markdown': r.markdown }, start: 0 } };
}
