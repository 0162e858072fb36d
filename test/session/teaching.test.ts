// What a teaching assistant met writing a lab (issue 16): the session says what a student would
// otherwise have to guess — an untrained model, too many workers, a head that does not match the classes.
import { describe, expect, it } from 'vitest';
import { createHarness, streamText } from './harness.js';
import type { Output } from '../../session/protocol.js';

const DATA = 'data digits = mnist(train: 300, test: 100, seed: 1)';
const MODEL = 'model tiny(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}';
const stderr = (outputs: Output[]) =>
  outputs
    .filter((o): o is Extract<Output, { type: 'stream' }> => o.type === 'stream' && o.name === 'stderr')
    .map((o) => o.text)
    .join('');

describe('untrained models', () => {
  it('evaluate says a model is untrained until a run trains it', async () => {
    const h = createHarness();
    await h.run(`${DATA}\n${MODEL}`);
    const before = await h.run('evaluate tiny on digits.test');
    expect(before.error).toBeUndefined();
    expect(stderr(before.outputs)).toMatch(
      /tiny has not been trained: these are its random initial weights, so expect about chance accuracy \(10% for 10 classes\)/,
    );
    await h.run('train tiny on digits { epochs 1  batch 20 }');
    const after = await h.run('evaluate tiny on digits.test');
    expect(stderr(after.outputs)).not.toMatch(/not been trained/);
    expect(streamText(after.outputs)).toMatch(/accuracy/);
  });

  it('a transferred model is said to keep random weights in the layers it did not take', async () => {
    const h = createHarness();
    await h.run(`${DATA}\n${MODEL}`);
    await h.run('train tiny on digits { epochs 1  batch 20 }');
    await h.run('model b from tiny freeze conv1 {\n  replace dense 10 softmax\n}');
    const r = await h.run('evaluate b on digits.test');
    expect(stderr(r.outputs)).toMatch(/b has not been trained since it was made from tiny/);
  });
});

describe('class names', () => {
  it('idx(names: …) names the classes; the data line lists them; a label past them is refused', async () => {
    const { tempDir, writeIdx } = await import('../runtime/data-fixtures.js');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeIdx(
      join(dir, 'img'),
      [4, 2, 2],
      Array.from({ length: 16 }, (_, i) => i),
    );
    writeIdx(join(dir, 'lab'), [4], [0, 1, 2, 1]);
    writeIdx(join(dir, 'lab3'), [4], [0, 1, 3, 1]);
    const h = createHarness(dir);
    const ok = await h.run('data f = idx(images: "img", labels: "lab", names: "boot, bag , coat")');
    expect(ok.error).toBeUndefined();
    expect(streamText(ok.outputs)).toMatch(/3 classes \(boot, bag, coat\)/);
    expect(h.state.data.get('f')?.classNames).toEqual(['boot', 'bag', 'coat']);
    const bad = await h.run('data g = idx(images: "img", labels: "lab3", names: "boot, bag, coat")');
    expect(bad.error?.evalue).toMatch(/label 3 of example 2 is outside the class range 0\.\.2/);
  });

  it('digits 0–9 are not listed as names', async () => {
    const h = createHarness();
    const r = await h.run(DATA);
    expect(streamText(r.outputs)).toMatch(/10 classes, sha256/);
  });
});

describe("regularization said in the chapter's terms", () => {
  it('weight_decay prints β = 1 − λ; l2 with plain SGD prints β = 1 − ηλ', async () => {
    const h = createHarness();
    await h.run(`${DATA}\n${MODEL}`);
    const d = await h.run('train tiny on digits { epochs 1  batch 50  weight_decay 0.0005 }');
    expect(streamText(d.outputs)).toMatch(
      /weight_decay λ = 0\.0005: after every update each weight is scaled, w ← β·w with β = 1 − λ = 0\.9995/,
    );
    const l = await h.run('train tiny on digits { epochs 1  batch 50  l2 0.001  optimizer sgd(lr: 0.1) }');
    expect(streamText(l.outputs)).toMatch(/l2 λ = 0\.001: .* w ← β·w − η·∂L\/∂w with β = 1 − ηλ = 0\.9999 at η = 0\.1/);
  });

  it('early stopping says which split it watches', async () => {
    const h = createHarness();
    await h.run(`${DATA}\n${MODEL}`);
    const t = await h.run('train tiny on digits { epochs 1  batch 50  early_stop every 2 steps patience 2 }');
    expect(streamText(t.outputs)).toMatch(
      /early_stop watches the test split's loss, because there is no validation split \(validation 0\)/,
    );
    // The dashboard says it too, in every frame (the first included) and in its text twin.
    const frames = t.outputs
      .filter((o) => o.type === 'display' || o.type === 'update')
      .map((o) => (o.type === 'display' || o.type === 'update' ? String(o.data['text/plain']) + String(o.data['text/html']) : ''));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatch(/early stopping watches the test split's loss, as there is no validation split/);
    const v = await h.run(
      'train tiny on digits { epochs 1  batch 50  validation 0.2  early_stop every 2 steps patience 2 metric accuracy }',
    );
    expect(streamText(v.outputs)).toMatch(
      /early_stop watches the validation accuracy \(20% of the training split of digits held out\), every 2 steps, patience 2/,
    );
  });
});

describe('transfer learning in the summary', () => {
  it('shows trainable and frozen parameter counts; a run of replace lines swaps the head', async () => {
    const h = createHarness();
    await h.run(`${DATA}\n${MODEL}`);
    // conv1: 4·(1·3·3) + 4 = 40 parameters; dense1 on 14·14·4 = 784 inputs: 7,850; dense 32 → 25,120 + 330.
    const r = await h.run('model b from tiny freeze conv1 {\n  replace dense 32 relu\n  append dense 10 softmax\n}');
    expect(r.error).toBeUndefined();
    const summary = r.outputs.find((o) => o.type === 'display');
    const text = summary?.type === 'display' ? String(summary.data['text/plain']) : '';
    expect(text).toMatch(/25,450 trainable and 40 frozen parameters of 25,490/);
    const two = await h.run('model c from tiny freeze conv1 {\n  drop dense1\n  append dense 32 relu\n  append dense 10 softmax\n}');
    expect(two.error).toBeUndefined();
    expect(h.state.models.get('c')?.spec.layers.map((l) => l.name)).toEqual(['conv1', 'pool1', 'dense1', 'dense2']);
  });
});

describe('round floor', () => {
  it("a conv and a pool that drop their last rows train, with PyTorch's output sizes", async () => {
    const h = createHarness();
    await h.run(DATA);
    // conv: floor((28 − 3) / 2) + 1 = 13; pool: floor((13 − 2) / 2) + 1 = 6.
    const m = await h.run(
      'model f(input: 28x28x1) {\n  conv 4 kernel 3x3 stride 2 round floor relu\n  maxpool 2x2 round floor\n  dense 10 softmax\n}',
    );
    expect(m.error).toBeUndefined();
    expect(
      h.state.models
        .get('f')
        ?.net.info.slice(0, 2)
        .map((l) => `${l.out.h}x${l.out.w}`),
    ).toEqual(['13x13', '6x6']);
    const t = await h.run('train f on digits { epochs 1  batch 20 }');
    expect(t.error).toBeUndefined();
  });
});
