// `arithmetic fused` in a train block: the reproducibility line names it, the metrics are the same on 1 and
// 2 workers (and differ from portable where the CPU has FMA), later evaluate statements keep it, a saved
// model brings it back when loaded, and a wrong mode is refused at its token. Needs `npm run build` first.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { full } from '../../render/explain.js';
import { createNet } from '../../runtime/net.js';
import { createHarness, streamText, type Harness } from './harness.js';

const DATA = 'data digits = mnist(train: 320, test: 600, seed: 1)';
const MODEL = 'model tiny(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}';
const TRAIN = (workers: number, mode = 'fused') =>
  `train tiny on digits { epochs 1  batch 32  seed 3  optimizer sgd(lr: 0.1)  workers ${workers}  arithmetic ${mode} }`;

const cpuHasFma = () => process.arch === 'arm64' || /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.state.lanes?.close();
});

async function text(h: Harness, cell: string): Promise<string> {
  const r = await h.run(cell);
  expect(r.error, cell).toBeUndefined();
  return streamText(r.outputs);
}

async function trained(workers: number, mode?: string): Promise<{ h: Harness; train: string; evaluated: string }> {
  const h = createHarness(mkdtempSync(join(tmpdir(), 'convbook-arith-')));
  open.push(h);
  await text(h, DATA);
  await text(h, MODEL);
  const train = await text(h, TRAIN(workers, mode));
  return { h, train, evaluated: await text(h, 'evaluate tiny on digits.test') };
}

const metrics = (s: string) => /metrics sha256 ([0-9a-f]{16})/.exec(s)?.[1];

describe('arithmetic fused', () => {
  it('is named in the run record, bit-identical on 1 and 2 workers, and kept by evaluate, save and load', async () => {
    const one = await trained(1);
    const two = await trained(2);
    const portable = await trained(1, 'portable');
    expect(one.train).toMatch(/convbook test, arithmetic fused \(fused multiply-add: bits can differ on another CPU\); metrics sha256/);
    expect(portable.train).not.toMatch(/arithmetic/);
    expect(metrics(one.train)).toBeDefined();
    expect(metrics(two.train)).toBe(metrics(one.train));
    expect(two.evaluated).toBe(one.evaluated);
    expect(one.h.state.models.get('tiny')!.net.arithmetic).toBe('fused');
    expect(portable.h.state.models.get('tiny')!.net.arithmetic).toBe('portable');
    if (cpuHasFma()) expect(metrics(one.train)).not.toBe(metrics(portable.train));

    // explain's "runtime" value is the model's own: computed with fused arithmetic, not portable. The unit
    // explained is one where the two arithmetics round differently (where the CPU fuses).
    const net = one.h.state.models.get('tiny')!.net;
    const d = one.h.state.data.get('digits')!;
    const image = Float32Array.from(d.test.images.subarray(7 * 784, 8 * 784), (v) => v / 255);
    const conv1 = (n: typeof net) => (n.forward(image, 1, 'eval'), n.activation('conv1').data.slice());
    const fusedMaps = conv1(net);
    const portableMaps = conv1(createNet(net.spec, { params: net.paramBuf.slice(), state: net.stateBuf.slice() }));
    const at = Math.max(
      0,
      fusedMaps.findIndex((v, i) => v !== portableMaps[i]),
    );
    if (cpuHasFma()) expect(fusedMaps[at]).not.toBe(portableMaps[at]);
    const [map, row, col] = [Math.floor(at / 784), Math.floor((at % 784) / 28), at % 28];
    const explained = await one.h.run(`explain tiny.conv1 of digits.test[7] at map ${map}, row ${row}, col ${col}`);
    expect(explained.error).toBeUndefined();
    const html = JSON.stringify(explained.outputs);
    const runtimeCell = (v: number) => `<td><code>${full(v)}</code></td>`;
    expect(html).toContain(runtimeCell(fusedMaps[at]));
    if (fusedMaps[at] !== portableMaps[at]) expect(html).not.toContain(runtimeCell(portableMaps[at]));

    await text(one.h, 'save tiny "tiny.convbook"');
    const loaded = await text(one.h, 'load again = "tiny.convbook"');
    expect(loaded).not.toMatch(/cannot run here/);
    expect(one.h.state.models.get('again')!.net.arithmetic).toBe('fused');
    expect((await text(one.h, 'evaluate again on digits.test')).replace('again', 'tiny')).toBe(one.evaluated);
  }, 120_000);

  it('refuses a mode it does not know at its token', async () => {
    const h = createHarness();
    await text(h, DATA);
    await text(h, MODEL);
    const r = await h.run('train tiny on digits { epochs 1  arithmetic fast }');
    expect(r.error?.evalue).toMatch(/fast/);
    expect(r.error?.evalue).toMatch(/portable.*fused|fused.*portable/);
    expect(r.error?.traceback.join('\n')).toMatch(/\^/);
  });
});
