// The model summary quotes training memory at the batch and optimizer the model was really trained with.
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('model summary in the session', () => {
  it('uses the batch and optimizer of the last run once the model is trained', async () => {
    const h = createHarness();
    await h.run('data digits = mnist(train: 100, test: 50, seed: 1)');
    const m = await h.run('model tiny(input: 28x28x1) {\n  dense 10 softmax\n}');
    const before = m.outputs.find((o) => o.type === 'display');
    expect(before?.type === 'display' && String(before.data['text/plain'])).toContain('at batch 32');
    expect(before?.type === 'display' && String(before.data['text/plain'])).toContain('assumed until the model is trained');
    await h.run('train tiny on digits { epochs 1  batch 25  seed 1  optimizer sgd(lr: 0.1, momentum: 0.9) }');
    const after = (await h.run('show tiny')).outputs.find((o) => o.type === 'display');
    const text = after?.type === 'display' ? String(after.data['text/plain']) : '';
    expect(text).toContain('at batch 25 (weights, gradients, 1 optimizer slot');
    expect(text).toContain('batch and optimizer of its last run (sgd)');
  });
});
