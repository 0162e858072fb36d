// Every explain form against an independent float64 recomputation: the test's own loops (convolutions,
// formulas, replays of the history) or central differences of the loss through a float64 copy of the net
// (gradients without any backward pass). Each checks the printed terms add up to the printed total, that
// total equals the independent value, and the runtime's value equals it within float32 rounding.
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleImage } from '../../runtime/data/dataset.js';
import { filterKernel } from '../../runtime/filters.js';
import { createNet } from '../../runtime/net.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { Explanation } from '../../render/explain.js';
import { blocksOf, explainCell, session } from './explain-fixture.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await session();
}, 120_000);

const entry = (m: string) => h.state.models.get(m)!;
const image = (i: number) => exampleImage(h.state.data.get('digits')!, 'test', i);
const weights = (m: string, p: string) => entry(m).net.params.find((q) => q.name === p)!;
/** float32 agreement: about 7 significant digits of the larger magnitude involved. */
const close32 = (a: number, b: number, scale = Math.max(Math.abs(a), Math.abs(b), 1e-3)) =>
  expect(Math.abs(a - b)).toBeLessThan(2e-6 * scale);

/** The sum block's terms add up to its total, and the check's worked value is that total (up to the activation). */
function sumsAddUp(e: Explanation): void {
  for (const s of blocksOf(e, 'sum'))
    expect(Math.abs(s.terms.reduce((a, t) => a + t.value, 0) - s.total)).toBeLessThan(1e-12 * Math.max(1, Math.abs(s.total)));
  for (const s of blocksOf(e, 'sum'))
    for (const t of s.terms) if (t.factors) expect(t.factors.reduce((a, b) => a * b, 1)).toBeCloseTo(t.value, 14);
}

/** Cross-entropy of one example through a float64 copy of a (sub)network. */
function loss64(spec: ModelSpec, params: Float64Array, x: Float64Array, label: number): number {
  const net = createNet(spec, { params });
  const p = net.forward(x, 1, 'eval');
  return -Math.log(p[label]);
}

/** The layers from index k on, as a model of their own (its parameters are the tail of the flat buffer). */
function tail(m: string, k: number): { spec: ModelSpec; params: Float64Array; input: Float64Array } {
  const e = entry(m);
  const name = e.spec.layers[k].name;
  const firstParam = e.net.params.find((p) => e.spec.layers.findIndex((l) => l.name === p.layer) >= k)!;
  const spec: ModelSpec = { ...e.spec, input: k === 0 ? e.spec.input : e.net.info[k - 1].out, layers: e.spec.layers.slice(k) };
  const full = createNet(e.spec, { params: Float64Array.from(e.net.paramBuf) });
  full.forward(Float64Array.from(image(7).data), 1, 'eval');
  const input = Float64Array.from(full.activation(k === 0 ? 'input' : e.spec.layers[k - 1].name).data);
  void name;
  return { spec, params: Float64Array.from(e.net.paramBuf.subarray(firstParam.offset)), input };
}

const central = (f: (d: number) => number, step = 1e-5) => (f(step) - f(-step)) / (2 * step);

describe('explain unit (5a, 5b)', () => {
  it('conv1 at a unit inside the digit: the window times the kernel plus the bias, through relu', async () => {
    const e = await explainCell('explain tiny.conv1 of digits.test[7] at map 1, row 9, col 13');
    sumsAddUp(e);
    const x = image(7).data;
    const w = weights('tiny', 'conv1.weight').value;
    const b = weights('tiny', 'conv1.bias').value;
    let z = b[1];
    for (let a = 0; a < 3; a++)
      for (let c = 0; c < 3; c++) {
        const r = 9 + a - 1,
          q = 13 + c - 1;
        if (r >= 0 && q >= 0 && r < 28 && q < 28) z += x[r * 28 + q] * w[1 * 9 + a * 3 + c];
      }
    const [sum] = blocksOf(e, 'sum');
    expect(sum.total).toBeCloseTo(z, 12);
    const [check] = blocksOf(e, 'check');
    expect(check.worked).toBeCloseTo(Math.max(0, z), 12);
    close32(check.runtime, Math.max(0, z));
    // The session's own net agrees too (the explanation used a copy).
    const net = entry('tiny').net;
    net.forward(x, 1, 'eval');
    expect(net.activation('conv1').data[(1 * 28 + 9) * 28 + 13]).toBe(check.runtime);
    expect(z).not.toBe(0);
  });

  it('conv2 sums over the four input maps, each a partial sum of its nine products', async () => {
    const e = await explainCell('explain tiny.conv2 of digits.test[7] at map 2, row 4, col 5');
    sumsAddUp(e);
    const t = tail('tiny', 2);
    const w = weights('tiny', 'conv2.weight').value;
    let z = weights('tiny', 'conv2.bias').value[2];
    for (let c = 0; c < 4; c++)
      for (let a = 0; a < 3; a++)
        for (let q = 0; q < 3; q++) z += t.input[(c * 14 + 4 + a) * 14 + 5 + q] * w[((2 * 4 + c) * 3 + a) * 3 + q];
    const [sum] = blocksOf(e, 'sum');
    expect(sum.terms).toHaveLength(5);
    close32(sum.total, z);
    close32(blocksOf(e, 'check')[0].runtime, Math.max(0, z));
  });

  it('draws the window and the unit as one PNG, and names a missing coordinate in plain words', async () => {
    const e = await explainCell('explain tiny.conv1 of digits.test[7] at map 1, row 9, col 13');
    expect(blocksOf(e, 'picture')[0].panels).toHaveLength(2);
    await expect(explainCell('explain tiny.conv1 of digits.test[7] at map 9')).rejects.toThrow(
      /has map 0\.\.3, row 0\.\.27, col 0\.\.27; there is no map 9/,
    );
  });
});

describe('explain unit on pooling layers', () => {
  it('max: the largest of the window, its winner marked; average: the mean as a sum', async () => {
    const t = tail('tiny', 1);
    const win = [0, 1].flatMap((a) => [0, 1].map((b) => t.input[(2 * 28 + 10 + a) * 28 + 12 + b]));
    const mx = await explainCell('explain tiny.pool1 of digits.test[7] at map 2, row 5, col 6');
    const [c1] = blocksOf(mx, 'check');
    // The test's input comes from a float64 forward pass: equal to float32 rounding.
    close32(c1.worked, Math.max(...win));
    close32(c1.runtime, Math.max(...win));
    expect(c1.worked).toBe(c1.runtime);
    expect(blocksOf(mx, 'grid')[0].marked).toHaveLength(1);
    const t3 = tail('tiny', 3);
    const avg = [0, 1].flatMap((a) => [0, 1].map((b) => t3.input[(1 * 12 + 4 + a) * 12 + 4 + b])).reduce((a, b) => a + b, 0) / 4;
    const e = await explainCell('explain tiny.pool2 of digits.test[7] at map 1, row 2, col 2');
    sumsAddUp(e);
    const [c2] = blocksOf(e, 'check');
    close32(c2.worked, avg);
    close32(c2.runtime, avg);
  });
});

describe('explain convolve (2, 4, rotation)', () => {
  it('1-D: correlation and convolution (reversed kernel) at one position', async () => {
    const e = await explainCell('explain convolve [1, 2, 3, 4, 5] with [1, 0, -2] at 2');
    sumsAddUp(e);
    const [corr, conv] = blocksOf(e, 'check');
    expect(corr.worked).toBe(3 * 1 + 4 * 0 + 5 * -2);
    expect(conv.worked).toBe(3 * -2 + 4 * 0 + 5 * 1);
    expect(corr.runtime).toBe(corr.worked);
    expect(conv.runtime).toBe(conv.worked);
  });

  it('2-D: a named filter at one pixel, and the 180° turn', async () => {
    const e = await explainCell('explain convolve digits.test[7] with sobel_y at row 10, col 12');
    sumsAddUp(e);
    const x = image(7).data;
    const k = filterKernel('sobel_y').data;
    let corr = 0,
      conv = 0;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        corr += x[(10 + a) * 28 + 12 + b] * k[a * 3 + b];
        conv += x[(10 + a) * 28 + 12 + b] * k[(2 - a) * 3 + (2 - b)];
      }
    const [c1, c2] = blocksOf(e, 'check');
    expect(c1.worked).toBeCloseTo(corr, 12);
    expect(c2.worked).toBeCloseTo(conv, 12);
    close32(c1.runtime, corr);
    close32(c2.runtime, conv);
    expect(corr).not.toBeCloseTo(conv, 3);
  });
});

describe('explain size', () => {
  for (const [layer, H, K, S, pad, out] of [
    ['conv1', 28, 3, 1, 2, 28],
    ['conv2', 14, 3, 1, 0, 12],
    ['pool2', 12, 2, 2, 0, 6],
  ] as const) {
    it(`${layer}: floor((H + pads − K)/S) + 1`, async () => {
      const e = await explainCell(`explain size tiny.${layer}`);
      const want = Math.floor((H + pad - K) / S) + 1;
      expect(want).toBe(out);
      const [ho, wo] = blocksOf(e, 'check');
      expect([ho.worked, ho.runtime, wo.worked, wo.runtime]).toEqual([want, want, want, want]);
    });
  }
});

describe('explain gradient (6a, 6j, pooling backward)', () => {
  it('6a: the weight-sharing sum equals the runtime gradient and a float64 central difference of the loss', async () => {
    const e = await explainCell('explain gradient tiny.conv1.weight of digits.test[7] at map 1, channel 0, row 1, col 2');
    sumsAddUp(e);
    const spec = entry('tiny').spec;
    const base = Float64Array.from(entry('tiny').net.paramBuf);
    const k = weights('tiny', 'conv1.weight').offset + 1 * 9 + 1 * 3 + 2;
    const x = Float64Array.from(image(7).data);
    const fd = central((d) => {
      const p = base.slice();
      p[k] += d;
      return loss64(spec, p, x, image(7).label);
    });
    const [sum] = blocksOf(e, 'sum');
    const [check] = blocksOf(e, 'check');
    expect(sum.terms.length).toBeGreaterThan(1);
    expect(Math.abs(sum.total - fd)).toBeLessThan(1e-6 + 1e-4 * Math.abs(fd));
    close32(check.runtime, sum.total, Math.abs(fd) + 1e-3);
  });

  it('6j: an input unit of conv2 gets Σ δ·w over the kernel positions that reach it', async () => {
    const e = await explainCell('explain gradient tiny.conv2.input of digits.test[7] at channel 1, row 5, col 6');
    sumsAddUp(e);
    const t = tail('tiny', 2);
    const i = (1 * 14 + 5) * 14 + 6;
    const fd = central((d) => {
      const x = t.input.slice();
      x[i] += d;
      return loss64(t.spec, t.params, x, image(7).label);
    });
    const [sum] = blocksOf(e, 'sum');
    expect(Math.abs(sum.total - fd)).toBeLessThan(1e-6 + 1e-4 * Math.abs(fd));
    close32(blocksOf(e, 'check')[0].runtime, sum.total, Math.abs(fd) + 1e-3);
  });

  it('max pooling routes the error to the winner only; the other window inputs get nothing', async () => {
    const e = await explainCell('explain gradient tiny.pool1 of digits.test[7] at map 2, row 5, col 6');
    const t = tail('tiny', 1);
    const win = [0, 1].flatMap((a) => [0, 1].map((b) => (2 * 28 + 10 + a) * 28 + 12 + b));
    const best = win.reduce((p, q) => (t.input[q] > t.input[p] ? q : p));
    const grads = win.map((k) =>
      central((d) => {
        const x = t.input.slice();
        x[k] += d;
        return loss64(t.spec, t.params, x, image(7).label);
      }, 1e-6),
    );
    const [check] = blocksOf(e, 'check');
    expect(Math.abs(check.worked - grads[win.indexOf(best)])).toBeLessThan(1e-6 + 1e-4 * Math.abs(check.worked));
    close32(check.runtime, check.worked);
    for (const [n, k] of win.entries()) if (k !== best) expect(Math.abs(grads[n])).toBeLessThan(1e-8);
    expect(blocksOf(e, 'grid')[0].marked).toHaveLength(1);
  });

  it('average pooling divides the error by the window size', async () => {
    const e = await explainCell('explain gradient tiny.pool2 of digits.test[7] at map 1, row 2, col 2');
    const t = tail('tiny', 3);
    const k = (1 * 12 + 4) * 12 + 4;
    const fd = central((d) => {
      const x = t.input.slice();
      x[k] += d;
      return loss64(t.spec, t.params, x, image(7).label);
    });
    const [check] = blocksOf(e, 'check');
    const [sum] = blocksOf(e, 'sum');
    expect(sum.terms[0].factors?.[1]).toBe(1 / 4);
    expect(Math.abs(check.worked - fd)).toBeLessThan(1e-6 + 1e-4 * Math.abs(fd));
    close32(check.runtime, check.worked);
  });
});

/** g of one conv1 weight from a float64 central difference, and the weight itself. */
function weightAndFd(m: string, k: number): { w: number; g: number } {
  const spec = entry(m).spec;
  const base = Float64Array.from(entry(m).net.paramBuf);
  const i = weights(m, 'conv1.weight').offset + k;
  const x = Float64Array.from(image(7).data);
  const g = central((d) => {
    const p = base.slice();
    p[i] += d;
    return loss64(spec, p, x, image(7).label);
  });
  return { w: base[i], g };
}

describe('explain on global average pooling', () => {
  // gap: conv → pool → conv → pool → globalavgpool over a 6×6 map; gapwide: over conv2's 12×12 map.
  const mapOf = (m: string, k: number, c: number) => {
    const t = tail(m, k);
    const { h, w } = t.spec.input;
    return { t, map: t.input.subarray(c * h * w, (c + 1) * h * w) };
  };
  const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;

  it('unit: the mean of the whole map, listed (zeros counted) or summarised, equal to the runtime', async () => {
    const small = mapOf('gap', 4, 2);
    const e = await explainCell('explain gap.gap1 of digits.test[7] at map 2, row 0, col 0');
    sumsAddUp(e);
    const [sum] = blocksOf(e, 'sum');
    expect(sum.terms.length + (sum.zeros ?? 0)).toBe(36);
    expect(sum.terms.every((t) => t.value !== 0)).toBe(true);
    const [c1] = blocksOf(e, 'check');
    close32(c1.worked, mean(small.map));
    close32(c1.runtime, mean(small.map));
    const wide = mapOf('gapwide', 3, 1);
    const w = await explainCell('explain gapwide.gap1 of digits.test[7] at map 1, row 0, col 0');
    expect(blocksOf(w, 'grid')).toHaveLength(0);
    expect(blocksOf(w, 'sum')).toHaveLength(0);
    const [c2] = blocksOf(w, 'check');
    close32(c2.worked, mean(wide.map));
    close32(c2.runtime, c2.worked);
  });

  it('size: a window and a stride as large as the map give one value per channel', async () => {
    const e = await explainCell('explain size gapwide.gap1');
    expect(blocksOf(e, 'check').map((c) => [c.worked, c.runtime])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(blocksOf(e, 'text').some((b) => b.text.includes('K = 12×12, S = 12×12'))).toBe(true);
  });

  it('gradient: every pixel gets ∂L/∂y / (H·W), as a float64 central difference says', async () => {
    for (const [m, k, c, hw] of [
      ['gap', 4, 2, 36],
      ['gapwide', 3, 1, 144],
    ] as const) {
      const e = await explainCell(`explain gradient ${m}.gap1 of digits.test[7] at map ${c}, row 0, col 0`);
      const t = tail(m, k);
      const { h, w } = t.spec.input;
      const fd = central((d) => {
        const x = t.input.slice();
        x[c * h * w] += d;
        return loss64(t.spec, t.params, x, image(7).label);
      });
      const [sum] = blocksOf(e, 'sum');
      expect(sum.terms).toHaveLength(1);
      expect(sum.terms[0].factors?.[1]).toBe(1 / hw);
      const [check] = blocksOf(e, 'check');
      expect(Math.abs(check.worked - fd)).toBeLessThan(1e-6 + 1e-4 * Math.abs(fd));
      close32(check.runtime, check.worked);
    }
  });

  it('is refused, in plain words, by the forms that take a conv layer', async () => {
    await expect(explainCell('explain step gap.gap1 of digits.test[7] at map 0, channel 0, row 0, col 0')).rejects.toThrow(
      /gap1 is a globalavgpool layer; explain step takes a conv layer/,
    );
  });
});

describe('explain weight_decay (8–10)', () => {
  it('decoupled: w ← β(w − ηg) with β = 1 − λ, this run η = 0.05, λ = 0.001', async () => {
    const e = await explainCell('explain weight_decay tiny.conv1 of digits.test[7] at map 0, channel 0, row 1, col 1');
    const { w, g } = weightAndFd('tiny', 4);
    const want = (1 - 0.001) * (w - 0.05 * g);
    const [check] = blocksOf(e, 'check');
    expect(Math.abs(check.worked - want)).toBeLessThan(1e-8);
    close32(check.runtime, want);
  });

  it('l2: w ← (1 − ηλ)w − ηg, this run η = 0.003, λ = 0.01', async () => {
    const e = await explainCell('explain weight_decay tiny2.conv1 of digits.test[7] at map 0, channel 0, row 1, col 1');
    const { w, g } = weightAndFd('tiny2', 4);
    const want = (1 - 0.003 * 0.01) * w - 0.003 * g;
    const [check] = blocksOf(e, 'check');
    expect(Math.abs(check.worked - want)).toBeLessThan(1e-8);
    close32(check.runtime, want);
  });

  it('a run without decay is told how to add it', async () => {
    await expect(explainCell('explain weight_decay tiny3.conv1 of digits.test[7]')).rejects.toThrow(
      /used no weight decay; add weight_decay 0\.0005/,
    );
  });
});

describe('explain step (13, 14, Adam)', () => {
  it('two steps of each optimizer with the same gradient, as the equations say', async () => {
    const e = await explainCell('explain step tiny.conv1 of digits.test[7] at map 0, channel 0, row 1, col 1');
    const { w, g } = weightAndFd('tiny', 4);
    const lr = 0.05,
      mu = 0.9;
    const v1 = -lr * g,
      v2 = mu * v1 - lr * g;
    const momentum = w + v1 + v2;
    const nesterov = w + (mu * v1 - lr * g) + (mu * v2 - lr * g);
    const m1 = 0.1 * g,
      m2 = 0.9 * m1 + 0.1 * g,
      s1 = 0.001 * g * g,
      s2 = 0.999 * s1 + 0.001 * g * g;
    const a1 = w - (lr * (m1 / 0.1)) / (Math.sqrt(s1 / 0.001) + 1e-8);
    const adam = a1 - (lr * (m2 / (1 - 0.81))) / (Math.sqrt(s2 / (1 - 0.999 ** 2)) + 1e-8);
    const checks = blocksOf(e, 'check');
    expect(checks.map((c) => c.what)).toEqual(['momentum after step 2', 'Nesterov after step 2', 'Adam after step 2']);
    [momentum, nesterov, adam].forEach((want, i) => {
      expect(Math.abs(checks[i].worked - want)).toBeLessThan(1e-7);
      close32(checks[i].runtime, want);
    });
    expect(Math.abs(a1 - w)).toBeCloseTo(lr, 4);
  });
});

describe('explain dropout', () => {
  it('C(n, k) for the 108 units of dropout1 and 2^n in all, the peak at n/2', async () => {
    const e = await explainCell('explain dropout tiny.dropout1');
    const n = 3 * 6 * 6;
    const choose64 = (k: number) => Array.from({ length: k }, (_, i) => (n - k + i + 1) / (i + 1)).reduce((a, b) => a * b, 1);
    const [table] = blocksOf(e, 'table');
    for (const [k, , shown] of table.rows) {
      const v = choose64(Number(k));
      if (v < 1e15) expect(Number(shown)).toBe(Math.round(v));
      else expect(Number(shown.split(' ')[0]) / v).toBeCloseTo(1, 5);
    }
    expect(table.rows.map((r) => r[0])).toContain(String(n / 2));
    const [check] = blocksOf(e, 'check');
    expect(check.worked / 2 ** n).toBeCloseTo(1, 12);
    expect(check.runtime).toBe(2 ** n);
  });
});

describe('explain early_stop', () => {
  it("replays the run's checks to the snapshot the loop restored", async () => {
    const e = await explainCell('explain early_stop tiny');
    const run = entry('tiny').runs.at(-1)!;
    const hist = run.history as { evals: { step: number; val?: { loss: number } }[]; earlyStop?: { step: number; bestStep?: number } };
    let best = Infinity,
      bestStep = -1,
      bad = 0,
      stop = -1;
    for (const ev of hist.evals.filter((x) => x.step > 0 && x.step % 5 === 0)) {
      if (ev.val!.loss < best) [best, bestStep, bad] = [ev.val!.loss, ev.step, 0];
      else if (++bad >= 1) {
        stop = ev.step;
        break;
      }
    }
    const checks = blocksOf(e, 'check');
    expect(checks[0].worked).toBe(bestStep);
    expect(checks[0].runtime).toBe(bestStep);
    expect(stop).toBeGreaterThan(0);
    expect(checks[1]).toMatchObject({ worked: stop, runtime: stop });
    expect(hist.earlyStop?.bestStep).toBe(bestStep);
  });
});

describe('explain schedule', () => {
  const recorded = (m: string, t: number) => (entry(m).runs.at(-1)!.history as { steps: { lr: number }[] }).steps[t].lr;
  // tiny3 trains 10 steps an epoch, so its piecewise drop (boundary epoch 1) comes at step 10.
  const cases: [string, string, (t: number) => number, number][] = [
    ['tiny', 'exponential', (t) => 0.05 * 10 ** (-t / 20), 9],
    ['tiny2', 'power', (t) => 0.003 * (1 + t / 5) ** -0.5, 12],
    ['tiny3', 'piecewise', (t) => (t < 10 ? 0.1 : 0.01), 12],
  ];
  for (const [m, kind, f, last] of cases) {
    it(`${kind}: the formula at some steps equals what training used`, async () => {
      const e = await explainCell(`explain schedule ${m} at 0, 5, ${last}`);
      const [table] = blocksOf(e, 'table');
      for (const [t, , formula, used] of table.rows) {
        expect(Number(formula)).toBeCloseTo(f(Number(t)), 9);
        expect(Number(used)).toBeCloseTo(recorded(m, Number(t)), 9);
      }
      const [check] = blocksOf(e, 'check');
      expect(check.worked).toBeCloseTo(f(last), 14);
      expect(check.runtime).toBe(recorded(m, last));
    });
  }

  it('plateau: η₀·factor^cuts, the cuts counted from the evaluations', async () => {
    const e = await explainCell('explain schedule tiny4 at 0, 5, 11');
    const [table] = blocksOf(e, 'table');
    for (const [t, , formula, used] of table.rows)
      (expect(Number(formula)).toBeCloseTo(recorded('tiny4', Number(t)), 12), expect(Number(used)).toBe(Number(formula)));
  });
});

describe('explain errors, in plain words', () => {
  it('an untrained model, a run without early stopping, a layer of two models', async () => {
    const r1 = await h.run(
      'model fresh(input: 28x28x1) {\n  conv 2 kernel 3x3 relu\n  dense 10 softmax\n}\nexplain step fresh.conv1 of digits.test[0]',
    );
    expect(r1.error?.evalue).toMatch(
      /reads the settings of fresh's last training run, and fresh has not been trained in this session; train it first/,
    );
    const r2 = await h.run('explain early_stop tiny2');
    expect(r2.error?.evalue).toMatch(/did not use early stopping; add e\.g\. early_stop every 100 steps patience 3/);
    const r3 = await h.run('explain conv2 of digits.test[0] at map 0');
    expect(r3.error?.evalue).toMatch(/conv2 is a layer of tiny, tiny2, tiny3 and tiny4; write which, e\.g\. tiny\.conv2/);
    for (const r of [r1, r2, r3]) expect(r.error?.evalue).not.toMatch(/TypeError|undefined|at Object\./);
  });
});

describe('explain from a cell', () => {
  it('displays one bundle: text/plain, HTML and the PNG', async () => {
    const r = await h.run('explain tiny.conv1 of digits.test[7] at map 1, row 9, col 13');
    expect(r.error).toBeUndefined();
    const shown = r.outputs.filter((o) => o.type === 'display');
    expect(shown).toHaveLength(1);
    const data = (shown[0] as { data: Record<string, unknown> }).data;
    expect(Object.keys(data).sort()).toEqual(['image/png', 'text/html', 'text/plain']);
    expect(data['text/plain']).toMatch(/^tiny\.conv1 of digits\.test\[7\] \(label \d\) at map 1, row 9, col 13\n/);
  });
});
