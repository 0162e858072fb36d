// Syntax highlighting, derived from the lexer's rules and the built-ins table: the word classes of the
// language, a TextMate grammar (VS Code, GitHub, Shiki read it) and a CodeMirror 5 simple mode (the classic
// Notebook loads it from the kernelspec's kernel.js). No front end's API is imported here: both are plain data.
import { builtins, type Builtin, type Category } from './builtins.js';
import { connectorKeywords, statementKeywords } from './tokens.js';

/** A class of words that highlight alike, with its TextMate scope and CodeMirror token style. */
export interface WordClass {
  name: string;
  scope: string;
  cm: string;
  words: string[];
}

const byCategory = (...cats: Category[]): string[] => builtins.filter((b: Builtin) => cats.includes(b.category)).map((b) => b.name);
const tokenWords = (ts: { PATTERN?: unknown }[]): string[] => ts.map((t) => String((t.PATTERN as RegExp).source));

/** Parameter words written before a value (`kernel 5x5`, `every 100 steps`) or as `name:` in a call. */
function paramWords(): string[] {
  const out = new Set<string>();
  for (const b of builtins) for (const p of b.params) if (p.form !== 'positional') out.add(p.name);
  return [...out];
}

/** Lower-case words of the written forms (`replace`, `append`, `of`): the grammar's own connectors. */
function syntaxWords(): string[] {
  return builtins.flatMap((b) => (b.syntax ?? '').match(/(?<=^|\s)[a-z][a-z_]*(?=\s|$)/g) ?? []);
}

function valueWords(): string[] {
  const out = new Set<string>(['true', 'false', 'valid', 'same', 'replicate']);
  for (const b of builtins) for (const p of b.params) for (const c of p.choices ?? []) out.add(c);
  for (const b of builtins) for (const p of b.params) if (p.unit) out.add(p.unit);
  return [...out];
}

/**
 * The word classes, most specific first: a word is highlighted by the first class that holds it
 * (`maxpool` is a statement head before it is a layer, `optimizer` a setting before a parameter).
 */
export function wordClasses(): WordClass[] {
  const raw: WordClass[] = [
    {
      name: 'statement',
      scope: 'keyword.control.statement.convbook',
      cm: 'keyword',
      words: [...tokenWords(statementKeywords), ...byCategory('statement')],
    },
    {
      name: 'connector',
      scope: 'keyword.other.connector.convbook',
      cm: 'keyword',
      words: [...tokenWords(connectorKeywords), ...byCategory('keyword', 'subset')],
    },
    { name: 'layer', scope: 'support.type.layer.convbook', cm: 'builtin', words: byCategory('layer') },
    { name: 'activation', scope: 'support.function.activation.convbook', cm: 'atom', words: byCategory('activation') },
    {
      name: 'function',
      scope: 'support.function.builtin.convbook',
      cm: 'builtin',
      words: byCategory('optimizer', 'schedule', 'augmentation', 'data', 'filter'),
    },
    { name: 'setting', scope: 'variable.parameter.setting.convbook', cm: 'attribute', words: byCategory('setting') },
    { name: 'parameter', scope: 'variable.parameter.convbook', cm: 'attribute', words: paramWords() },
    { name: 'property', scope: 'support.variable.property.convbook', cm: 'property', words: byCategory('show', 'metric', 'explain') },
    { name: 'value', scope: 'constant.language.convbook', cm: 'atom', words: valueWords() },
    // Last, so a table word (`stride`, a parameter) keeps its own class.
    { name: 'syntax', scope: 'keyword.other.connector.convbook', cm: 'keyword', words: syntaxWords() },
  ];
  const seen = new Set<string>();
  return raw.map((c) => {
    const words = [...new Set(c.words)].filter((w) => !seen.has(w)).sort();
    for (const w of words) seen.add(w);
    return { ...c, words };
  });
}

/** Regex sources shared by both grammars; each mirrors a token of dsl/tokens.ts. */
export const patterns = {
  comment: '#.*$',
  string: '"(?:[^"\\\\\\n]|\\\\.)*"?',
  dims: '\\b\\d+x\\d+(?:x\\d+)?\\b',
  number: '(?<![A-Za-z0-9_])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?\\b',
  definition: '\\b(data|model|load)(\\s+)([A-Za-z_][A-Za-z0-9_]*)',
  /** `lr:` inside a call: a parameter name whatever else the word is (`train: 8000`). */
  namedArg: '\\b[A-Za-z_][A-Za-z0-9_]*(?=\\s*:)',
};

const alternation = (words: string[]): string => `\\b(?:${words.join('|')})\\b`;

/** The TextMate grammar of the language (scope source.convbook), as the JSON object editors load. */
export function textMateGrammar(): Record<string, unknown> {
  const classes = wordClasses();
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'convbook',
    scopeName: 'source.convbook',
    fileTypes: ['cnb'],
    comment: 'Generated from the convbook built-ins table by scripts/gen-grammar.ts; do not edit by hand.',
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#definition' },
      { include: '#number' },
      { include: '#named' },
      { include: '#words' },
      { include: '#punctuation' },
    ],
    repository: {
      comment: {
        patterns: [
          { name: 'comment.line.cell-marker.convbook', match: '^#\\s*%%.*$' },
          {
            name: 'comment.line.number-sign.convbook',
            match: '(#).*$',
            captures: { 1: { name: 'punctuation.definition.comment.convbook' } },
          },
        ],
      },
      string: {
        name: 'string.quoted.double.convbook',
        begin: '"',
        end: '"|$',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.convbook' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.convbook' } },
        patterns: [{ name: 'constant.character.escape.convbook', match: '\\\\.' }],
      },
      definition: {
        match: patterns.definition,
        captures: { 1: { name: 'keyword.control.statement.convbook' }, 3: { name: 'entity.name.definition.convbook' } },
      },
      number: {
        patterns: [
          { name: 'constant.numeric.dimensions.convbook', match: patterns.dims },
          { name: 'constant.numeric.convbook', match: patterns.number },
        ],
      },
      named: { name: 'variable.parameter.named.convbook', match: patterns.namedArg },
      words: { patterns: classes.map((c) => ({ name: c.scope, match: alternation(c.words) })) },
      punctuation: {
        patterns: [
          { name: 'punctuation.section.block.convbook', match: '[{}]' },
          { name: 'punctuation.section.brackets.convbook', match: '[\\[\\]()]' },
          { name: 'keyword.operator.range.convbook', match: '\\.\\.' },
          { name: 'punctuation.separator.convbook', match: '[,:=./]' },
        ],
      },
    },
  };
}

/** The classic Notebook's kernel.js: an AMD module whose onload() defines the CodeMirror mode `convbook`. */
export function codeMirrorKernelJs(): string {
  const rx = (source: string): string => `new RegExp(${JSON.stringify(source)})`;
  const rules: string[] = [
    `{ regex: ${rx('#.*')}, token: 'comment' }`,
    `{ regex: ${rx(patterns.string)}, token: 'string' }`,
    `{ regex: ${rx(patterns.definition)}, token: ['keyword', null, 'def'] }`,
    `{ regex: ${rx(patterns.dims)}, token: 'number' }`,
    `{ regex: ${rx('-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?\\b')}, token: 'number' }`,
    `{ regex: ${rx(patterns.namedArg)}, token: 'attribute' }`,
    ...wordClasses().map((c) => `{ regex: ${rx(alternation(c.words))}, token: ${JSON.stringify(c.cm)} }`),
    // Whole names, so a built-in inside a longer name (`myconv`, `conv1`) is not highlighted.
    `{ regex: ${rx('[A-Za-z_][A-Za-z0-9_]*')}, token: 'variable' }`,
    `{ regex: ${rx('[{}\\[\\]()]')}, token: 'bracket' }`,
    `{ regex: ${rx('\\.\\.|[,:=./]')}, token: 'operator' }`,
  ];
  return `// convbook for the classic Jupyter Notebook: the CodeMirror mode of the cell language.
// Generated from the built-ins table (dsl/highlight.ts) by \`convbook install\`; do not edit by hand.
define(['codemirror/lib/codemirror', 'codemirror/addon/mode/simple'], function (CodeMirror) {
  'use strict';
  function onload() {
    CodeMirror.defineSimpleMode('convbook', {
      start: [
        ${rules.join(',\n        ')}
      ],
      meta: { lineComment: '#' }
    });
    CodeMirror.defineMIME('text/x-convbook', 'convbook');
  }
  return { onload: onload };
});
`;
}
