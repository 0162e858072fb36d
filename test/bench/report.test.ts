// The benchmark's pure parts: ratios, the worker-count check and the issue-7 verdicts from given results,
// and pooling of rounds. No timing here: the figures are made up and the expectations follow from them.
import { describe, expect, it } from 'vitest';
import type { PeerResult } from '../../scripts/bench/common.js';
import { median } from '../../scripts/bench/common.js';
import { mergeRounds } from '../../scripts/bench/merge.js';
import { buildReport } from '../../scripts/bench/report.js';

function peer(p: string, train: number, infer: number | undefined, extra: Partial<PeerResult> = {}): PeerResult {
  return {
    peer: p,
    label: p,
    data: 'test',
    maxRssMB: 100,
    na: {},
    notes: [],
    train: { median: train, windows: [train], steps: 10 },
    ...(infer === undefined ? {} : { infer: { median: infer, windows: [infer] } }),
    ...extra,
  };
}

describe('buildReport', () => {
  const results = [
    peer('convbook-1', 1000, 4000, { weightsHash: 'abc', matmul: { 512: 30 }, extra: { matmul2: { 512: 45 } }, maxRssMB: 180 }),
    peer('convbook-2', 1800, undefined, { weightsHash: 'abc', maxRssMB: 210 }),
    peer('tfjs-wasm', 500, 5000),
    peer('torch', 3600, 8000),
  ];

  it('divides convbook by each peer', () => {
    const r = buildReport(results);
    expect(r.ratios['tfjs-wasm'].train1).toBeCloseTo(2, 12);
    expect(r.ratios['tfjs-wasm'].train2).toBeCloseTo(3.6, 12);
    expect(r.ratios['tfjs-wasm'].infer).toBeCloseTo(0.8, 12);
    expect(r.ratios.torch.train2).toBeCloseTo(0.5, 12);
    expect(r.tables).toContain('| tfjs-wasm | 500 | 2.00× | 3.60× |');
  });

  it('judges the targets from the figures', () => {
    const met = Object.fromEntries(buildReport(results).targets.map((t) => [t.target, t.met]));
    expect(met['training ≥ 2× tfjs wasm (first target)']).toBe(true); // 1800 / 500
    expect(met['training 1.0× PyTorch (goal)']).toBe(false); // 1800 / 3600
    expect(met['inference ≥ tfjs wasm']).toBe(false); // 4000 / 5000
    expect(met['matmul ≥ 40 GFLOP/s with 2 workers at 512']).toBe(true); // 45
    expect(met['2 workers ≥ 1.8× one on LeNet']).toBe(true); // 1.8×
    expect(met['peak RSS < 300 MB on full Fashion-MNIST']).toBe(true); // 210
  });

  it('uses the paired windows for the scaling target when the 2-worker child measured them, and the better convbook inference row', () => {
    const paired = { one: [1000, 1100, 900], two: [1500, 2100, 1600], ratios: [1.5, 1.9, 1.82], capacity: [1.95, 1.9] };
    const withPairs = results.map((r) =>
      r.peer === 'convbook-2' ? { ...r, infer: { median: 9000, windows: [9000] }, extra: { paired } } : r,
    );
    const r = buildReport(withPairs);
    const scaling = r.targets.find((x) => x.target === '2 workers ≥ 1.8× one on LeNet');
    expect(scaling?.measured).toMatch(/^1\.82× \(median of 3 paired windows; separate runs: 1\.80×\)/);
    expect(scaling?.met).toBe(true);
    expect(r.tables).toContain(
      "ratio median 1.82× (range 1.50–1.90); the machine's own 2-thread capacity around them (a 1024² matmul on 2 threads over 1): 1.95×, 1.90×",
    );
    const met = Object.fromEntries(r.targets.map((t) => [t.target, t.met]));
    expect(met['inference ≥ tfjs wasm']).toBe(true); // 9000 / 5000
    expect(met['inference 1.0× PyTorch (goal)']).toBe(true); // 9000 / 8000
    expect(r.ratios.torch.infer).toBeCloseTo(9000 / 8000, 12);
  });

  it('judges inference against ONNX Runtime, an inference-only peer, with no training ratio for it', () => {
    const onnx: PeerResult = {
      peer: 'onnxruntime',
      label: 'ONNX Runtime',
      data: 'test',
      maxRssMB: 90,
      na: { train: 'inference only' },
      notes: [],
      infer: { median: 5000, windows: [5000] },
    };
    const r = buildReport([...results, onnx]);
    const t = r.targets.find((x) => x.target.startsWith('inference ≥ 1.0× ONNX Runtime'));
    expect(t?.measured).toBe('0.80×'); // 4000 / 5000
    expect(t?.met).toBe(false);
    expect(r.ratios.onnxruntime.train1).toBeNull();
    expect(r.tables).toContain('| ONNX Runtime | n/a | n/a | n/a | n/a | n/a | 5000 | 0.80× | n/a |');
    expect(buildReport(results).targets.find((x) => x.target.startsWith('inference ≥ 1.0× ONNX Runtime'))?.met).toBeNull();
  });

  it('reports the worker check as OK, FAIL or n/a', () => {
    expect(buildReport(results).weightsCheck).toBe('OK');
    const differ = results.map((r) => (r.peer === 'convbook-2' ? { ...r, weightsHash: 'abd' } : r));
    expect(buildReport(differ).weightsCheck).toBe('FAIL');
    expect(buildReport(results.filter((r) => r.peer !== 'convbook-2')).weightsCheck).toBe('n/a');
  });

  it('judges the fused-arithmetic rows on their own: their targets, their own weight check', () => {
    const paired = { one: [1000], two: [1900], ratios: [1.9], capacity: [1.95] };
    const fused = [
      peer('convbook-1-fused', 1200, 9000, { weightsHash: 'fff' }),
      peer('convbook-2-fused', 2100, 7000, { weightsHash: 'fff', extra: { paired } }),
    ];
    const r = buildReport([...results, ...fused]);
    const met = Object.fromEntries(r.targets.map((t) => [t.target, t]));
    expect(met['arithmetic fused: training 1.0× PyTorch'].measured).toBe('0.58×'); // 2100 / 3600
    expect(met['arithmetic fused: inference 1.0× PyTorch'].met).toBe(true); // 9000 / 8000
    expect(met['arithmetic fused: 2 workers ≥ 1.8× one'].met).toBe(true);
    // The portable rows' targets do not see the fused rows.
    expect(met['training 1.0× PyTorch (goal)'].measured).toBe('0.50×');
    expect(r.ratios.torch.fusedTrain).toBeCloseTo(2100 / 3600, 12);
    expect(r.weightsCheck).toBe('OK');
    expect(r.tables).toContain('arithmetic fused: 1 vs 2 workers, weights after 10 identical SGD steps bit-identical: OK');
    const differ = buildReport([...results, fused[0], { ...fused[1], weightsHash: 'ffe' }]);
    expect(differ.weightsCheck).toBe('FAIL');
  });

  it('marks a target n/a when its peer is missing', () => {
    const t = buildReport(results.filter((r) => r.peer !== 'torch')).targets.find((x) => x.target.startsWith('training 1.0×'));
    expect(t?.met).toBeNull();
    expect(t?.measured).toBe('n/a');
  });
});

describe('mergeRounds', () => {
  it('pools windows, takes the worst RSS and the median matmul', () => {
    const a = peer('convbook-1', 0, 0, {
      train: { median: 2, windows: [1, 2, 3], steps: 3 },
      matmul: { 256: 10 },
      maxRssMB: 150,
      weightsHash: 'h',
    });
    const b = peer('convbook-1', 0, 0, {
      train: { median: 10, windows: [10, 20, 30], steps: 3 },
      matmul: { 256: 30 },
      maxRssMB: 170,
      weightsHash: 'h',
    });
    const c = peer('convbook-1', 0, 0, {
      train: { median: 5, windows: [4, 5, 6], steps: 3 },
      matmul: { 256: 20 },
      maxRssMB: 160,
      weightsHash: 'h',
    });
    const m = mergeRounds([a, b, c]);
    expect(m.train?.windows).toEqual([1, 2, 3, 10, 20, 30, 4, 5, 6]);
    expect(m.train?.median).toBe(median([1, 2, 3, 10, 20, 30, 4, 5, 6]));
    expect(m.train?.median).toBe(5);
    expect(m.matmul?.['256']).toBe(20);
    expect(m.maxRssMB).toBe(170);
    expect(m.weightsHash).toBe('h');
  });

  it('flags weights that differ between rounds and skips failed rounds', () => {
    const ok1 = peer('convbook-2', 100, undefined, { weightsHash: 'h1' });
    const ok2 = peer('convbook-2', 300, undefined, { weightsHash: 'h2' });
    const bad: PeerResult = { peer: 'convbook-2', label: 'x', data: 'n/a', maxRssMB: NaN, na: { all: 'exit 1' }, notes: [] };
    const m = mergeRounds([ok1, bad, ok2]);
    expect(m.weightsHash).toMatch(/^differs between rounds/);
    expect(m.train?.windows).toEqual([100, 300]);
    expect(m.maxRssMB).toBe(100);
    expect(m.na['round 2']).toBe('exit 1');
    expect(m.na.all).toBeUndefined();
  });
});
