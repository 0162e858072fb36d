// exportTorch: a built network → readable PyTorch source (an nn.Module named after the model, one attribute
// per convbook layer) and its weights in the safetensors layout, which the generated file reads with json
// and torch.frombuffer alone (no extra package; safetensors.torch.load_file reads it too).
// Parameter names are PyTorch's own (conv1.weight, bn1.running_var, …), so load_state_dict is strict.
import type { LayerKind, LayerSpec, Shape3 } from '../spec.js';
import type { Net } from '../types.js';

interface Emit {
  /** __init__ lines (without indentation) and forward lines (operating on x). */
  init: string[];
  forward: string[];
  tensors: { name: string; shape: number[]; data: ArrayLike<number>; dtype: 'F32' | 'I64' }[];
}

interface Step {
  l: LayerSpec;
  attr: string;
  input: Shape3;
  rank: 2 | 4;
  params: Record<string, Float32Array>;
  state: Float32Array;
}

/** Names a layer attribute must not take: Python keywords and what nn.Module (or this module) already defines. */
const RESERVED = new Set([
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
  ...'forward logits train eval training parameters named_parameters buffers named_buffers modules named_modules children named_children state_dict load_state_dict to cpu cuda float double half type apply zero_grad requires_grad_ register_buffer register_parameter add_module get_submodule extra_repr'.split(
    ' ',
  ),
]);

const tuple = (p: readonly number[]) => `(${p.join(', ')})`;

function act(fn: string, slope?: number): string | undefined {
  switch (fn) {
    case 'relu':
      return 'x = torch.relu(x)';
    case 'leaky_relu':
      return `x = F.leaky_relu(x, ${slope ?? 0.01})`;
    case 'sigmoid':
      return 'x = torch.sigmoid(x)';
    case 'tanh':
      return 'x = torch.tanh(x)';
    case 'softmax':
      return 'x = torch.softmax(x, dim=1)';
    default:
      return undefined;
  }
}

type Writer = (s: Step, e: Emit) => 2 | 4;

const flattenIfMap = (s: Step, e: Emit) => {
  if (s.rank === 4) e.forward.push('x = torch.flatten(x, 1)');
};
const mapIfFlat = (s: Step, e: Emit) => {
  if (s.rank === 2) e.forward.push(`x = x.reshape(-1, ${s.input.c}, ${s.input.h}, ${s.input.w})`);
};
const weights = (s: Step, e: Emit, shape: number[]) => {
  e.tensors.push(
    { name: `${s.attr}.weight`, shape, data: s.params.weight, dtype: 'F32' },
    { name: `${s.attr}.bias`, shape: [shape[0]], data: s.params.bias, dtype: 'F32' },
  );
};

/** The table where a layer kind becomes PyTorch: module construction and forward lines. */
const torchWriters: { [K in LayerKind]: Writer } = {
  conv2d: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'conv2d' }>;
    const p = l.padding;
    const symmetric = p.mode === 'zero' && p.top === p.bottom && p.left === p.right;
    mapIfFlat(s, e);
    if (!symmetric && p.top + p.bottom + p.left + p.right > 0) {
      e.forward.push(
        `x = F.pad(x, ${tuple([p.left, p.right, p.top, p.bottom])}, mode='${p.mode === 'replicate' ? 'replicate' : 'constant'}')`,
      );
    }
    const padding = symmetric ? `, padding=${tuple([p.top, p.left])}` : '';
    e.init.push(
      `self.${s.attr} = nn.Conv2d(${s.input.c}, ${l.filters}, kernel_size=${tuple(l.kernel)}, stride=${tuple(l.stride)}${padding})`,
    );
    e.forward.push(`x = self.${s.attr}(x)`);
    const a = act(l.activation);
    if (a) e.forward.push(a);
    weights(s, e, [l.filters, s.input.c, l.kernel[0], l.kernel[1]]);
    return 4;
  },
  maxpool: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'maxpool' }>;
    mapIfFlat(s, e);
    e.init.push(`self.${s.attr} = nn.MaxPool2d(kernel_size=${tuple(l.size)}, stride=${tuple(l.stride)})`);
    e.forward.push(`x = self.${s.attr}(x)`);
    return 4;
  },
  avgpool: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'avgpool' }>;
    mapIfFlat(s, e);
    e.init.push(`self.${s.attr} = nn.AvgPool2d(kernel_size=${tuple(l.size)}, stride=${tuple(l.stride)})`);
    e.forward.push(`x = self.${s.attr}(x)`);
    return 4;
  },
  globalavgpool: (s, e) => {
    mapIfFlat(s, e);
    e.init.push(`self.${s.attr} = nn.AdaptiveAvgPool2d(1)`);
    e.forward.push(`x = self.${s.attr}(x)`);
    return 4;
  },
  dense: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'dense' }>;
    const inputs = s.input.c * s.input.h * s.input.w;
    flattenIfMap(s, e);
    e.init.push(`self.${s.attr} = nn.Linear(${inputs}, ${l.units})`);
    e.forward.push(`x = self.${s.attr}(x)`);
    const a = act(l.activation);
    if (a) e.forward.push(a);
    weights(s, e, [l.units, inputs]);
    return 2;
  },
  flatten: (s, e) => {
    e.init.push(`self.${s.attr} = nn.Flatten()`);
    e.forward.push(`x = self.${s.attr}(x)`);
    return 2;
  },
  dropout: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'dropout' }>;
    e.init.push(`self.${s.attr} = nn.Dropout(p=${l.rate})`);
    e.forward.push(`x = self.${s.attr}(x)`);
    return s.rank;
  },
  batchnorm: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'batchnorm' }>;
    const c = s.input.c;
    e.init.push(`self.${s.attr} = nn.BatchNorm${s.rank === 4 ? '2d' : '1d'}(${c}, eps=${l.eps}, momentum=${l.momentum})`);
    e.forward.push(`x = self.${s.attr}(x)`);
    e.tensors.push(
      { name: `${s.attr}.weight`, shape: [c], data: s.params.gamma, dtype: 'F32' },
      { name: `${s.attr}.bias`, shape: [c], data: s.params.beta, dtype: 'F32' },
      { name: `${s.attr}.running_mean`, shape: [c], data: s.state.subarray(0, c), dtype: 'F32' },
      { name: `${s.attr}.running_var`, shape: [c], data: s.state.subarray(c, 2 * c), dtype: 'F32' },
      { name: `${s.attr}.num_batches_tracked`, shape: [], data: [0], dtype: 'I64' },
    );
    return s.rank;
  },
  activation: (s, e) => {
    const l = s.l as Extract<LayerSpec, { kind: 'activation' }>;
    const a = act(l.fn, l.slope);
    if (a) e.forward.push(a);
    return s.rank;
  },
};

/** The safetensors layout: u64 header length, JSON header (dtype, shape, byte offsets), raw little-endian data. */
export function safetensorsBytes(tensors: Emit['tensors'], meta: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: meta };
  let at = 0;
  for (const t of tensors) {
    const bytes = t.data.length * (t.dtype === 'F32' ? 4 : 8);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keeps the data 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + at);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, o += t.dtype === 'F32' ? 4 : 8) {
      if (t.dtype === 'F32') dv.setFloat32(o, t.data[i], true);
      else dv.setBigInt64(o, BigInt(t.data[i]), true);
    }
  }
  return out;
}

function className(name: string): string {
  const c = name.replace(/(^|_)([a-z])/g, (_m, _u, ch: string) => ch.toUpperCase()).replace(/[^A-Za-z0-9_]/g, '');
  return /^[A-Za-z_]/.test(c) ? c : `Model${c}`;
}

export interface TorchExport {
  source: string;
  weights: Uint8Array;
  className: string;
}

/** `weightsFile` is the weights' file name as the source refers to it (beside the .py). */
export function exportTorch(net: Net, weightsFile: string, version = ''): TorchExport {
  const e: Emit = { init: [], forward: [], tensors: [] };
  const byLayer = new Map<string, Record<string, Float32Array>>();
  for (const p of net.params) {
    const m = byLayer.get(p.layer) ?? {};
    m[p.name.slice(p.layer.length + 1)] = Float32Array.from(p.value);
    byLayer.set(p.layer, m);
  }
  let rank: 2 | 4 = 4 as 2 | 4;
  let input = net.spec.input;
  let stateAt = 0;
  let softmaxAt = -1;
  net.spec.layers.forEach((l, i) => {
    const stateSize = l.kind === 'batchnorm' ? 2 * input.c : 0;
    const attr = RESERVED.has(l.name) ? `${l.name}_` : l.name;
    const before = e.forward.length;
    rank = torchWriters[l.kind](
      {
        l,
        attr,
        input,
        rank,
        params: byLayer.get(l.name) ?? {},
        state: Float32Array.from(net.stateBuf.subarray(stateAt, stateAt + stateSize)),
      },
      e,
    );
    if (i === net.spec.layers.length - 1 && e.forward[e.forward.length - 1] === 'x = torch.softmax(x, dim=1)' && e.forward.length > before)
      softmaxAt = e.forward.length - 1;
    stateAt += stateSize;
    input = net.info[i].out;
  });
  const cls = className(net.spec.name);
  const { c, h, w } = net.spec.input;
  const ind = (lines: string[], n: number) => lines.map((x) => ' '.repeat(n) + x);
  const logitLines = softmaxAt >= 0 ? e.forward.slice(0, softmaxAt) : e.forward;
  const body =
    softmaxAt >= 0
      ? [
          '    def logits(self, x):',
          '        """The values before the final softmax: what nn.CrossEntropyLoss takes."""',
          ...ind(logitLines.length ? logitLines : ['pass'], 8),
          '        return x',
          '',
          '    def forward(self, x):',
          '        """Class probabilities, as convbook computes them."""',
          '        return torch.softmax(self.logits(x), dim=1)',
        ]
      : ['    def forward(self, x):', ...ind(e.forward, 8), '        return x'];
  const source = [
    `"""${net.spec.name}: a convbook model as a PyTorch nn.Module${version ? ` (exported by convbook ${version})` : ''}.`,
    '',
    `Input: float tensors (batch, ${c}, ${h}, ${w}), pixel values in [0, 1]. The weights are in ${weightsFile}`,
    '(safetensors layout), read below with json and torch alone:',
    '',
    `    from ${pyModule(weightsFile)} import load`,
    '    model = load()          # the trained weights, in eval mode',
    '    model.train()           # to carry on training',
    ...(softmaxAt >= 0 ? ['    loss = torch.nn.functional.cross_entropy(model.logits(x), y)'] : []),
    '"""',
    'import json',
    'import os',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    `WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(weightsFile)})`,
    '',
    '',
    `class ${cls}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...ind(e.init.length ? e.init : ['pass'], 8),
    '',
    ...body,
    '',
    '',
    'def read_safetensors(path):',
    '    """A dict of tensors from a safetensors file (8-byte header size, JSON header, raw data)."""',
    "    dtypes = {'F32': torch.float32, 'I64': torch.int64}",
    "    with open(path, 'rb') as f:",
    '        raw = f.read()',
    "    size = int.from_bytes(raw[:8], 'little')",
    '    header = json.loads(raw[8:8 + size])',
    "    header.pop('__metadata__', None)",
    '    data = bytearray(raw[8 + size:])',
    '    out = {}',
    '    for name, t in header.items():',
    "        start, end = t['data_offsets']",
    "        out[name] = torch.frombuffer(data[start:end], dtype=dtypes[t['dtype']]).reshape(t['shape']).clone()",
    '    return out',
    '',
    '',
    'def load(path=WEIGHTS):',
    `    model = ${cls}()`,
    '    model.load_state_dict(read_safetensors(path))',
    '    return model.eval()',
    '',
  ].join('\n');
  const weights = safetensorsBytes(e.tensors, { format: 'pt', producer: 'convbook', model: net.spec.name });
  return { source, weights, className: cls };
}

function pyModule(file: string): string {
  return file.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
}
