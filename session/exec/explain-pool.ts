// The unit form of explain on a pooling layer: the window it reads (for global average pooling, the whole
// map), the maximum (with its winner marked) or the mean written as a sum, and the runtime's value for that unit.
import type { ExplainSpec, SourceRange } from '../../dsl/program.js';
import type { Explanation, SumTerm } from '../../render/explain.js';
import type { SessionState } from '../state.js';
import { checkAt, probe, windowOf } from './explain-probe.js';

/** Windows of more cells than this are summarised in words; the picture shows them whole. */
export const MAX_LISTED = 64;

type Spec = Extract<ExplainSpec, { form: 'unit' }>;

export function explainPoolUnit(s: Spec, state: SessionState, range: SourceRange): Explanation {
  const p = probe(state, s.model, s.layer, s.image, range, false);
  const win = windowOf(p.layer, p.inShape);
  const isGlobal = p.layer.kind === 'globalavgpool';
  const { c: C, h: H, w: W } = p.inShape;
  const { h: Ho, w: Wo } = p.outShape;
  const { map: c, row: i, col: j } = s.at;
  checkAt(s.at, { map: C, row: Ho, col: Wo }, `${s.model}.${s.layer} (${C}×${Ho}×${Wo})`, range);
  const r0 = i * win.sh,
    c0 = j * win.sw;
  const x = (a: number, b: number) => p.h[(c * H + r0 + a) * W + c0 + b];
  const rows = Array.from({ length: win.kh }, (_, a) => Array.from({ length: win.kw }, (_, b) => x(a, b)));
  const isMax = p.layer.kind === 'maxpool';
  let best: [number, number] = [0, 0];
  for (let a = 0; a < win.kh; a++) for (let b = 0; b < win.kw; b++) if (x(a, b) > x(best[0], best[1])) best = [a, b];
  const n = win.kh * win.kw;
  const terms: SumTerm[] = rows
    .flat()
    .map((v, k) => ({ label: `x[${c},${r0 + Math.floor(k / win.kw)},${c0 + (k % win.kw)}] / ${n}`, factors: [v, 1 / n], value: v / n }));
  const listed = n <= MAX_LISTED;
  const sumAll = rows.flat().reduce((a, v) => a + v, 0);
  const worked = isMax ? x(best[0], best[1]) : listed ? terms.reduce((a, t) => a + t.value, 0) : sumAll / n;
  const runtime = p.y[(c * Ho + i) * Wo + j];
  const input = p.inputName === 'input' ? 'the image' : p.inputName;
  return {
    title: `${s.model}.${s.layer} (${isMax ? 'max' : isGlobal ? 'global average' : 'average'} pooling) of ${p.what} at map ${c}, row ${i}, col ${j}`,
    equation: [
      isMax
        ? `y[c,i,j] = max over a < ${win.kh}, b < ${win.kw} of x[c, i·${win.sh} + a, j·${win.sw} + b]`
        : isGlobal
          ? `y[c] = (1/(H·W)) · Σ_a Σ_b x[c, a, b] = (1/${n}) · Σ over the ${win.kh}×${win.kw} map`
          : `y[c,i,j] = (1/${n}) · Σ_a Σ_b x[c, i·${win.sh} + a, j·${win.sw} + b]`,
    ],
    blocks: [
      {
        kind: 'text',
        text: isGlobal
          ? `The unit reads all of ${input}, channel ${c}: its whole ${win.kh}×${win.kw} map, ${n} values (global average pooling has no window of its own; one output per channel).`
          : `The unit reads the ${win.kh}×${win.kw} window of ${input}, channel ${c}, at rows ${r0}..${r0 + win.kh - 1}, cols ${c0}..${c0 + win.kw - 1} (stride ${win.sh}×${win.sw}; pooling does not pad).`,
      },
      ...(listed ? [{ kind: 'grid' as const, title: `${input} window`, rows, ...(isMax ? { marked: [best] } : {}) }] : []),
      isMax
        ? {
            kind: 'text',
            text: `the largest value is ${Number(worked.toPrecision(10))} at row ${r0 + best[0]}, col ${c0 + best[1]} (the first in reading order among equals): the winner, which alone receives this unit's error in the backward pass.`,
          }
        : listed
          ? isGlobal
            ? // A whole map after ReLU is mostly zeros: list the others and count these.
              {
                kind: 'sum',
                title: 'the mean',
                lhs: `y[${c},${i},${j}]`,
                terms: terms.filter((t) => t.value !== 0),
                total: worked,
                zeros: terms.filter((t) => t.value === 0).length,
              }
            : { kind: 'sum', title: 'the mean', lhs: `y[${c},${i},${j}]`, terms, total: worked }
          : {
              kind: 'text',
              text: `the ${n} values (too many to list; the picture shows them) sum to ${Number(sumAll.toPrecision(10))} in float64; divided by ${n}: y[${c},${i},${j}] = ${Number(worked.toPrecision(10))}.`,
            },
      { kind: 'check', what: `${s.layer} unit (${c}, ${i}, ${j})`, worked, workedIn: 'float64', runtime, runtimeIn: 'float32' },
      {
        kind: 'picture',
        caption: isGlobal
          ? `left: ${input} channel ${c}, all of it the window; right: the ${C} outputs of ${s.layer}, one per channel, with unit ${c} outlined`
          : `left: ${input} channel ${c} with the window outlined; right: map ${c} of ${s.layer} with the unit outlined`,
        panels: [
          {
            data: p.h.subarray(c * H * W, (c + 1) * H * W),
            h: H,
            w: W,
            cmap: p.inputName === 'input' ? 'gray' : 'viridis',
            scale: 'minmax',
            rect: { row: r0, col: c0, h: win.kh, w: win.kw },
          },
          // A global pool's map is one value: show the row of every channel's value instead.
          isGlobal
            ? { data: p.y.subarray(0, C), h: 1, w: C, cmap: 'viridis', scale: 'minmax', rect: { row: 0, col: c, h: 1, w: 1 } }
            : {
                data: p.y.subarray(c * Ho * Wo, (c + 1) * Ho * Wo),
                h: Ho,
                w: Wo,
                cmap: 'viridis',
                scale: 'minmax',
                rect: { row: i, col: j, h: 1, w: 1 },
              },
        ],
      },
    ],
  };
}
