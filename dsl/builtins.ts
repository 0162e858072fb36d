// THE table of built-ins: every statement, layer, activation, optimizer, schedule, augmentation, data
// source, filter, train setting and show form, with its parameters (type, default, range, one-line doc)
// and formula. Binding, lowering, completion, inspect and docs/language.md all read this one table.
import type { LayerKind } from '../runtime/spec.js';

// The fixed filters' matrices are printed from the kernels the runtime convolves with, so they cannot drift.
import { filterKernel, type FilterName } from '../runtime/filters.js';

/** A fixed filter's matrix as the reference shows it, e.g. [[−1,0,1],[−2,0,2],[−1,0,1]] (rows top to bottom; correlation). */
export function filterFormula(name: FilterName): string {
  const k = filterKernel(name);
  const rows = Array.from(
    { length: k.h },
    (_, y) => `[${Array.from(k.data.subarray(y * k.w, (y + 1) * k.w), (v) => String(v).replace('-', '−')).join(',')}]`,
  );
  return `[${rows.join(',')}]`;
}

export type Category =
  | 'statement'
  | 'keyword'
  | 'layer'
  | 'activation'
  | 'optimizer'
  | 'schedule'
  | 'augmentation'
  | 'data'
  | 'subset'
  | 'filter'
  | 'setting'
  | 'show'
  | 'explain'
  | 'metric';

export type ParamType =
  | 'int'
  | 'number'
  | 'bool'
  | 'string'
  /** `5x5`, or one number for a square `5` */
  | 'pair'
  /** `28x28x1` (height x width x channels) or `28x28` (one channel) */
  | 'shape'
  /** `[0, 1, 2]`, a range `0..4`, or one integer */
  | 'ints'
  | 'numbers'
  /** valid | same | replicate | <int> | <int>x<int>, optionally followed by `replicate` */
  | 'padding'
  /** any activation name, written as a bare word */
  | 'activation'
  | 'choice'
  | 'name'
  /** a call or bare word from the optimizer / schedule family */
  | 'optimizer'
  | 'schedule'
  /** comma-separated augmentation items: `shift 2, rotate 10, flip` */
  | 'augmentations';

/** How a parameter is written: a leading value, `word value`, a bare word, or `name: value` inside a call. */
export type ParamForm = 'positional' | 'keyword' | 'flag' | 'named';

export type Json = number | string | boolean | number[] | null;

export interface ParamDef {
  name: string;
  type: ParamType;
  form: ParamForm;
  default?: Json;
  min?: number;
  max?: number;
  /** The range excludes min (e.g. a learning rate must be > 0). */
  openMin?: boolean;
  openMax?: boolean;
  choices?: readonly string[];
  /** An optional word after the value, e.g. `every 200 steps`. */
  unit?: string;
  required?: boolean;
  doc: string;
}

export interface Builtin {
  name: string;
  category: Category;
  doc: string;
  params: ParamDef[];
  /** The rule it computes, where it has one (output size, update, schedule). */
  formula?: string;
  /** How it is written, for the reference and inspect. */
  syntax?: string;
  /** A complete cell fragment that uses it; tests parse and check every example. */
  example: string;
  /** Layers: the prefix of generated names (conv1, pool2, …). */
  prefix?: string;
  /** Layers: the runtime layer kind the line lowers to (its lowering is dsl/lower-layers.ts's row for that kind). */
  kind?: LayeredKind;
}

/** The layer kinds a layer line names (standalone activations are their own rows, category 'activation'). */
export type LayeredKind = Exclude<LayerKind, 'activation'>;

export const activationNames = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax', 'linear'] as const;

const WINDOW = 'Ho = floor((H + pad_top + pad_bottom − Kh)/Sh) + 1, likewise Wo; (H + pads − K) must be divisible by S';
const round: ParamDef = {
  name: 'round',
  type: 'choice',
  form: 'keyword',
  default: 'exact',
  choices: ['exact', 'floor'],
  doc: 'when the stride does not divide (H + pads − K): exact refuses the layer, floor drops the last rows/columns as PyTorch and Keras do',
};
const asName: ParamDef = { name: 'as', type: 'name', form: 'keyword', doc: 'name the layer instead of the generated conv1, pool1, …' };
/** Seeds are unsigned 32-bit integers, what the runtime's generator takes. */
const MAX_SEED = 4294967295;
const seed: ParamDef = {
  name: 'seed',
  type: 'int',
  form: 'named',
  default: 0,
  min: 0,
  max: MAX_SEED,
  doc: 'seed of the shuffled train/test split',
};
const testFraction: ParamDef = {
  name: 'test',
  type: 'number',
  form: 'named',
  min: 0,
  max: 1,
  openMax: true,
  doc: 'fraction held out as the test split when there is no test file',
};
const lr = (d: number): ParamDef => ({
  name: 'lr',
  type: 'number',
  form: 'named',
  default: d,
  min: 0,
  max: 10,
  openMin: true,
  doc: 'learning rate η',
});
const adamParams: ParamDef[] = [
  lr(0.001),
  {
    name: 'beta1',
    type: 'number',
    form: 'named',
    default: 0.9,
    min: 0,
    max: 1,
    openMax: true,
    doc: 'decay of the first-moment (mean) estimate',
  },
  {
    name: 'beta2',
    type: 'number',
    form: 'named',
    default: 0.999,
    min: 0,
    max: 1,
    openMax: true,
    doc: 'decay of the second-moment (uncentred variance) estimate',
  },
  { name: 'eps', type: 'number', form: 'named', default: 1e-8, min: 0, max: 1, openMin: true, doc: 'added to √v̂ so the step stays finite' },
];
const amount = (name: string, type: 'int' | 'number', def: number, max: number, doc: string): ParamDef => ({
  name,
  type,
  form: 'positional',
  default: def,
  min: 0,
  max,
  doc,
});
const one = (type: ParamType, doc: string, extra: Partial<ParamDef> = {}): ParamDef[] => [
  { name: 'value', type, form: 'positional', required: true, doc, ...extra },
];

/** The explain forms' coordinates: `at map 2, row 3, col 4` (0-based, like tensor indices). */
function at(...names: ('map' | 'channel' | 'row' | 'col')[]): ParamDef[] {
  const docs = { map: 'feature map (filter) f', channel: 'input channel c', row: 'row (0-based)', col: 'column (0-based)' };
  return names.map((name) => ({ name, type: 'int', form: 'keyword', default: 0, min: 0, doc: docs[name] }));
}
const EXPLAIN_SETUP =
  'data d = mnist(train: 800, test: 200)\nmodel tiny(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}\n';

export const builtins: Builtin[] = [
  // ── statements ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'data',
    category: 'statement',
    doc: 'Define a dataset from a source, or a subset of another dataset with `where`.',
    syntax: 'data NAME = SOURCE(args)   |   data NAME = OTHER where classes 0..4 train 500',
    example: 'data digits = mnist(train: 800, test: 200)',
    params: [],
  },
  {
    name: 'model',
    category: 'statement',
    doc: 'Define a network: one layer per line inside { }. `model B from A freeze … { … }` copies A (transfer learning): `drop` removes layers (by name, range or position), each of n consecutive `replace` lines swaps one of the last n layers in order, `append` adds a layer at the end.',
    syntax:
      'model NAME(input: HxWxC) { LAYER … }   |   model NAME from OTHER freeze conv1..conv2 { drop LAYERS | replace LAYER | append LAYER }',
    example: 'model tiny(input: 28x28x1) {\n  conv 4 kernel 3x3 relu\n  maxpool 2x2\n  dense 10 softmax\n}',
    params: [
      { name: 'input', type: 'shape', form: 'named', default: [28, 28, 1], doc: 'input image size, height x width x channels' },
      {
        name: 'loss',
        type: 'choice',
        form: 'named',
        default: 'cross_entropy',
        choices: ['cross_entropy', 'mse'],
        doc: 'loss minimised in training',
      },
    ],
  },
  {
    name: 'train',
    category: 'statement',
    doc: 'Train a model on a dataset; settings go in an optional { } block, several per line if you like.',
    syntax: 'train MODEL on DATA { SETTING … }',
    example: 'data digits = mnist(train: 800, test: 200)\nmodel tiny { dense 10 softmax }\ntrain tiny on digits {\n  epochs 2  batch 32\n}',
    params: [],
  },
  {
    name: 'evaluate',
    category: 'statement',
    doc: 'Accuracy and loss of a trained model on a split (test unless you write .train).',
    syntax: 'evaluate MODEL on DATA[.test|.train]',
    example: 'data digits = mnist(train: 800, test: 200)\nmodel tiny { dense 10 softmax }\nevaluate tiny on digits.test',
    params: [],
  },
  {
    name: 'show',
    category: 'statement',
    doc: 'Draw something: a model summary, filters, feature maps, images, samples, a training history, a schedule or augmentations.',
    syntax:
      'show MODEL | MODEL.filters LAYER | MODEL.feature_maps LAYER of DATA.test[i] | DATA.test[i] | DATA.samples N | MODEL.history | schedule S lr X steps N | augment DATA.train[i] AUGS count N seed N',
    example: 'model tiny { dense 10 softmax }\nshow tiny',
    params: [],
  },
  {
    name: 'compare',
    category: 'statement',
    doc: 'Overlay the recorded training curves of several models in one plot.',
    syntax: 'compare MODEL, MODEL, … on METRIC',
    example: 'model a { dense 10 softmax }\nmodel b { dense 10 softmax }\ncompare a, b on accuracy',
    params: [],
  },
  {
    name: 'convolve',
    category: 'statement',
    doc: 'Convolve one image with a filter by hand (or a 1-D series with a 1-D kernel) and show the result.',
    syntax: 'convolve DATA.test[i] with FILTER [stride S] [padding valid|same|replicate]   |   convolve [numbers] with [numbers]',
    formula: WINDOW,
    example: 'data digits = mnist(train: 800, test: 200)\nconvolve digits.test[7] with sobel_x stride 1 padding same',
    params: [
      { name: 'stride', type: 'pair', form: 'keyword', default: [1, 1], min: 1, doc: 'step of the window' },
      {
        name: 'padding',
        type: 'choice',
        form: 'keyword',
        default: 'valid',
        choices: ['valid', 'same', 'replicate'],
        doc: 'border handling',
      },
    ],
  },
  {
    name: 'maxpool',
    category: 'statement',
    doc: 'Max-pool one image by hand and show the result.',
    syntax: 'maxpool DATA.test[i] KxK [stride S]',
    formula: WINDOW,
    example: 'data digits = mnist(train: 800, test: 200)\nmaxpool digits.test[7] 2x2',
    params: [
      { name: 'size', type: 'pair', form: 'positional', default: [2, 2], min: 1, doc: 'window size' },
      { name: 'stride', type: 'pair', form: 'keyword', min: 1, doc: 'step of the window (defaults to the size)' },
    ],
  },
  {
    name: 'avgpool',
    category: 'statement',
    doc: 'Average-pool one image by hand and show the result.',
    syntax: 'avgpool DATA.test[i] KxK [stride S]',
    formula: WINDOW,
    example: 'data digits = mnist(train: 800, test: 200)\navgpool digits.test[7] 2x2 stride 2',
    params: [
      { name: 'size', type: 'pair', form: 'positional', default: [2, 2], min: 1, doc: 'window size' },
      { name: 'stride', type: 'pair', form: 'keyword', min: 1, doc: 'step of the window (defaults to the size)' },
    ],
  },
  {
    name: 'predict',
    category: 'statement',
    doc: 'Class probabilities of a trained model for one image.',
    syntax: 'predict MODEL DATA.test[i]',
    example: 'data digits = mnist(train: 800, test: 200)\nmodel tiny { dense 10 softmax }\npredict tiny digits.test[3]',
    params: [],
  },
  {
    name: 'save',
    category: 'statement',
    doc: 'Save a model (spec and weights) to a file.',
    syntax: 'save MODEL "path"',
    example: 'model tiny { dense 10 softmax }\nsave tiny "tiny.convbook"',
    params: [],
  },
  {
    name: 'load',
    category: 'statement',
    doc: 'Load a saved model under a name.',
    syntax: 'load NAME = "path"',
    example: 'load old = "lenet.convbook"',
    params: [],
  },
  {
    name: 'explain',
    category: 'statement',
    doc: "Work out one of the chapter's equations with the session's own numbers (weights, activations, gradients of a real forward/backward pass, the run's settings and history) and show that it gives the runtime's value.",
    syntax: 'explain [FORM] TARGET [of DATA.test[i]] [at map M, channel C, row R, col K]',
    example: EXPLAIN_SETUP + 'explain tiny.conv1 of d.test[7] at map 1, row 3, col 4',
    params: [],
  },
  {
    name: 'export',
    category: 'statement',
    doc: 'Write a model with its trained weights for another framework: ONNX (`.onnx`, opset 13, any batch size) or a PyTorch nn.Module (`.py`, weights beside it in a `.safetensors` file). See docs/interop.md.',
    syntax: 'export MODEL to "path.onnx"   |   export MODEL to "path.py"',
    example: 'model tiny { dense 10 softmax }\nexport tiny to "tiny.onnx"',
    params: [],
  },
  {
    name: 'import',
    category: 'statement',
    doc: 'Read an ONNX network (e.g. from torch.onnx.export) as a convbook model with its weights; operators convbook cannot express are refused by node name. See docs/interop.md.',
    syntax: 'import NAME = "path.onnx"',
    example: 'import pre = "lenet.onnx"',
    params: [],
  },
  {
    name: 'to',
    category: 'keyword',
    doc: 'The file an export writes.',
    params: [],
    example: 'model a { dense 10 softmax }\nexport a to "a.py"',
  },
  {
    name: 'print',
    category: 'statement',
    doc: 'Print a string or value.',
    syntax: 'print "text"',
    example: 'print "hello"',
    params: [],
  },
  {
    name: 'clear',
    category: 'statement',
    doc: "Clear this cell's outputs so far (e.g. before showing a fresh result).",
    syntax: 'clear',
    example: 'print "gone"\nclear\nprint "kept"',
    params: [],
  },
  // ── connector keywords ───────────────────────────────────────────────────────────────────────
  {
    name: 'on',
    category: 'keyword',
    doc: 'Names the dataset (train, evaluate) or the metric (compare).',
    params: [],
    example: 'model a { dense 10 softmax }\ncompare a on loss',
  },
  {
    name: 'from',
    category: 'keyword',
    doc: 'Transfer learning: the model to copy layers and weights from.',
    params: [],
    example: 'model a { dense 10 softmax }\nmodel b from a { replace dense 5 softmax }',
  },
  {
    name: 'freeze',
    category: 'keyword',
    doc: 'Layers the optimizer must not change: a name, a range conv1..conv2, an index range 1..3 or a list.',
    params: [],
    example: 'model a { conv 4 relu\n dense 10 softmax }\nmodel b from a freeze conv1 { replace dense 5 softmax }',
  },
  { name: 'with', category: 'keyword', doc: 'The filter of a convolve statement.', params: [], example: 'convolve [1, 2, 3] with [1, 1]' },
  {
    name: 'where',
    category: 'keyword',
    doc: 'Subset a dataset: keep some classes (relabelled 0..k−1) and/or the first n examples.',
    params: [],
    example: 'data digits = mnist(train: 800, test: 200)\ndata low = digits where classes 0..4',
  },
  // ── layers ───────────────────────────────────────────────────────────────────────────────────
  {
    name: 'conv',
    category: 'layer',
    prefix: 'conv',
    kind: 'conv2d',
    doc: '2-D convolution (cross-correlation) with F filters of size Kh×Kw over all input channels, plus a bias per filter.',
    formula: `${WINDOW}; 'same' pads so Ho = ceil(H/Sh), the odd pixel on the bottom/right; params = F·(C·Kh·Kw + 1)`,
    syntax: 'conv F [kernel KxK] [stride S] [padding valid|same|P|PxQ [replicate]] [ACTIVATION] [init he|glorot] [round floor] [as NAME]',
    example: 'model m(input: 28x28x1) {\n  conv 6 kernel 5x5 stride 1 padding same relu\n}',
    params: [
      { name: 'filters', type: 'int', form: 'positional', required: true, min: 1, max: 4096, doc: 'number of filters (output channels)' },
      { name: 'kernel', type: 'pair', form: 'keyword', default: [3, 3], min: 1, max: 64, doc: 'filter size Kh x Kw' },
      { name: 'stride', type: 'pair', form: 'keyword', default: [1, 1], min: 1, max: 64, doc: 'step of the filter' },
      {
        name: 'padding',
        type: 'padding',
        form: 'keyword',
        default: 'valid',
        doc: 'valid (none), same (keep size), P pixels or PxQ; add `replicate` to repeat edge pixels instead of zeros',
      },
      { name: 'activation', type: 'activation', form: 'flag', default: 'linear', doc: 'activation applied to the output' },
      { name: 'init', type: 'choice', form: 'keyword', default: 'he', choices: ['he', 'glorot'], doc: 'weight initialisation' },
      round,
      asName,
    ],
  },
  {
    name: 'maxpool',
    category: 'layer',
    prefix: 'pool',
    kind: 'maxpool',
    doc: 'Max pooling: the largest value in each window, per channel.',
    formula: WINDOW,
    syntax: 'maxpool KxK [stride S] [round floor] [as NAME]',
    example: 'model m(input: 28x28x1) {\n  maxpool 2x2\n}',
    params: [
      { name: 'size', type: 'pair', form: 'positional', default: [2, 2], min: 1, max: 64, doc: 'window size' },
      { name: 'stride', type: 'pair', form: 'keyword', min: 1, max: 64, doc: 'step of the window; defaults to the size' },
      round,
      asName,
    ],
  },
  {
    name: 'avgpool',
    category: 'layer',
    prefix: 'pool',
    kind: 'avgpool',
    doc: 'Average pooling: the mean of each window, per channel.',
    formula: WINDOW,
    syntax: 'avgpool KxK [stride S] [round floor] [as NAME]',
    example: 'model m(input: 28x28x1) {\n  avgpool 2x2 stride 2\n}',
    params: [
      { name: 'size', type: 'pair', form: 'positional', default: [2, 2], min: 1, max: 64, doc: 'window size' },
      { name: 'stride', type: 'pair', form: 'keyword', min: 1, max: 64, doc: 'step of the window; defaults to the size' },
      round,
      asName,
    ],
  },
  {
    name: 'globalavgpool',
    category: 'layer',
    prefix: 'gap',
    kind: 'globalavgpool',
    doc: "Global average pooling: each channel's whole map becomes its mean, so C maps give C values (a light classifier head).",
    formula: 'y_c = (1/(H·W)) Σ_(i,j) x_c,i,j; out = C×1×1',
    syntax: 'globalavgpool [as NAME]',
    example: 'model m(input: 28x28x1) {\n  conv 10 relu\n  globalavgpool\n  softmax\n}',
    params: [asName],
  },
  {
    name: 'dense',
    category: 'layer',
    prefix: 'dense',
    kind: 'dense',
    doc: 'Fully connected layer; after a convolution it sees the whole map (an implicit flatten).',
    formula: 'y = W·x + b; params = units·(inputs + 1)',
    syntax: 'dense UNITS [ACTIVATION] [init he|glorot] [as NAME]',
    example: 'model m(input: 28x28x1) {\n  dense 120 relu\n  dense 10 softmax\n}',
    params: [
      { name: 'units', type: 'int', form: 'positional', required: true, min: 1, max: 65536, doc: 'number of outputs' },
      { name: 'activation', type: 'activation', form: 'flag', default: 'linear', doc: 'activation applied to the output' },
      { name: 'init', type: 'choice', form: 'keyword', default: 'he', choices: ['he', 'glorot'], doc: 'weight initialisation' },
      asName,
    ],
  },
  {
    name: 'flatten',
    category: 'layer',
    prefix: 'flatten',
    kind: 'flatten',
    doc: 'Reshape C×H×W maps into one vector of C·H·W values (optional before dense).',
    formula: 'out = C·H·W',
    syntax: 'flatten [as NAME]',
    example: 'model m(input: 28x28x1) {\n  flatten\n  dense 10 softmax\n}',
    params: [asName],
  },
  {
    name: 'dropout',
    category: 'layer',
    prefix: 'dropout',
    kind: 'dropout',
    doc: 'In training, zero each value with probability p and scale the rest by 1/(1−p); identity in evaluation.',
    formula: 'y = x·m/(1−p), m ~ Bernoulli(1−p)',
    syntax: 'dropout P [as NAME]',
    example: 'model m(input: 28x28x1) {\n  dense 64 relu\n  dropout 0.5\n  dense 10 softmax\n}',
    params: [
      {
        name: 'rate',
        type: 'number',
        form: 'positional',
        default: 0.5,
        min: 0,
        max: 1,
        openMax: true,
        doc: 'probability of dropping a value',
      },
      asName,
    ],
  },
  {
    name: 'batchnorm',
    category: 'layer',
    prefix: 'bn',
    kind: 'batchnorm',
    doc: 'Batch normalisation per channel with learned scale γ and shift β; running statistics in evaluation.',
    formula: 'y = γ·(x − μ_B)/√(σ²_B + eps) + β; running ← (1 − momentum)·running + momentum·batch',
    syntax: 'batchnorm [momentum M] [eps E] [as NAME]',
    example: 'model m(input: 28x28x1) {\n  conv 8 relu\n  batchnorm\n}',
    params: [
      {
        name: 'momentum',
        type: 'number',
        form: 'keyword',
        default: 0.1,
        min: 0,
        max: 1,
        doc: 'weight of the newest batch in the running statistics',
      },
      { name: 'eps', type: 'number', form: 'keyword', default: 1e-5, min: 0, max: 1, openMin: true, doc: 'added to the variance' },
      asName,
    ],
  },
  // ── activations (a flag on conv/dense, or a layer line of their own) ─────────────────────────
  {
    name: 'relu',
    category: 'activation',
    doc: 'Rectified linear unit.',
    formula: 'max(0, x)',
    params: [],
    example: 'model m { dense 10 relu }',
  },
  {
    name: 'leaky_relu',
    category: 'activation',
    doc: 'ReLU with a small slope for negative inputs (as a layer line: `leaky_relu slope 0.1`).',
    formula: 'x if x > 0 else slope·x',
    params: [{ name: 'slope', type: 'number', form: 'keyword', default: 0.01, min: 0, max: 1, doc: 'slope for x < 0' }],
    example: 'model m {\n  dense 10\n  leaky_relu slope 0.1\n}',
  },
  {
    name: 'sigmoid',
    category: 'activation',
    doc: 'Logistic function.',
    formula: '1/(1 + e^(−x))',
    params: [],
    example: 'model m { dense 10 sigmoid }',
  },
  {
    name: 'tanh',
    category: 'activation',
    doc: 'Hyperbolic tangent.',
    formula: '(e^x − e^(−x))/(e^x + e^(−x))',
    params: [],
    example: 'model m { dense 10 tanh }',
  },
  {
    name: 'softmax',
    category: 'activation',
    doc: 'Probabilities over classes; use on the last layer with cross-entropy.',
    formula: 'e^(x_i)/Σ_j e^(x_j)',
    params: [],
    example: 'model m { dense 10 softmax }',
  },
  {
    name: 'linear',
    category: 'activation',
    doc: 'No activation (identity); the default.',
    formula: 'x',
    params: [],
    example: 'model m { dense 10 linear }',
  },
  // ── optimizers ───────────────────────────────────────────────────────────────────────────────
  {
    name: 'sgd',
    category: 'optimizer',
    doc: 'Stochastic gradient descent, with optional (Nesterov) momentum.',
    formula: 'v ← μ·v − η·g;  θ ← θ + v   (nesterov: θ ← θ + μ·v − η·g)',
    params: [
      lr(0.01),
      { name: 'momentum', type: 'number', form: 'named', default: 0, min: 0, max: 1, openMax: true, doc: 'momentum μ' },
      { name: 'nesterov', type: 'bool', form: 'named', default: false, doc: 'look-ahead (Nesterov) momentum' },
    ],
    example:
      'model m { dense 10 softmax }\ndata d = mnist(train: 800, test: 200)\ntrain m on d { optimizer sgd(lr: 0.05, momentum: 0.9, nesterov: true) }',
  },
  {
    name: 'adam',
    category: 'optimizer',
    doc: 'Adam: per-weight steps from bias-corrected moment estimates.',
    formula: 'm ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);  θ ← θ − η·m̂/(√v̂ + ε)',
    params: adamParams,
    example: 'model m { dense 10 softmax }\ndata d = mnist(train: 800, test: 200)\ntrain m on d { optimizer adam(lr: 0.001) }',
  },
  {
    name: 'adamw',
    category: 'optimizer',
    doc: 'Adam with decoupled weight decay.',
    formula: 'Adam step, then θ ← θ − η·λ·θ',
    params: [...adamParams, { name: 'weight_decay', type: 'number', form: 'named', default: 0.01, min: 0, max: 1, doc: 'decay λ' }],
    example:
      'model m { dense 10 softmax }\ndata d = mnist(train: 800, test: 200)\ntrain m on d { optimizer adamw(lr: 0.001, weight_decay: 0.01) }',
  },
  // ── learning-rate schedules ──────────────────────────────────────────────────────────────────
  {
    name: 'constant',
    category: 'schedule',
    doc: "The optimizer's learning rate throughout (the default).",
    formula: 'η_t = η_0',
    params: [],
    example: 'show schedule constant lr 0.1 steps 100',
  },
  {
    name: 'piecewise',
    category: 'schedule',
    doc: 'Fixed learning rates between epoch boundaries.',
    formula: 'η = values[i] once epoch ≥ at[i−1]; values has one more entry than at',
    params: [
      { name: 'at', type: 'ints', form: 'named', required: true, min: 0, doc: 'epoch boundaries, increasing' },
      { name: 'values', type: 'numbers', form: 'named', required: true, min: 0, doc: 'learning rates, one more than boundaries' },
    ],
    example: 'show schedule piecewise(at: [5, 8], values: [0.1, 0.01, 0.001]) steps 1000',
  },
  {
    name: 'plateau',
    category: 'schedule',
    doc: 'Reduce the rate when validation error stops improving.',
    formula: 'every `every` steps: η ← factor·η if |Δ validation error| < epsilon (never below min)',
    params: [
      { name: 'every', type: 'int', form: 'named', default: 200, min: 1, doc: 'steps between checks' },
      {
        name: 'factor',
        type: 'number',
        form: 'named',
        default: 0.5,
        min: 0,
        max: 1,
        openMin: true,
        openMax: true,
        doc: 'multiplier when stalled',
      },
      { name: 'epsilon', type: 'number', form: 'named', default: 0.001, min: 0, doc: 'smallest change that counts as progress' },
      { name: 'min', type: 'number', form: 'named', default: 0, min: 0, doc: 'lower bound on η' },
    ],
    example: 'show schedule plateau(every: 200, factor: 0.5, epsilon: 0.001) steps 1000',
  },
  {
    name: 'exponential',
    category: 'schedule',
    doc: 'Exponential decay: divide the rate by d every r steps.',
    formula: 'η_t = η_0 · d^(−t/r)',
    params: [
      { name: 'd', type: 'number', form: 'named', default: 10, min: 1, doc: 'decay factor per r steps' },
      { name: 'r', type: 'number', form: 'named', default: 1000, min: 0, openMin: true, doc: 'steps per factor d' },
    ],
    example: 'show schedule exponential(d: 10, r: 5) lr 0.1 steps 1000',
  },
  {
    name: 'power',
    category: 'schedule',
    doc: 'Power (1/t-like) decay.',
    formula: 'η_t = η_0 · (1 + t/r)^(−c)',
    params: [
      { name: 'r', type: 'number', form: 'named', default: 1000, min: 0, openMin: true, doc: 'step scale' },
      { name: 'c', type: 'number', form: 'named', default: 1, min: 0, doc: 'power' },
    ],
    example: 'show schedule power(r: 1000, c: 1) lr 0.1 steps 5000',
  },
  // ── augmentations ────────────────────────────────────────────────────────────────────────────
  {
    name: 'shift',
    category: 'augmentation',
    doc: 'Random translation.',
    params: [amount('pixels', 'int', 2, 14, 'maximum shift in pixels')],
    example: 'show augment d.train[3] shift 2',
  },
  {
    name: 'rotate',
    category: 'augmentation',
    doc: 'Random rotation.',
    params: [amount('degrees', 'number', 10, 180, 'maximum angle in degrees')],
    example: 'show augment d.train[3] rotate 15',
  },
  {
    name: 'scale',
    category: 'augmentation',
    doc: 'Random zoom in [1−s, 1+s].',
    params: [amount('amount', 'number', 0.1, 0.9, 'maximum relative zoom')],
    example: 'show augment d.train[3] scale 0.1',
  },
  {
    name: 'stretch',
    category: 'augmentation',
    doc: 'Random anisotropic stretch.',
    params: [amount('amount', 'number', 0.1, 0.9, 'maximum relative stretch')],
    example: 'show augment d.train[3] stretch 0.1',
  },
  {
    name: 'flip',
    category: 'augmentation',
    doc: 'Horizontal flip with probability 1/2.',
    params: [],
    example: 'show augment d.train[3] flip',
  },
  {
    name: 'brightness',
    category: 'augmentation',
    doc: 'Random additive brightness change (pixels in [0, 1]).',
    params: [amount('amount', 'number', 0.1, 1, 'maximum change')],
    example: 'show augment d.train[3] brightness 0.1',
  },
  {
    name: 'contrast',
    category: 'augmentation',
    doc: 'Random relative contrast change.',
    params: [amount('amount', 'number', 0.1, 1, 'maximum relative change')],
    example: 'show augment d.train[3] contrast 0.1',
  },
  {
    name: 'noise',
    category: 'augmentation',
    doc: 'Additive Gaussian noise.',
    params: [amount('std', 'number', 0.05, 1, 'standard deviation')],
    example: 'show augment d.train[3] noise 0.05',
  },
  {
    name: 'occlude',
    category: 'augmentation',
    doc: 'Zero one random rectangle (cutout).',
    params: [{ name: 'size', type: 'pair', form: 'positional', default: [6, 6], min: 1, max: 64, doc: 'rectangle size' }],
    example: 'show augment d.train[3] occlude 6x6',
  },
  // ── data sources ─────────────────────────────────────────────────────────────────────────────
  {
    name: 'mnist',
    category: 'data',
    doc: 'The MNIST digit sample embedded in the kernel (28x28x1, 10 classes), split with a seed.',
    params: [
      { name: 'train', type: 'int', form: 'named', default: 8000, min: 1, max: 10000, doc: 'training examples' },
      { name: 'test', type: 'int', form: 'named', default: 2000, min: 0, max: 10000, doc: 'test examples' },
      seed,
    ],
    example: 'data digits = mnist(train: 8000, test: 2000)',
  },
  {
    name: 'fashion_mnist',
    category: 'data',
    doc: 'Fashion-MNIST (28x28x1, 10 classes) from the installed dataset files.',
    params: [
      { name: 'train', type: 'int', form: 'named', default: 60000, min: 1, max: 60000, doc: 'training examples' },
      {
        name: 'test',
        type: 'int',
        form: 'named',
        default: 10000,
        min: 0,
        max: 10000,
        doc: 'test examples: the first n of the official test set, in its order',
      },
      seed,
      { name: 'dir', type: 'string', form: 'named', doc: 'directory of the idx files (default: the Debian package location)' },
    ],
    example: 'data fashion = fashion_mnist(train: 60000, test: 10000)',
  },
  {
    name: 'idx',
    category: 'data',
    doc: 'Images and labels in IDX format (optionally gzipped), as MNIST is distributed.',
    params: [
      { name: 'images', type: 'string', form: 'named', required: true, doc: 'training images file' },
      { name: 'labels', type: 'string', form: 'named', required: true, doc: 'training labels file' },
      { name: 'test_images', type: 'string', form: 'named', doc: 'test images file' },
      { name: 'test_labels', type: 'string', form: 'named', doc: 'test labels file' },
      testFraction,
      seed,
      {
        name: 'names',
        type: 'string',
        form: 'named',
        doc: 'class names in label order, comma-separated ("T-shirt/top, Trouser, …"); labels must be below their count',
      },
    ],
    example: 'data mine = idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", test: 0.2)',
  },
  {
    name: 'csv',
    category: 'data',
    doc: 'One example per row: the label, then the pixel values.',
    params: [
      { name: 'path', type: 'string', form: 'named', required: true, doc: 'CSV file' },
      { name: 'test_path', type: 'string', form: 'named', doc: 'separate test CSV file' },
      { name: 'header', type: 'bool', form: 'named', doc: 'whether the first row is a header (default: detected)' },
      { name: 'width', type: 'int', form: 'named', min: 1, max: 4096, doc: 'image width (default: square root of the pixel count)' },
      { name: 'height', type: 'int', form: 'named', min: 1, max: 4096, doc: 'image height' },
      testFraction,
      seed,
    ],
    example: 'data c = csv("digits.csv", header: true, width: 28, height: 28)',
  },
  {
    name: 'folder',
    category: 'data',
    doc: 'Images in one sub-folder per class.',
    params: [{ name: 'path', type: 'string', form: 'named', required: true, doc: 'folder' }, testFraction, seed],
    example: 'data pics = folder("pics/", test: 0.2)',
  },
  {
    name: 'npy',
    category: 'data',
    doc: 'NumPy arrays: images (N, H, W) or (N, H, W, C) and labels (N).',
    params: [
      { name: 'images', type: 'string', form: 'named', required: true, doc: 'images .npy file' },
      { name: 'labels', type: 'string', form: 'named', required: true, doc: 'labels .npy file' },
      testFraction,
      seed,
    ],
    example: 'data arrays = npy("x.npy", "y.npy", test: 0.2)',
  },
  {
    name: 'where',
    category: 'subset',
    doc: 'Keep some classes (relabelled 0..k−1 in the order given) and/or the first examples of each split.',
    params: [
      { name: 'classes', type: 'ints', form: 'keyword', min: 0, doc: 'classes to keep: 0..4 or [3, 8]' },
      { name: 'train', type: 'int', form: 'keyword', min: 1, doc: 'keep the first n training examples' },
      { name: 'test', type: 'int', form: 'keyword', min: 0, doc: 'keep the first n test examples' },
    ],
    example: 'data digits = mnist(train: 800, test: 200)\ndata low = digits where classes 0..4 train 500',
  },
  // ── image filters for `convolve` ─────────────────────────────────────────────────────────────
  {
    name: 'blur',
    category: 'filter',
    doc: 'Box blur (mean of a size×size window).',
    params: [{ name: 'size', type: 'int', form: 'named', default: 3, min: 1, max: 15, doc: 'window size' }],
    example: 'convolve d.test[0] with blur(size: 3)',
  },
  {
    name: 'box',
    category: 'filter',
    doc: 'Box filter (same as blur).',
    params: [{ name: 'size', type: 'int', form: 'named', default: 3, min: 1, max: 15, doc: 'window size' }],
    example: 'convolve d.test[0] with box',
  },
  {
    name: 'gaussian',
    category: 'filter',
    doc: 'Gaussian blur.',
    formula: 'k(x, y) ∝ exp(−(x² + y²)/(2σ²))',
    params: [
      { name: 'sigma', type: 'number', form: 'named', default: 1, min: 0, max: 10, openMin: true, doc: 'standard deviation σ in pixels' },
      { name: 'size', type: 'int', form: 'named', default: 5, min: 1, max: 31, doc: 'window size' },
    ],
    example: 'convolve d.test[0] with gaussian(sigma: 1)',
  },
  {
    name: 'sobel_x',
    category: 'filter',
    doc: 'Horizontal gradient (vertical edges): positive where the image gets brighter to the right.',
    formula: filterFormula('sobel_x'),
    params: [],
    example: 'convolve d.test[0] with sobel_x',
  },
  {
    name: 'sobel_y',
    category: 'filter',
    doc: 'Vertical gradient (horizontal edges): positive where the image gets brighter downwards.',
    formula: filterFormula('sobel_y'),
    params: [],
    example: 'convolve d.test[0] with sobel_y',
  },
  {
    name: 'laplacian',
    category: 'filter',
    doc: 'Second derivative; responds to edges in every direction.',
    formula: filterFormula('laplacian'),
    params: [],
    example: 'convolve d.test[0] with laplacian',
  },
  {
    name: 'outline',
    category: 'filter',
    doc: 'Outline (all-direction edge) filter.',
    formula: filterFormula('outline'),
    params: [],
    example: 'convolve d.test[0] with outline',
  },
  {
    name: 'sharpen',
    category: 'filter',
    doc: 'Sharpen: boost each pixel against its neighbours.',
    formula: filterFormula('sharpen'),
    params: [],
    example: 'convolve d.test[0] with sharpen',
  },
  {
    name: 'edge',
    category: 'filter',
    doc: 'Diagonal edge detector: difference of opposite corners.',
    formula: filterFormula('edge'),
    params: [],
    example: 'convolve d.test[0] with edge',
  },
  // ── train settings ───────────────────────────────────────────────────────────────────────────
  {
    name: 'epochs',
    category: 'setting',
    doc: 'Passes over the training split.',
    params: one('int', 'epochs', { default: 5, min: 1, max: 10000 }),
    example: 'epochs 10',
  },
  {
    name: 'batch',
    category: 'setting',
    doc: 'Examples per optimizer step.',
    params: one('int', 'batch size', { default: 32, min: 1, max: 65536 }),
    example: 'batch 64',
  },
  {
    name: 'seed',
    category: 'setting',
    doc: 'Seed for initialisation, shuffling, dropout and augmentation.',
    params: one('int', 'seed', { default: 0, min: 0, max: MAX_SEED }),
    example: 'seed 42',
  },
  {
    name: 'validation',
    category: 'setting',
    doc: 'Fraction of the training split held out for validation.',
    params: one('number', 'fraction', { default: 0, min: 0, max: 1, openMax: true }),
    example: 'validation 0.1',
  },
  {
    name: 'optimizer',
    category: 'setting',
    doc: 'The optimizer and its hyper-parameters.',
    params: one('optimizer', 'sgd(…), adam(…) or adamw(…)', { default: 'sgd' }),
    example: 'optimizer adam(lr: 0.001)',
  },
  {
    name: 'schedule',
    category: 'setting',
    doc: 'The learning-rate schedule.',
    params: one('schedule', 'constant, piecewise(…), plateau(…), exponential(…) or power(…)', { default: 'constant' }),
    example: 'schedule exponential(d: 10, r: 5)',
  },
  {
    name: 'weight_decay',
    category: 'setting',
    doc: 'Decoupled weight decay after each update (weights only, not biases).',
    formula: 'θ ← (1 − λ)·θ',
    params: one('number', 'decay rate λ', { min: 0, max: 1, openMax: true }),
    example: 'weight_decay 0.0005',
  },
  {
    name: 'l2',
    category: 'setting',
    doc: 'L2 regularisation: λθ added to the gradient (weights only).',
    formula: 'g ← g + λ·θ',
    params: one('number', 'penalty weight λ', { min: 0, max: 1 }),
    example: 'l2 0.0005',
  },
  {
    name: 'augment',
    category: 'setting',
    doc: 'Random augmentations of each training example, comma-separated.',
    params: one('augmentations', 'augmentations'),
    example: 'augment shift 2, rotate 10, flip',
  },
  {
    name: 'early_stop',
    category: 'setting',
    doc: 'Stop when the validation metric has not improved for `patience` checks.',
    params: [
      { name: 'every', type: 'int', form: 'keyword', default: 200, min: 1, unit: 'steps', doc: 'steps between checks' },
      { name: 'patience', type: 'int', form: 'keyword', default: 3, min: 1, doc: 'checks without improvement before stopping' },
      {
        name: 'restore',
        type: 'choice',
        form: 'keyword',
        default: 'best',
        choices: ['best', 'last'],
        doc: 'keep the best weights seen or the last',
      },
      { name: 'metric', type: 'choice', form: 'keyword', default: 'loss', choices: ['loss', 'accuracy'], doc: 'what must improve' },
    ],
    example: 'early_stop every 200 steps patience 3 restore best',
  },
  {
    name: 'eval',
    category: 'setting',
    doc: 'Also record metrics every n steps (not only each epoch).',
    params: [
      { name: 'every', type: 'int', form: 'keyword', default: 0, min: 0, unit: 'steps', doc: 'steps between records; 0 = epochs only' },
    ],
    example: 'eval every 100 steps',
  },
  {
    name: 'workers',
    category: 'setting',
    doc: 'Threads for data-parallel training; results do not depend on it. 0 (the default) uses every core, at most one per micro-batch of 16 examples. Later evaluate statements use as many (or every core after workers 0), at most one per chunk of 250 images.',
    params: one('int', 'threads (0: one per core)', { default: 0, min: 0, max: 64 }),
    example: 'workers 2',
  },
  {
    name: 'arithmetic',
    category: 'setting',
    doc: 'How the kernels multiply and add. portable (the default): multiply, then add, each rounded, so the same seed gives the same bits on every machine. fused: fused multiply-add (relaxed SIMD), rounded once and about 1.1–1.2× faster; the same bits for any number of workers on one machine, but they can differ on another CPU. The model keeps it for later evaluate, predict and show statements; the run record names it.',
    params: one('choice', 'portable or fused', { default: 'portable', choices: ['portable', 'fused'] }),
    example: 'arithmetic fused',
  },
  {
    name: 'label',
    category: 'setting',
    doc: 'Name of this run in overlaid plots (default: the optimizer name).',
    params: one('string', 'label'),
    example: 'label "momentum"',
  },
  // ── show forms ───────────────────────────────────────────────────────────────────────────────
  {
    name: 'summary',
    category: 'show',
    doc: 'Layers, output shapes, parameters and receptive fields.',
    syntax: 'show MODEL',
    params: [],
    example: 'model m { dense 10 softmax }\nshow m',
  },
  {
    name: 'filters',
    category: 'show',
    doc: 'The learned filters of a conv layer as images.',
    syntax: 'show MODEL.filters LAYER',
    params: [],
    example: 'model m { conv 4 relu }\nshow m.filters conv1',
  },
  {
    name: 'feature_maps',
    category: 'show',
    doc: 'The outputs of a layer for one image.',
    syntax: 'show MODEL.feature_maps LAYER of DATA.test[i]',
    params: [],
    example: 'data d = mnist(train: 800, test: 200)\nmodel m { conv 4 relu }\nshow m.feature_maps conv1 of d.test[7]',
  },
  {
    name: 'history',
    category: 'show',
    doc: 'Loss and accuracy curves recorded in training.',
    syntax: 'show MODEL.history',
    params: [],
    example: 'model m { dense 10 softmax }\nshow m.history',
  },
  {
    name: 'samples',
    category: 'show',
    doc: 'A grid of examples with their labels.',
    syntax: 'show DATA.samples N   |   show DATA.test.samples N',
    params: [{ name: 'count', type: 'int', form: 'positional', default: 16, min: 1, max: 400, doc: 'how many' }],
    example: 'data d = mnist(train: 800, test: 200)\nshow d.samples 16',
  },
  {
    name: 'image',
    category: 'show',
    doc: 'One example image.',
    syntax: 'show DATA.test[i]',
    params: [],
    example: 'data d = mnist(train: 800, test: 200)\nshow d.test[7]',
  },
  {
    name: 'schedule',
    category: 'show',
    doc: 'Plot a learning-rate schedule before training.',
    syntax: 'show schedule SCHEDULE [lr X] [steps N]',
    params: [
      { name: 'lr', type: 'number', form: 'keyword', default: 0.1, min: 0, openMin: true, doc: 'initial learning rate η_0' },
      { name: 'steps', type: 'int', form: 'keyword', default: 1000, min: 1, max: 1000000, doc: 'steps to plot' },
    ],
    example: 'show schedule exponential(d: 10, r: 5) lr 0.1 steps 1000',
  },
  {
    name: 'augment',
    category: 'show',
    doc: 'Several random augmentations of one image.',
    syntax: 'show augment DATA.train[i] AUGMENTATIONS [count N] [seed N]',
    params: [
      { name: 'count', type: 'int', form: 'keyword', default: 8, min: 1, max: 64, doc: 'how many variants' },
      { name: 'seed', type: 'int', form: 'keyword', default: 0, min: 0, max: MAX_SEED, doc: 'seed of the random draws' },
    ],
    example: 'data d = mnist(train: 800, test: 200)\nshow augment d.train[3] shift 2, rotate 15 count 8 seed 1',
  },
  // ── explain forms ────────────────────────────────────────────────────────────────────────────
  {
    name: 'unit',
    category: 'explain',
    doc: "One unit of a conv layer (equations 5a, 5b): the input window with its padding and stride, the kernel, the bias, the sum term by term over the input maps, the activation, and the runtime's value; or of a pooling layer: its window (for globalavgpool the whole map) and the maximum (the winner marked) or the mean. The word unit may be left out.",
    formula: 'z[f,i,j] = Σ_c Σ_a Σ_b w[f,c,a,b]·x[c, i·Sh + a − pad_top, j·Sw + b − pad_left] + b[f];  y[f,i,j] = act(z[f,i,j])',
    syntax: 'explain [unit] [MODEL.]LAYER of DATA.test[i] at map F, row I, col J',
    example: EXPLAIN_SETUP + 'explain unit tiny.conv1 of d.test[7] at map 1, row 3, col 4',
    params: at('map', 'row', 'col'),
  },
  {
    name: 'convolve',
    category: 'explain',
    doc: 'Convolution by hand: 1-D (equation 2) at one position of a series, or 2-D (equation 4) at one pixel of an image, as correlation and as true convolution with the kernel rotated by 180°.',
    formula:
      '1-D: s[i] = Σ_k x[i + k]·w[k] (correlation), (x * w)[i] = Σ_k x[i + k]·w[K−1−k] (convolution: the kernel reversed);  2-D: S[i,j] = Σ_a Σ_b I[i + a, j + b]·K[a,b]',
    syntax: 'explain convolve [numbers] with [numbers] at I   |   explain convolve DATA.test[i] with FILTER at row I, col J',
    example: 'explain convolve [1, 2, 3, 4, 5] with [1, 0, -1] at 1',
    params: [
      { name: 'at', type: 'int', form: 'keyword', default: 0, min: 0, doc: 'position in the 1-D result (0-based)' },
      ...at('row', 'col'),
    ],
  },
  {
    name: 'size',
    category: 'explain',
    doc: "Output size of a conv or pooling layer: the formula with H, K, S and the paddings filled in, and why 'same' pads what it pads.",
    formula: WINDOW,
    syntax: 'explain size [MODEL.]LAYER',
    example: 'model tiny(input: 28x28x1) {\n  conv 4 kernel 5x5 padding same relu\n}\nexplain size tiny.conv1',
    params: [],
  },
  {
    name: 'gradient',
    category: 'explain',
    doc: 'Backpropagation through a conv layer with a real backward pass on one example: for a weight (6a) the weight-sharing sum of δ·h over the output positions, for an input unit (6j) the sum of δ·w over the kernel positions that reach it; for a pooling unit, where its error goes (max: the winner; average: divided by the window size).',
    formula:
      '∂L/∂w[f,c,a,b] = Σ_i Σ_j δ[f,i,j]·h[c, i·S + a − pad, j·S + b − pad] (6a);  ∂L/∂h[c,p,q] = Σ_f Σ_(a,b reaching p,q) δ[f,i,j]·w[f,c,a,b] (6j);  δ = ∂L/∂y · act′(z)',
    syntax:
      'explain gradient [MODEL.]CONV.weight of DATA.test[i] at map F, channel C, row A, col B   |   [MODEL.]CONV.input … at channel C, row P, col Q   |   [MODEL.]POOL … at map C, row I, col J',
    example: EXPLAIN_SETUP + 'explain gradient tiny.conv1.weight of d.test[7] at map 1, channel 0, row 0, col 2',
    params: at('map', 'channel', 'row', 'col'),
  },
  {
    name: 'weight_decay',
    category: 'explain',
    doc: "Weight decay on one conv weight with the last run's η and λ (equations 8–10): decoupled as w ← βw with β = 1 − λ, and as the L2 gradient term, w ← w − η(g + λw) = (1 − ηλ)w − ηg, with g from a backward pass on one example.",
    formula: 'decoupled: w ← β·w, β = 1 − λ (8);  L2: E′ = E + (λ/2)·Σw² (9), ∂E′/∂w = ∂E/∂w + λw (10)',
    syntax: 'explain weight_decay [MODEL.]CONV of DATA.test[i] at map F, channel C, row A, col B',
    example: EXPLAIN_SETUP + 'explain weight_decay tiny.conv1 of d.test[7] at map 0, channel 0, row 1, col 1',
    params: at('map', 'channel', 'row', 'col'),
  },
  {
    name: 'dropout',
    category: 'explain',
    doc: 'How many thinned networks a dropout layer samples from: with n units, C(n, k) ways to drop k of them (n, n(n−1)/2, …), peaking at k = n/2, 2ⁿ in all; and the units kept on average at its rate.',
    formula: 'C(n, k) = n! / (k!·(n − k)!);  Σ_k C(n, k) = 2ⁿ',
    syntax: 'explain dropout [MODEL.]LAYER',
    example: 'model tiny(input: 28x28x1) {\n  dense 16 relu\n  dropout 0.5\n  dense 10 softmax\n}\nexplain dropout tiny.dropout1',
    params: [],
  },
  {
    name: 'early_stop',
    category: 'explain',
    doc: "Early stopping from the run's own history: the checks, the best one, the patience that ran out, and which snapshot was restored.",
    syntax: 'explain early_stop MODEL',
    example: 'model tiny { dense 10 softmax }\nexplain early_stop tiny',
    params: [],
  },
  {
    name: 'step',
    category: 'explain',
    doc: "Two optimizer steps on one conv weight with this run's η (and its momentum or betas), as momentum (13a–b), Nesterov (14a–b) and Adam, with the gradient of a backward pass on one example, each checked against the runtime's optimizer.",
    formula:
      'momentum: v ← μv − ηg (13a), w ← w + v (13b);  Nesterov: v ← μv − η∇L(w + μv) (14a), w ← w + v (14b);  Adam: m ← β1·m + (1−β1)g, s ← β2·s + (1−β2)g², w ← w − η·m̂/(√ŝ + ε)',
    syntax: 'explain step [MODEL.]CONV of DATA.test[i] at map F, channel C, row A, col B',
    example: EXPLAIN_SETUP + 'explain step tiny.conv1 of d.test[7] at map 0, channel 0, row 1, col 1',
    params: at('map', 'channel', 'row', 'col'),
  },
  {
    name: 'schedule',
    category: 'explain',
    doc: "The learning-rate schedule of the model's last run evaluated at some steps (exponential, power, piecewise, performance/plateau), beside the η training recorded for those steps.",
    formula:
      'exponential η₀·d^(−t/r);  power η₀·(1 + t/r)^(−c);  piecewise: values[i] once epoch ≥ boundaries[i−1];  plateau: η₀·factor^(cuts so far)',
    syntax: 'explain schedule MODEL at T, T, …',
    example: 'model tiny { dense 10 softmax }\nexplain schedule tiny at 0, 10, 100',
    params: [
      { name: 'at', type: 'ints', form: 'keyword', min: 0, doc: 'steps (0-based updates) to evaluate; default the first, middle and last' },
    ],
  },
  // ── metrics for compare ──────────────────────────────────────────────────────────────────────
  { name: 'loss', category: 'metric', doc: 'Training loss.', params: [], example: 'model a { dense 10 softmax }\ncompare a on loss' },
  {
    name: 'accuracy',
    category: 'metric',
    doc: 'Training accuracy.',
    params: [],
    example: 'model a { dense 10 softmax }\ncompare a on accuracy',
  },
  {
    name: 'val_accuracy',
    category: 'metric',
    doc: 'Validation accuracy.',
    params: [],
    example: 'model a { dense 10 softmax }\ncompare a on val_accuracy',
  },
  {
    name: 'test_accuracy',
    category: 'metric',
    doc: 'Test accuracy.',
    params: [],
    example: 'model a { dense 10 softmax }\ncompare a on test_accuracy',
  },
];

/** The row of a built-in, or undefined. */
/** Rows by category and name, built once (rebuilt if rows were added): the checker looks up per term. */
let index: { rows: number; byKey: Map<string, Builtin>; names: Map<Category, string[]> } | undefined;
function indexed(): NonNullable<typeof index> {
  if (index?.rows === builtins.length) return index;
  const byKey = new Map<string, Builtin>();
  const names = new Map<Category, string[]>();
  for (const b of builtins) {
    const key = `${b.category}\u0000${b.name}`;
    if (!byKey.has(key)) byKey.set(key, b);
    names.set(b.category, [...(names.get(b.category) ?? []), b.name]);
  }
  index = { rows: builtins.length, byKey, names };
  return index;
}

export function lookup(category: Category, name: string): Builtin | undefined {
  return indexed().byKey.get(`${category}\u0000${name}`);
}

export function namesOf(category: Category): string[] {
  return [...(indexed().names.get(category) ?? [])];
}

export function paramOf(row: Builtin, name: string): ParamDef | undefined {
  return row.params.find((p) => p.name === name);
}

/** Human-readable range of a parameter, e.g. "> 0 and ≤ 10". */
export function rangeText(p: ParamDef): string {
  const parts: string[] = [];
  if (p.min !== undefined) parts.push(`${p.openMin ? '>' : '≥'} ${p.min}`);
  if (p.max !== undefined) parts.push(`${p.openMax ? '<' : '≤'} ${p.max}`);
  if (p.choices) parts.push(`one of ${p.choices.join(', ')}`);
  return parts.join(' and ');
}

export function defaultText(p: ParamDef): string {
  const d = p.default;
  if (d === undefined || d === null) return p.required ? '(required)' : '(none)';
  if (Array.isArray(d))
    return p.type === 'shape' ? d.join('x') : d.length === 2 && p.type === 'pair' ? `${d[0]}x${d[1]}` : `[${d.join(', ')}]`;
  return typeof d === 'string' && p.type === 'string' ? `"${d}"` : String(d);
}
