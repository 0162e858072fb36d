// The forward forms of explain: one conv unit (equations 5a, 5b), convolution by hand in 1-D (eq. 2) and
// 2-D (eq. 4) as correlation and as convolution with the kernel turned 180°, and a layer's output size.
// Each returns an Explanation with the runtime's value beside the worked-out one.
import { isPooling } from '../../dsl/lower-explain.js';
import type { ExplainSpec, SourceRange } from '../../dsl/program.js';
import type { ExplainBlock, Explanation, SumTerm } from '../../render/explain.js';
import { convolve1d, convolve2d, rotate180, trueConvolve1d, trueConvolve2d } from '../../runtime/filters.js';
import { samePadding } from '../../runtime/shapes.js';
import { StatementError } from '../errors.js';
import type { SessionState } from '../state.js';
import { kernelOf } from './convolve.js';
import { explainPoolUnit } from './explain-pool.js';
import { actValue, checkAt, padded, probe, windowOf } from './explain-probe.js';
import { getImage, getModel } from './names.js';

type Spec<F extends ExplainSpec['form']> = Extract<ExplainSpec, { form: F }>;

const sumOf = (terms: SumTerm[]) => terms.reduce((a, t) => a + t.value, 0);
const grid = <T extends number | null>(h: number, w: number, f: (a: number, b: number) => T): T[][] =>
  Array.from({ length: h }, (_, a) => Array.from({ length: w }, (_, b) => f(a, b)));

/** explain conv1 of digits.test[7] at map 2, row 3, col 4 */
export function explainUnit(s: Spec<'unit'>, state: SessionState, range: SourceRange): Explanation {
  const p = probe(state, s.model, s.layer, s.image, range, false);
  const l = p.layer;
  if (isPooling(l.kind)) return explainPoolUnit(s, state, range);
  if (l.kind !== 'conv2d') throw new StatementError(`${s.layer} is not a conv or pooling layer`, range);
  const { map: f, row: i, col: j } = s.at;
  checkAt(
    s.at,
    { map: p.outShape.c, row: p.outShape.h, col: p.outShape.w },
    `${s.model}.${s.layer} (${p.outShape.c}×${p.outShape.h}×${p.outShape.w})`,
    range,
  );
  const win = windowOf(l);
  const C = p.inShape.c;
  const weight = p.net.params.find((q) => q.name === `${s.layer}.weight`)!.value;
  const bias = p.net.params.find((q) => q.name === `${s.layer}.bias`)!.value[f];
  const r0 = i * win.sh - win.top;
  const c0 = j * win.sw - win.left;
  const wAt = (c: number, a: number, b: number) => weight[((f * C + c) * win.kh + a) * win.kw + b];
  const blocks: ExplainBlock[] = [];
  const partials: SumTerm[] = [];
  const shown = C <= 8 ? [...Array(C).keys()] : [];
  for (let c = 0; c < C; c++) {
    const xw = grid(win.kh, win.kw, (a, b) => padded(p.h, p.inShape, c, r0 + a, c0 + b, win.replicate));
    const prods = grid(win.kh, win.kw, (a, b) => (xw[a][b] ?? 0) * wAt(c, a, b));
    const part = prods.flat().reduce((x, v) => x + v, 0);
    partials.push({ label: `Σ over channel ${c}`, value: part });
    if (shown.includes(c)) {
      blocks.push(
        {
          kind: 'grid',
          title: `${p.inputName === 'input' ? 'image' : p.inputName} channel ${c}, window rows ${r0}..${r0 + win.kh - 1}, cols ${c0}..${c0 + win.kw - 1}`,
          rows: xw,
        },
        { kind: 'grid', title: `kernel w[${f}, ${c}] (${win.kh}×${win.kw})`, rows: grid(win.kh, win.kw, (a, b) => wAt(c, a, b)) },
        { kind: 'grid', title: `products w·x, channel ${c} (sum ${Number(part.toPrecision(6))})`, rows: prods },
      );
    }
  }
  if (shown.length < C)
    blocks.push({
      kind: 'text',
      text: `${C} input channels: the sum below lists each channel's partial sum of its ${win.kh * win.kw} products.`,
    });
  const terms = [...partials, { label: `bias b[${f}]`, value: bias }];
  const z = sumOf(terms);
  const a = actValue(l.activation, z);
  const runtime = p.y[(f * p.outShape.h + i) * p.outShape.w + j];
  const padWords =
    win.top + win.bottom + win.left + win.right === 0
      ? 'no padding'
      : `padding top ${win.top}, bottom ${win.bottom}, left ${win.left}, right ${win.right} (${win.replicate ? 'edge pixels repeated' : "zeros, shown as 'pad'"})`;
  blocks.unshift({
    kind: 'text',
    text: `The unit at row ${i}, col ${j} reads the ${win.kh}×${win.kw} window starting at input row ${i}·${win.sh} − ${win.top} = ${r0}, col ${j}·${win.sw} − ${win.left} = ${c0} (stride ${win.sh}×${win.sw}: one output step moves the window ${win.sh} down or ${win.sw} across; ${padWords}).`,
  });
  const chan = partials.reduce((best, t, c) => (Math.abs(t.value) > Math.abs(partials[best].value) ? c : best), 0);
  blocks.push(
    { kind: 'sum', title: 'equation 5a, summed over the input maps', lhs: `z[${f},${i},${j}]`, terms, total: z },
    {
      kind: 'text',
      text: `equation 5b: y = ${l.activation}(z) = ${l.activation}(${Number(z.toPrecision(10))}) = ${Number(a.toPrecision(10))}`,
    },
    { kind: 'check', what: `${s.layer} unit (${f}, ${i}, ${j})`, worked: a, workedIn: 'float64', runtime, runtimeIn: 'float32' },
    {
      kind: 'picture',
      caption: `left: ${p.inputName === 'input' ? 'the image' : p.inputName} channel ${chan} with its padding (light blue), the window outlined in red${j + 1 < p.outShape.w ? ` and the next unit's window in orange, ${win.sw} column${win.sw > 1 ? 's' : ''} over (the stride)` : ''}; right: feature map ${f} of ${s.layer} with the unit outlined`,
      panels: [
        {
          data: p.h.subarray(chan * p.inShape.h * p.inShape.w, (chan + 1) * p.inShape.h * p.inShape.w),
          h: p.inShape.h,
          w: p.inShape.w,
          cmap: 'gray',
          scale: 'minmax',
          pad: win,
          rect: { row: i * win.sh, col: j * win.sw, h: win.kh, w: win.kw },
          ...(j + 1 < p.outShape.w ? { next: { row: i * win.sh, col: (j + 1) * win.sw, h: win.kh, w: win.kw } } : {}),
        },
        {
          data: p.y.subarray(f * p.outShape.h * p.outShape.w, (f + 1) * p.outShape.h * p.outShape.w),
          h: p.outShape.h,
          w: p.outShape.w,
          cmap: 'viridis',
          scale: 'minmax',
          rect: { row: i, col: j, h: 1, w: 1 },
        },
      ],
    },
  );
  return {
    title: `${s.model}.${s.layer} of ${p.what} at map ${f}, row ${i}, col ${j}`,
    equation: [
      `z[f,i,j] = Σ_c Σ_a Σ_b w[f,c,a,b] · x[c, i·${win.sh} + a − ${win.top}, j·${win.sw} + b − ${win.left}] + b[f]   (5a: correlation, the kernel is not flipped)`,
      `y[f,i,j] = ${l.activation}(z[f,i,j])   (5b)`,
    ],
    blocks,
  };
}

/** explain convolve [1, 2, 3, 4, 5] with [1, 0, -1] at 1 */
export function explainConvolve1d(s: Spec<'convolve1d'>): Explanation {
  const { series: x, kernel: w, index: i } = s;
  const K = w.length;
  const corr = w.map((wk, k): SumTerm => ({ label: `x[${i + k}]·w[${k}]`, factors: [x[i + k], wk], value: x[i + k] * wk }));
  const conv = w.map((_, k): SumTerm => ({
    label: `x[${i + k}]·w[${K - 1 - k}]`,
    factors: [x[i + k], w[K - 1 - k]],
    value: x[i + k] * w[K - 1 - k],
  }));
  return {
    title: `1-D convolution at position ${i}: series of ${x.length}, kernel of ${K}`,
    equation: [
      `correlation (what the layers compute): s[i] = Σ_k x[i + k]·w[k]   (equation 2)`,
      `convolution: (x * w)[i] = Σ_k x[i + k]·w[K − 1 − k], the kernel reversed (turned 180°)`,
    ],
    blocks: [
      { kind: 'text', text: `series x = [${x.join(', ')}]; kernel w = [${w.join(', ')}]; reversed [${[...w].reverse().join(', ')}]` },
      { kind: 'sum', title: 'correlation', lhs: `s[${i}]`, terms: corr, total: sumOf(corr) },
      { kind: 'check', what: 'correlation', worked: sumOf(corr), workedIn: 'float64', runtime: convolve1d(x, w)[i], runtimeIn: 'float32' },
      { kind: 'sum', title: 'convolution (kernel reversed)', lhs: `(x * w)[${i}]`, terms: conv, total: sumOf(conv) },
      {
        kind: 'check',
        what: 'convolution',
        worked: sumOf(conv),
        workedIn: 'float64',
        runtime: trueConvolve1d(x, w)[i],
        runtimeIn: 'float32',
      },
    ],
  };
}

/** explain convolve digits.test[7] with sobel_x at row 3, col 4 */
export function explainConvolve2d(s: Spec<'convolve2d'>, state: SessionState, range: SourceRange): Explanation {
  const img = getImage(state, s.image, range);
  const { kernel: k, name } = kernelOf(s.filter);
  const { h, w } = img.shape;
  const ho = h - k.h + 1,
    wo = w - k.w + 1;
  checkAt(s.at, { row: ho, col: wo }, `the valid ${name} result (${ho}×${wo})`, range);
  const { row: i, col: j } = s.at;
  const x = (a: number, b: number) => img.data[(i + a) * w + j + b];
  const rot = rotate180(k);
  const termsFor = (kd: Float32Array): SumTerm[] =>
    Array.from({ length: k.h * k.w }, (_, n) => {
      const a = Math.floor(n / k.w),
        b = n % k.w;
      return { label: `I[${i + a},${j + b}]·K[${a},${b}]`, factors: [x(a, b), kd[n]], value: x(a, b) * kd[n] };
    }).filter((t) => t.value !== 0);
  const corr = termsFor(k.data),
    conv = termsFor(rot.data);
  const nz = (t: SumTerm[]) => k.h * k.w - t.length;
  const at = (r: { data: Float32Array; shape: { h: number; w: number } }) => r.data[i * r.shape.w + j];
  const kg = (d: Float32Array) => grid(k.h, k.w, (a, b) => d[a * k.w + b]);
  return {
    title: `${name} on ${s.image.data}.${s.image.split}[${s.image.index}] at row ${i}, col ${j}`,
    equation: [
      `correlation: S[i,j] = Σ_a Σ_b I[i + a, j + b]·K[a,b]   (equation 4, what convolve and the layers compute)`,
      `convolution: (I * K)[i,j] = Σ_a Σ_b I[i + a, j + b]·K[Kh−1−a, Kw−1−b] = correlation with K turned 180°`,
    ],
    blocks: [
      { kind: 'grid', title: `image window rows ${i}..${i + k.h - 1}, cols ${j}..${j + k.w - 1}`, rows: grid(k.h, k.w, x) },
      { kind: 'grid', title: `kernel K (${name})`, rows: kg(k.data) },
      { kind: 'grid', title: 'K turned 180° (flipped in both axes)', rows: kg(rot.data) },
      {
        kind: 'sum',
        title: 'correlation, nonzero terms',
        lhs: `S[${i},${j}]`,
        terms: corr,
        total: sumOf(corr),
        zeros: nz(corr),
        zeroWhy: 'a 0 pixel or a 0 weight',
      },
      {
        kind: 'check',
        what: 'correlation',
        worked: sumOf(corr),
        workedIn: 'float64',
        runtime: at(convolve2d({ data: img.data, shape: img.shape }, k)),
        runtimeIn: 'float32',
      },
      {
        kind: 'sum',
        title: 'convolution (K turned 180°), nonzero terms',
        lhs: `(I * K)[${i},${j}]`,
        terms: conv,
        total: sumOf(conv),
        zeros: nz(conv),
        zeroWhy: 'a 0 pixel or a 0 weight',
      },
      {
        kind: 'check',
        what: 'convolution',
        worked: sumOf(conv),
        workedIn: 'float64',
        runtime: at(trueConvolve2d({ data: img.data, shape: img.shape }, k)),
        runtimeIn: 'float32',
      },
      {
        kind: 'picture',
        caption: `the image with the ${k.h}×${k.w} window outlined, the kernel, and the kernel turned 180°`,
        panels: [
          { data: img.data.subarray(0, h * w), h, w, cmap: 'gray', scale: 'minmax', rect: { row: i, col: j, h: k.h, w: k.w } },
          { data: k.data, h: k.h, w: k.w, cmap: 'bwr', scale: 'symmetric' },
          { data: rot.data, h: k.h, w: k.w, cmap: 'bwr', scale: 'symmetric' },
        ],
      },
    ],
  };
}

/** explain size lenet.conv1 */
export function explainSize(s: Spec<'size'>, state: SessionState, range: SourceRange): Explanation {
  const entry = getModel(state, s.model, range);
  const index = entry.spec.layers.findIndex((l) => l.name === s.layer);
  const l = entry.spec.layers[index];
  if (l === undefined || (l.kind !== 'conv2d' && !isPooling(l.kind)))
    throw new StatementError(`${s.layer} is not a conv or pooling layer`, range);
  const inShape = index === 0 ? entry.spec.input : entry.net.info[index - 1].out;
  const out = entry.net.info[index].out;
  const win = windowOf(l, inShape);
  const axis = (n: number, k: number, st: number, a: number, b: number, name: string, on: string) => {
    const value = Math.floor((n + a + b - k) / st) + 1;
    const rem = (n + a + b - k) % st;
    return {
      value,
      line: `${name} = floor((${on} + ${a} + ${b} − ${k}) / ${st}) + 1 = floor(${n + a + b - k} / ${st}) + 1 = ${value}${rem ? ` (the stride leaves ${rem} row${rem > 1 ? 's' : ''} or column${rem > 1 ? 's' : ''} unused: round floor)` : ''}`,
    };
  };
  const hh = axis(inShape.h, win.kh, win.sh, win.top, win.bottom, 'Ho', `H ${inShape.h}`);
  const ww = axis(inShape.w, win.kw, win.sw, win.left, win.right, 'Wo', `W ${inShape.w}`);
  const same = samePadding(inShape.h, inShape.w, [win.kh, win.kw], [win.sh, win.sw]);
  const isSame =
    l.kind === 'conv2d' &&
    same.top === win.top &&
    same.bottom === win.bottom &&
    same.left === win.left &&
    same.right === win.right &&
    same.top + same.bottom + same.left + same.right > 0;
  const totH = same.top + same.bottom,
    totW = same.left + same.right;
  const sameText =
    `'same' pads so that Ho = ceil(H/S): in total max((ceil(${inShape.h}/${win.sh}) − 1)·${win.sh} + ${win.kh} − ${inShape.h}, 0) = ${totH} row${totH === 1 ? '' : 's'}, ` +
    `top floor(${totH}/2) = ${same.top}, bottom the rest ${same.bottom} (the odd pixel goes bottom/right); columns ${totW}: left ${same.left}, right ${same.right}. ` +
    (isSame
      ? `${s.layer} pads exactly that, so it keeps ceil(H/S) = ${Math.ceil(inShape.h / win.sh)} rows.`
      : l.kind === 'conv2d'
        ? `${s.layer} pads top ${win.top}, bottom ${win.bottom}, left ${win.left}, right ${win.right} instead.`
        : l.kind === 'globalavgpool'
          ? `Global average pooling does not pad: its window is the whole ${inShape.h}×${inShape.w} input map and its stride the same, so Ho = Wo = 1 whatever the input size.`
          : 'Pooling layers do not pad.');
  return {
    title: `output size of ${s.model}.${s.layer} (${l.kind}, input ${inShape.c}×${inShape.h}×${inShape.w})`,
    equation: ['Ho = floor((H + pad_top + pad_bottom − Kh) / Sh) + 1,   Wo = floor((W + pad_left + pad_right − Kw) / Sw) + 1'],
    blocks: [
      {
        kind: 'text',
        text: `H = ${inShape.h}, W = ${inShape.w}, K = ${win.kh}×${win.kw}, S = ${win.sh}×${win.sw}, pads top ${win.top}, bottom ${win.bottom}, left ${win.left}, right ${win.right}`,
      },
      { kind: 'text', text: hh.line },
      { kind: 'text', text: ww.line },
      {
        kind: 'text',
        text: `channels: ${l.kind === 'conv2d' ? `one per filter, ${l.filters}` : `pooling keeps the ${inShape.c} channels`}`,
      },
      { kind: 'text', text: sameText },
      { kind: 'check', what: 'Ho', worked: hh.value, workedIn: 'the formula', runtime: out.h, runtimeIn: "the runtime's shape" },
      { kind: 'check', what: 'Wo', worked: ww.value, workedIn: 'the formula', runtime: out.w, runtimeIn: "the runtime's shape" },
    ],
  };
}
