// The TextMate grammar, run by VS Code's own tokenizer (vscode-textmate + vscode-oniguruma) over every
// notebook source: each keyword, number, size, string and comment the convbook lexer finds gets its scope,
// built-ins get their class's scope and the user's own names none. Also: the committed grammar is current.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeMirrorKernelJs, textMateGrammar, wordClasses } from '../../dsl/highlight.js';
import { convbookLexer } from '../../dsl/lexer.js';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const grammarPath = join(root, 'editors', 'vscode', 'syntaxes', 'convbook.tmLanguage.json');

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(require.resolve('vscode-oniguruma'), '..', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.convbook' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const g = await registry.loadGrammar('source.convbook');
  if (!g) throw new Error('grammar did not load');
  grammar = g;
});

/** Scopes of every character of `text`, line by line: scopes[line][col]. */
function scopesOf(text: string): string[][][] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    const perChar: string[][] = [];
    for (const t of r.tokens) for (let c = t.startIndex; c < t.endIndex; c++) perChar[c] = t.scopes;
    return perChar;
  });
}

const classOf = new Map<string, string>();
for (const c of wordClasses()) for (const w of c.words) classOf.set(w, c.scope);

const sources = readdirSync(join(root, 'notebooks', 'src'))
  .filter((f) => f.endsWith('.cnb'))
  .map((f) => ({ name: f, text: readFileSync(join(root, 'notebooks', 'src', f), 'utf8') }));

describe('TextMate grammar', () => {
  it('is the one generated from the built-ins table (npm run build && node dist/scripts/gen-grammar.js)', () => {
    expect(JSON.parse(readFileSync(grammarPath, 'utf8'))).toEqual(textMateGrammar());
  });

  it('puts every word in one class, and the statement keywords in the statement class', () => {
    const all = wordClasses().flatMap((c) => c.words);
    expect(new Set(all).size).toBe(all.length);
    for (const w of ['data', 'model', 'train', 'evaluate', 'show', 'convolve', 'maxpool'])
      expect(classOf.get(w)).toBe('keyword.control.statement.convbook');
    expect(classOf.get('conv')).toBe('support.type.layer.convbook');
    expect(classOf.get('relu')).toBe('support.function.activation.convbook');
    expect(classOf.get('adam')).toBe('support.function.builtin.convbook');
    expect(classOf.get('epochs')).toBe('variable.parameter.setting.convbook');
  });

  it.each(sources.map((s) => [s.name, s.text] as const))('scopes every token of %s as the lexer reads it', (_name, text) => {
    const scopes = scopesOf(text);
    const lines = text.split('\n');
    const { tokens, errors } = convbookLexer.tokenize(text);
    expect(errors).toEqual([]);
    const wrong: string[] = [];
    const expectScope = (line: number, col: number, image: string, want: string): void => {
      const got = scopes[line]?.[col] ?? [];
      if (!got.some((s) => s === want || s.startsWith(want + '.')))
        wrong.push(`${line + 1}:${col + 1} ${image}: want ${want}, got ${got.slice(1).join(' ') || '(none)'}`);
    };
    let checked = 0;
    for (const t of tokens) {
      const line = (t.startLine ?? 1) - 1;
      const col = (t.startColumn ?? 1) - 1;
      const kind = t.tokenType.name;
      const next = lines[line].slice(col + t.image.length);
      const prev = lines[line].slice(0, col);
      let want: string | undefined;
      if (kind === 'NumberLit') want = 'constant.numeric.convbook';
      else if (kind === 'Dims') want = 'constant.numeric.dimensions.convbook';
      else if (kind === 'StringLit') want = 'string.quoted.double.convbook';
      else if (/^\s*:/.test(next)) want = 'variable.parameter.named.convbook';
      else if (/\b(?:data|model|load)\s+$/.test(prev)) want = 'entity.name.definition.convbook';
      else if (classOf.has(t.image)) want = classOf.get(t.image);
      else if (kind === 'Identifier') {
        // A name of the user's: no keyword or built-in scope on it.
        const got = scopes[line]?.[col] ?? [];
        if (got.length > 1) wrong.push(`${line + 1}:${col + 1} ${t.image}: a user's name, got ${got.slice(1).join(' ')}`);
        checked++;
        continue;
      }
      if (want) {
        expectScope(line, col, t.image, want);
        checked++;
      }
    }
    // Comments are skipped by the lexer: every '#' outside a string starts one.
    lines.forEach((l, i) => {
      const at = l.replace(/"(?:[^"\\]|\\.)*"/g, (s) => ' '.repeat(s.length)).indexOf('#');
      if (at >= 0) {
        expectScope(i, at, '#', 'comment.line');
        expectScope(i, l.length - 1, 'end of comment', 'comment.line');
        checked++;
      }
    });
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});

describe('classic Notebook CodeMirror mode (kernel.js)', () => {
  it('is an AMD module whose onload defines the convbook mode with every word class', () => {
    const js = codeMirrorKernelJs();
    let defined: { name: string; spec: { start: { regex: RegExp; token: unknown }[] } } | undefined;
    const CodeMirror = {
      defineSimpleMode: (name: string, spec: { start: { regex: RegExp; token: unknown }[] }) => (defined = { name, spec }),
      defineMIME: () => undefined,
    };
    let mod: { onload(): void } | undefined;
    const define = (deps: string[], factory: (cm: typeof CodeMirror) => { onload(): void }): void => {
      expect(deps).toEqual(['codemirror/lib/codemirror', 'codemirror/addon/mode/simple']);
      mod = factory(CodeMirror);
    };
    new Function('define', js)(define);
    mod?.onload();
    expect(defined?.name).toBe('convbook');
    const rule = (word: string): unknown =>
      defined?.spec.start.find((r) => new RegExp(`^(?:${r.regex.source})`).exec(word)?.[0] === word)?.token;
    expect(rule('model')).toBe('keyword');
    expect(rule('conv')).toBe('builtin');
    expect(rule('5x5')).toBe('number');
    expect(rule('# note')).toBe('comment');
    expect(rule('"lenet.onnx"')).toBe('string');
    expect(rule('lenet')).toBe('variable');
  });
});
