// The language reference (docs/language.md), generated from the built-ins table so that the docs,
// completion and the checker cannot drift apart. scripts/gen-docs.ts writes it; a test compares.
import { builtins, defaultText, rangeText, type Builtin, type Category } from './builtins.js';

const sections: { category: Category; title: string; intro: string }[] = [
  {
    category: 'statement',
    title: 'Statements',
    intro:
      "A cell is a sequence of statements, one per line (a `{ }` block may span lines). Each starts with one of these keywords, except a bare name on a line of its own (`digits`, `lenet`): that is the cell's value, shown as its result — a dataset's description or a model's summary.",
  },
  {
    category: 'keyword',
    title: 'Connecting keywords',
    intro: 'These words are reserved inside statements; they cannot name a model or dataset.',
  },
  {
    category: 'layer',
    title: 'Layers',
    intro:
      'One layer per line inside `model NAME(...) { }`. Values come first (`conv 6`), then options in any order (`kernel 5x5 stride 1 padding same relu`). Layers are named by kind counters — conv1, conv2, pool1 (max and average pooling share the counter), dense1, flatten1, dropout1, bn1, act1 — unless named with `as NAME`.',
  },
  {
    category: 'activation',
    title: 'Activations',
    intro:
      'Written as a bare word after a conv or dense layer (`dense 120 relu`), or as a layer line of its own (`relu`, `leaky_relu slope 0.1`). The default is linear.',
  },
  {
    category: 'setting',
    title: 'Train settings',
    intro: 'Inside `train MODEL on DATA { }`, in any order, several per line if you like. Every setting is optional; the default is shown.',
  },
  {
    category: 'optimizer',
    title: 'Optimizers',
    intro:
      'Written `optimizer NAME(param: value, …)` in a train block; a bare `optimizer adam` takes every default. g is the gradient, η the learning rate.',
  },
  {
    category: 'schedule',
    title: 'Learning-rate schedules',
    intro:
      'Written `schedule NAME(param: value, …)` in a train block, or drawn with `show schedule NAME(…) lr 0.1 steps 1000`. t counts optimizer steps from 0.',
  },
  {
    category: 'augmentation',
    title: 'Augmentations',
    intro:
      'A comma-separated list after `augment` in a train block (or `show augment`), each with an optional amount: `augment shift 2, rotate 10, flip`.',
  },
  {
    category: 'data',
    title: 'Data sources',
    intro: 'Written `data NAME = SOURCE(…)`. Values may be given in order (`idx("a.gz", "b.gz")`) or by name (`test: 0.2`).',
  },
  { category: 'subset', title: 'Subsets', intro: 'Written `data NAME = OTHER where …` with any of these options.' },
  {
    category: 'filter',
    title: 'Image filters',
    intro: 'For `convolve IMAGE with FILTER`; a literal kernel `[[1, 0, -1], [2, 0, -2], [1, 0, -1]]` works too.',
  },
  { category: 'show', title: 'Show forms', intro: 'What `show` can draw.' },
  {
    category: 'explain',
    title: 'Explain forms',
    intro:
      "What `explain` works out: each form writes one of the chapter's equations with the session's own numbers (weights, activations and gradients of a real forward/backward pass on the named example; the last run's settings and history) and shows the runtime's value beside it. The form's word comes first (`explain gradient …`); a layer there means the unit form. A layer may be written `MODEL.LAYER`, or just `LAYER` when one model has it. Coordinates are 0-based: `at map 2, row 3, col 4`.",
  },
  { category: 'metric', title: 'Metrics', intro: 'For `compare MODEL, MODEL on METRIC`.' },
];

function paramTable(row: Builtin): string[] {
  if (row.params.length === 0) return [];
  return [
    '',
    '| parameter | written | type | default | range | meaning |',
    '|---|---|---|---|---|---|',
    ...row.params.map((p) => `| \`${p.name}\` | ${p.form} | ${p.type} | ${defaultText(p)} | ${rangeText(p) || '—'} | ${p.doc} |`),
  ];
}

function entry(row: Builtin): string[] {
  const out = [`### ${row.name}`, '', row.doc];
  if (row.syntax) out.push('', `Syntax: \`${row.syntax}\``);
  out.push(...paramTable(row));
  if (row.formula) out.push('', `Formula: \`${row.formula}\``);
  out.push('', 'Example:', '', '```', row.example, '```', '');
  return out;
}

const preface = `# The convbook language

<!-- Generated from dsl/builtins.ts by scripts/gen-docs.ts; do not edit by hand (a test checks it). -->

Cells of a convbook notebook are written in a small language for defining, training and looking
inside convolutional networks. The kernel checks a whole cell before anything runs: every error is
reported at its exact token, as the line and column, the source line and a caret under the token.

\`\`\`
line 3, column 8: unknown layer 'dens' (did you mean 'dense'?); layers are conv, maxpool, …
  dens 10 softmax
  ^^^^
\`\`\`

## Lexical rules

- \`#\` starts a comment that runs to the end of the line.
- A line ends at \`\\n\`, \`\\r\\n\` (Windows) or a lone \`\\r\`; line and column numbers in messages count each as one.
- A statement ends at the end of its line. Inside \`( )\` and \`[ ]\`, and after a trailing comma, a
  newline does not end anything, so long argument lists may wrap.
- Numbers: \`3\`, \`-1\`, \`0.5\`, \`1e-3\`, and fractions \`1/3\`. Sizes: \`5x5\` (height x width) and
  \`28x28x1\` (height x width x channels); a single number \`5\` means \`5x5\`.
- Ranges: \`0..4\` (inclusive), \`conv1..conv2\` (layers in order).
- Strings are in double quotes: \`"lenet.convbook"\`.
- An image is \`DATA.SPLIT[INDEX]\` with no space before the \`[\`: \`digits.test[7]\`; with a space,
  \`[3, 8]\` is a list.

## Errors, and what runs

- A cell that has an error anywhere runs nothing: every error is listed (at most 20, then how many
  more), each at its token. Source lines longer than 160 characters are shown around the caret.
- Brackets \`( [\` nest at most 32 deep; a value never needs more than a few levels.
- A cell that checks clean runs its statements in order. If one fails while running (a file that
  does not exist, an interrupt), the cell stops there, as a Python cell does: the statements before
  it have run and keep their effect (a dataset loaded, a model trained), the ones after it do not
  run, and the error says which lines ran. Undoing the earlier statements would throw away finished
  training and outputs already on the screen; run the cell again once the cause is fixed.

## Shapes, sizes and the checker

For convolution and pooling, with input height H, kernel (window) height K, stride S and padding:

    Ho = floor((H + pad_top + pad_bottom − K) / S) + 1        (likewise for the width)

- \`padding same\` pads so that Ho = ceil(H / S), TF-style: the total padding is
  max((Ho − 1)·S + K − H, 0), split evenly with the odd pixel on the bottom/right.
- A layer whose output would be empty (Ho < 1) is an error at its kernel or window size.
- A window whose stride does not divide evenly is an error, because the last rows or columns would be
  silently ignored: \`(H + pads − K) % S != 0\`, with the sizes in the message. (\`same\` padding avoids it.)
- \`dense\` after a convolution flattens implicitly; \`flatten\` may still be written for clarity.
- \`train\` checks that the model's input matches the dataset's images and that the last layer has
  exactly one output per class (\`dense 10 softmax\` for 10 classes), and refuses a run whose estimated memory (parameters, gradients,
  optimizer state and a batch of activations, float32) exceeds the machine's.

## Defaults of a train statement

\`train m on d\` with no block trains for 5 epochs, batch 32, seed 0, no validation split, with
\`sgd(lr: 0.01, momentum: 0, nesterov: false)\`, the constant schedule, no weight decay, no
augmentation, no early stopping, metrics every epoch, and \`workers 0\`: one worker per core (at most one
per micro-batch of 16); the numbers never depend on the worker count. Every default is listed below.

## A whole notebook in one cell

\`\`\`
data digits = mnist(train: 8000, test: 2000)
data low = digits where classes 0..4
model lenet(input: 28x28x1) {
  conv 6 kernel 5x5 stride 1 padding same relu
  maxpool 2x2
  conv 16 kernel 5x5 relu
  avgpool 2x2 stride 2
  flatten
  dense 120 relu
  dropout 0.5
  dense 10 softmax
}
train lenet on digits {
  epochs 10  batch 64  seed 42  validation 0.1
  optimizer sgd(lr: 0.05, momentum: 0.9, nesterov: true)
  schedule exponential(d: 10, r: 5)
  weight_decay 0.0005
  augment shift 2, rotate 10
  early_stop every 200 steps patience 3 restore best
  eval every 100 steps
  label "momentum"
}
evaluate lenet on digits.test
show lenet.feature_maps conv2 of digits.test[7]
model five from lenet freeze conv1..conv2 { replace dense 5 softmax }
\`\`\`
`;

/** docs/language.md, from the table. */
export function languageReference(): string {
  const out = [preface];
  for (const s of sections) {
    out.push(`## ${s.title}`, '', s.intro, '');
    for (const row of builtins.filter((b) => b.category === s.category)) out.push(...entry(row));
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}
