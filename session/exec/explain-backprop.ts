// The backward forms of explain, from a real backward pass on one example: a conv weight's gradient as the
// weight-sharing sum of δ·h over the output positions (6a), a conv input unit's as the sum of δ·w over
// the kernel positions that reach it (6j), and a pooling unit's error routed to its winner or spread evenly.
import type { ExplainSpec, SourceRange } from '../../dsl/program.js';
import type { ExplainBlock, Explanation, SumTerm } from '../../render/explain.js';
import { StatementError } from '../errors.js';
import type { SessionState } from '../state.js';
import { actSlope, checkAt, padded, probe, traced, windowOf, type Probe } from './explain-probe.js';
import { MAX_LISTED } from './explain-pool.js';

type Spec = Extract<ExplainSpec, { form: 'gradient' }>;
const sumOf = (terms: SumTerm[]) => terms.reduce((a, t) => a + t.value, 0);
const plane = (x: Float64Array, c: number, h: number, w: number) => x.subarray(c * h * w, (c + 1) * h * w);

/** δ = ∂L/∂z of a conv layer: the traced ∂L/∂y times the activation's slope at the unit. */
function deltas(p: Probe): Float64Array {
  const l = p.layer;
  const g = traced(p, l.name);
  const fn = l.kind === 'conv2d' ? l.activation : 'linear';
  return g.map((v, k) => v * actSlope(fn, p.y[k]));
}

export function explainGradient(s: Spec, state: SessionState, range: SourceRange): Explanation {
  const p = probe(state, s.model, s.layer, s.image, range, true);
  if (s.of === 'pool') return poolGradient(s, p, range);
  if (p.layer.kind !== 'conv2d') throw new StatementError(`${s.layer} is not a conv layer`, range);
  return s.of === 'weight' ? weightGradient(s, p, range) : inputGradient(s, p, range);
}

const actNote = (p: Probe) =>
  p.layer.kind === 'conv2d'
    ? `δ = ∂L/∂y · ${p.layer.activation}′(z), from the traced backward pass (loss ${p.entry.spec.loss} against label ${p.label})`
    : '';

function weightGradient(s: Spec, p: Probe, range: SourceRange): Explanation {
  const win = windowOf(p.layer);
  const { c: C } = p.inShape;
  const { c: F, h: Ho, w: Wo } = p.outShape;
  const { map: f, channel: c, row: a, col: b } = s.at;
  checkAt(s.at, { map: F, channel: C, row: win.kh, col: win.kw }, `${s.layer}.weight (${F}×${C}×${win.kh}×${win.kw})`, range);
  const d = deltas(p);
  const terms: SumTerm[] = [];
  for (let i = 0; i < Ho; i++) {
    for (let j = 0; j < Wo; j++) {
      const hv = padded(p.h, p.inShape, c, i * win.sh + a - win.top, j * win.sw + b - win.left, win.replicate) ?? 0;
      const dv = d[(f * Ho + i) * Wo + j];
      if (dv * hv !== 0)
        terms.push({
          label: `δ[${f},${i},${j}]·h[${c},${i * win.sh + a - win.top},${j * win.sw + b - win.left}]`,
          factors: [dv, hv],
          value: dv * hv,
        });
    }
  }
  const w = p.net.params.find((q) => q.name === `${s.layer}.weight`)!;
  const runtime = w.grad[((f * C + c) * win.kh + a) * win.kw + b];
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `One weight is used at every one of the ${Ho}×${Wo} output positions (weight sharing), so its gradient sums one term per position. ${actNote(p)}.`,
    },
    {
      kind: 'sum',
      title: 'equation 6a, nonzero terms',
      lhs: `∂L/∂w[${f},${c},${a},${b}]`,
      terms,
      total: sumOf(terms),
      zeros: Ho * Wo - terms.length,
      zeroWhy: `δ = 0 (the unit's ${p.layer.kind === 'conv2d' ? p.layer.activation : ''} is off, or no error reaches it) or h = 0 (or padding)`,
    },
    {
      kind: 'check',
      what: `∂L/∂w[${f},${c},${a},${b}]`,
      worked: sumOf(terms),
      workedIn: 'float64',
      runtime,
      runtimeIn: "float32, the runtime's backward",
    },
    {
      kind: 'picture',
      caption: `left: δ of map ${f} (blue negative, red positive); right: ${p.inputName} channel ${c}, the input the weight multiplies`,
      panels: [
        { data: plane(d, f, Ho, Wo), h: Ho, w: Wo, cmap: 'bwr', scale: 'symmetric' },
        { data: plane(p.h, c, p.inShape.h, p.inShape.w), h: p.inShape.h, w: p.inShape.w, cmap: 'gray', scale: 'minmax', pad: win },
      ],
    },
  ];
  return {
    title: `gradient of ${s.model}.${s.layer}.weight[${f},${c},${a},${b}] on ${p.what}`,
    equation: [
      `∂L/∂w[f,c,a,b] = Σ_i Σ_j δ[f,i,j] · h[c, i·${win.sh} + a − ${win.top}, j·${win.sw} + b − ${win.left}]   (6a)`,
      'δ[f,i,j] = ∂L/∂z[f,i,j]: the error at the unit, before its activation',
    ],
    blocks,
  };
}

function inputGradient(s: Spec, p: Probe, range: SourceRange): Explanation {
  const win = windowOf(p.layer);
  const { c: C, h: H, w: W } = p.inShape;
  const { c: F, h: Ho, w: Wo } = p.outShape;
  const { channel: c, row: r, col: q } = s.at;
  checkAt(s.at, { channel: C, row: H, col: W }, `the input of ${s.layer} (${C}×${H}×${W})`, range);
  if (win.replicate)
    throw new StatementError(
      `${s.layer} repeats its edge pixels as padding, so border inputs are read several times; explain gradient … .input covers zero padding only`,
      range,
    );
  const d = deltas(p);
  const wv = p.net.params.find((x) => x.name === `${s.layer}.weight`)!.value;
  const terms: SumTerm[] = [];
  let reaching = 0;
  for (let f = 0; f < F; f++) {
    for (let a = 0; a < win.kh; a++) {
      for (let b = 0; b < win.kw; b++) {
        // Output (i, j) reads input row i·S + a − top: the unit is reached when that lands on (r, q).
        const ni = r + win.top - a,
          nj = q + win.left - b;
        if (ni % win.sh !== 0 || nj % win.sw !== 0) continue;
        const i = ni / win.sh,
          j = nj / win.sw;
        if (i < 0 || j < 0 || i >= Ho || j >= Wo) continue;
        reaching++;
        const dv = d[(f * Ho + i) * Wo + j];
        const w = wv[((f * C + c) * win.kh + a) * win.kw + b];
        if (dv * w !== 0) terms.push({ label: `δ[${f},${i},${j}]·w[${f},${c},${a},${b}]`, factors: [dv, w], value: dv * w });
      }
    }
  }
  const runtime = traced(p, p.inputName)[(c * H + r) * W + q];
  return {
    title: `gradient of the input of ${s.model}.${s.layer} (${p.inputName}) at channel ${c}, row ${r}, col ${q}, on ${p.what}`,
    equation: [
      `∂L/∂h[c,p,q] = Σ_f Σ_(a,b) δ[f, (p + ${win.top} − a)/${win.sh}, (q + ${win.left} − b)/${win.sw}] · w[f,c,a,b]   (6j; only the kernel positions whose output lands on the grid)`,
    ],
    blocks: [
      { kind: 'text', text: `${reaching} (filter, kernel position) pairs reach this input unit. ${actNote(p)}.` },
      {
        kind: 'sum',
        title: 'equation 6j, nonzero terms',
        lhs: `∂L/∂h[${c},${r},${q}]`,
        terms,
        total: sumOf(terms),
        zeros: reaching - terms.length,
        zeroWhy: 'δ = 0 there (unit off, or no error reaches it)',
      },
      {
        kind: 'check',
        what: `∂L/∂h[${c},${r},${q}]`,
        worked: sumOf(terms),
        workedIn: 'float64',
        runtime,
        runtimeIn: "float32, the runtime's backward",
      },
    ],
  };
}

function poolGradient(s: Spec, p: Probe, range: SourceRange): Explanation {
  const l = p.layer;
  const win = windowOf(l, p.inShape);
  const isGlobal = l.kind === 'globalavgpool';
  const n = win.kh * win.kw;
  const { c: C, h: H, w: W } = p.inShape;
  const { h: Ho, w: Wo } = p.outShape;
  const { map: c, row: i, col: j } = s.at;
  checkAt(s.at, { map: C, row: Ho, col: Wo }, `${s.layer} (${C}×${Ho}×${Wo})`, range);
  const gOut = traced(p, s.layer);
  const dx = traced(p, p.inputName);
  const x = (r: number, q: number) => p.h[(c * H + r) * W + q];
  const isMax = l.kind === 'maxpool';
  // The winner of window (u, v), first in raster order among equals, as the runtime picks it.
  const winner = (u: number, v: number): [number, number] => {
    let best: [number, number] = [u * win.sh, v * win.sw];
    for (let a = 0; a < win.kh; a++)
      for (let b = 0; b < win.kw; b++) if (x(u * win.sh + a, v * win.sw + b) > x(best[0], best[1])) best = [u * win.sh + a, v * win.sw + b];
    return best;
  };
  const [wr, wc] = isMax ? winner(i, j) : [i * win.sh, j * win.sw];
  // Every window that covers the pixel sends it error (overlapping windows add up).
  const terms: SumTerm[] = [];
  for (let u = 0; u < Ho; u++) {
    for (let v = 0; v < Wo; v++) {
      if (wr < u * win.sh || wr >= u * win.sh + win.kh || wc < v * win.sw || wc >= v * win.sw + win.kw) continue;
      const g = gOut[(c * Ho + u) * Wo + v];
      if (isMax) {
        const [a, b] = winner(u, v);
        if (a === wr && b === wc) terms.push({ label: `∂L/∂y[${c},${u},${v}] (the winner of that window)`, value: g });
      } else
        terms.push({
          label: `∂L/∂y[${c},${u},${v}] / ${win.kh * win.kw}`,
          factors: [g, 1 / (win.kh * win.kw)],
          value: g / (win.kh * win.kw),
        });
    }
  }
  const g = gOut[(c * Ho + i) * Wo + j];
  const rows = Array.from({ length: win.kh }, (_, a) => Array.from({ length: win.kw }, (_, b) => x(i * win.sh + a, j * win.sw + b)));
  const drows = Array.from({ length: win.kh }, (_, a) =>
    Array.from({ length: win.kw }, (_, b) => dx[(c * H + i * win.sh + a) * W + j * win.sw + b]),
  );
  const listed = n <= MAX_LISTED;
  const blocks: ExplainBlock[] = [
    {
      kind: 'text',
      text: `∂L/∂y at ${s.layer} (${c}, ${i}, ${j}) = ${Number(g.toPrecision(6))}, from the traced backward pass on ${p.what}.`,
    },
  ];
  const marked: [number, number][] = isMax ? [[wr - i * win.sh, wc - j * win.sw]] : [];
  if (listed)
    blocks.push({
      kind: 'grid',
      title: `${p.inputName} window, channel ${c}, rows ${i * win.sh}..${i * win.sh + win.kh - 1}, cols ${j * win.sw}..${j * win.sw + win.kw - 1}`,
      rows,
      marked,
    });
  blocks.push({
    kind: 'text',
    text: isMax
      ? `max pooling: y = max of the window = ${Number(x(wr, wc).toPrecision(6))} at row ${wr}, col ${wc}; the whole error goes to that winner, the other ${n - 1} inputs get 0.`
      : isGlobal
        ? `global average pooling: y = the mean of all ${n} pixels of channel ${c} (its whole ${win.kh}×${win.kw} map), so every one of them gets the error divided by ${n}; shown for pixel (${wr}, ${wc}).`
        : `average pooling: y = the mean of the ${n} inputs, so each of them gets the error divided by the window size ${n}.`,
  });
  if (listed) blocks.push({ kind: 'grid', title: `the runtime's ∂L/∂${p.inputName} over the window`, rows: drows, marked });
  blocks.push(
    {
      kind: 'sum',
      title: `error reaching ${p.inputName}[${c},${wr},${wc}]`,
      lhs: `∂L/∂${p.inputName}[${c},${wr},${wc}]`,
      terms,
      total: sumOf(terms),
    },
    {
      kind: 'check',
      what: `∂L/∂${p.inputName}[${c},${wr},${wc}]`,
      worked: sumOf(terms),
      workedIn: 'float64',
      runtime: dx[(c * H + wr) * W + wc],
      runtimeIn: "float32, the runtime's backward",
    },
  );
  return {
    title: `${isMax ? 'max' : isGlobal ? 'global average' : 'average'} pooling backward at ${s.model}.${s.layer} map ${c}, row ${i}, col ${j}, on ${p.what}`,
    equation: isMax
      ? ['∂L/∂x[winner] = ∂L/∂y, ∂L/∂x = 0 for the rest of the window (summed over windows that share a winner)']
      : isGlobal
        ? [`∂L/∂x[c,a,b] = ∂L/∂y[c] / (H·W) = ∂L/∂y / ${n} for every pixel of the map`]
        : [`∂L/∂x[window] = ∂L/∂y / (Kh·Kw) = ∂L/∂y / ${n} for every input of the window`],
    blocks,
  };
}
