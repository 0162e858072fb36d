// Transfer: layers copied by name when shapes match (all or nothing), frozen layers stay put while the rest
// fine-tunes, batch-norm statistics travel with their layer.
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { train } from '../../runtime/train/loop.js';
import { transferLayers, unknownFrozen } from '../../runtime/transfer.js';
import { toyData, toyModel, trainSpec } from './train-helpers.js';

const data = toyData(180, 60);

describe('transfer', () => {
  it('copies the named layers, freezes them, and fine-tunes the head', async () => {
    const source = createNet(toyModel({ batchnorm: true }), { rng: createRng(1) });
    await train({
      net: source,
      spec: trainSpec({ epochs: 3, optimizer: { kind: 'adam', lr: 0.03, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }),
      data,
    });
    const spec = {
      ...toyModel({ batchnorm: true, frozen: ['conv1', 'bn1'] }),
      name: 'target',
      initFrom: { model: 'toy', layers: ['conv1', 'bn1'] },
    };
    const target = createNet(spec, { rng: createRng(2) });
    const r = transferLayers(target, source, ['conv1', 'bn1']);
    expect(r).toEqual({ ok: true, copied: ['conv1', 'bn1'] });
    const conv = (n: typeof target) => n.params.filter((p) => p.layer === 'conv1' || p.layer === 'bn1').map((p) => Array.from(p.value));
    expect(conv(target)).toEqual(conv(source));
    expect(target.stateBuf).toEqual(source.stateBuf);
    const head = target.params.find((p) => p.name === 'out.weight')!.value.slice();
    expect(head).not.toEqual(source.params.find((p) => p.name === 'out.weight')!.value);

    const res = await train({
      net: target,
      spec: trainSpec({ epochs: 2, seed: 9, optimizer: { kind: 'adam', lr: 0.03, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }),
      data,
    });
    expect(conv(target)).toEqual(conv(source)); // frozen
    expect(target.params.find((p) => p.name === 'out.weight')!.value).not.toEqual(head); // fine-tuned
    expect(res.history.evals[res.history.evals.length - 1].val!.acc).toBeGreaterThan(0.8);
  });

  it('refuses mismatched shapes and unknown layers, copying nothing', () => {
    const source = createNet(toyModel(), { rng: createRng(1) });
    const wide = toyModel();
    wide.layers = wide.layers.map((l) => (l.kind === 'conv2d' ? { ...l, filters: 5 } : l));
    const target = createNet(wide, { rng: createRng(2) });
    const before = target.paramBuf.slice();
    expect(transferLayers(target, source, ['conv1', 'out'])).toEqual({
      ok: false,
      error: 'conv1.weight is 4×1×3×3 in toy but 5×1×3×3 in toy',
    });
    expect(target.paramBuf).toEqual(before);
    expect(transferLayers(target, source, ['nope'])).toEqual({ ok: false, error: 'model toy has no layer named nope' });
    expect(unknownFrozen({ ...toyModel(), frozen: ['conv1', 'conv9'] })).toEqual(['conv9']);
  });
});
