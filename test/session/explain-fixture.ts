// One small trained session shared by the explain tests: four copies of a conv → maxpool → conv → avgpool
// → dropout → dense net, each trained briefly with other settings (momentum + weight_decay + exponential +
// early stopping; adam + l2 + power; piecewise; plateau), so every explain form has a run to read; and two
// untrained nets ending in global average pooling, over a 6×6 map (listed) and a 12×12 one (summarised).
import { compile } from '../../dsl/compile.js';
import type { ExplainSpec } from '../../dsl/program.js';
import { explain } from '../../session/exec/explain.js';
import type { ExplainBlock, Explanation } from '../../render/explain.js';
import { sessionEnv } from '../../session/state.js';
import { createHarness, type Harness } from './harness.js';

const layers = `{
  conv 4 kernel 3x3 padding same relu
  maxpool 2x2
  conv 3 kernel 3x3 relu
  avgpool 2x2
  dropout 0.5
  dense 10 softmax
}`;

export const SETUP = [
  'data digits = mnist(train: 300, test: 100, seed: 1)',
  ...['tiny', 'tiny2', 'tiny3', 'tiny4'].map((m) => `model ${m}(input: 28x28x1) ${layers}`),
  'model gap(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu as g1\n  maxpool 2x2\n  conv 3 kernel 3x3 relu as g2\n  maxpool 2x2\n  globalavgpool\n  dense 10 softmax\n}',
  'model gapwide(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu as g1\n  maxpool 2x2\n  conv 3 kernel 3x3 relu as g2\n  globalavgpool\n  dense 10 softmax\n}',
  'train tiny on digits { epochs 2  batch 20  seed 3  optimizer sgd(lr: 0.05, momentum: 0.9)  weight_decay 0.001  schedule exponential(d: 10, r: 20)  validation 0.2  early_stop every 5 steps patience 1 }',
  'train tiny2 on digits { epochs 1  batch 20  seed 4  optimizer adam(lr: 0.003)  l2 0.01  schedule power(r: 5, c: 0.5) }',
  'train tiny3 on digits { epochs 2  batch 30  optimizer sgd(lr: 0.1)  schedule piecewise(at: [1], values: [0.1, 0.01]) }',
  'train tiny4 on digits { epochs 1  batch 20  optimizer sgd(lr: 0.1)  validation 0.2  schedule plateau(every: 3, factor: 0.5, epsilon: 0.05)  eval every 3 steps }',
].join('\n');

let shared: Promise<Harness> | undefined;

/** The trained session (built once per test file). */
export function session(): Promise<Harness> {
  shared ??= (async () => {
    const h = createHarness();
    const r = await h.run(SETUP);
    if (r.error) throw new Error(`fixture failed: ${r.error.evalue}`);
    return h;
  })();
  return shared;
}

/** Compiles one explain line against the session and works it out. */
export async function explainCell(line: string): Promise<Explanation> {
  const h = await session();
  const c = compile(line, sessionEnv(h.state));
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('; '));
  const st = c.program.statements[0];
  if (st.kind !== 'explain') throw new Error(`${line} is not an explain statement`);
  return explain(st.spec as ExplainSpec, h.state, st.range);
}

export const blocksOf = <K extends ExplainBlock['kind']>(e: Explanation, kind: K) =>
  e.blocks.filter((b): b is Extract<ExplainBlock, { kind: K }> => b.kind === kind);
