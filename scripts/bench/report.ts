// Turns the children's PeerResults into the printed markdown tables, the ratios convbook/peer and the
// issue-7 targets with where convbook stands. Pure: no timing, no I/O.
import { median, type Paired, type PeerResult } from './common.js';

export interface Target {
  target: string;
  measured: string;
  met: boolean | null; // null: not measurable in this run
}

export interface Report {
  tables: string;
  targets: Target[];
  weightsCheck: 'OK' | 'FAIL' | 'n/a';
  ratios: Record<string, Record<string, number | null>>;
}

const fmt = (v: number | undefined | null, digits = 0): string =>
  v === undefined || v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);
const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
const fmtRatio = (r: number | null): string => (r === null ? 'n/a' : `${r.toFixed(2)}×`);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

export function buildReport(results: PeerResult[]): Report {
  const by = new Map(results.map((r) => [r.peer, r]));
  const cb1 = by.get('convbook-1'),
    cb2 = by.get('convbook-2');
  // The same children with `arithmetic fused` (other bits, so compared with the peers, never with the rows above).
  const fu1 = by.get('convbook-1-fused'),
    fu2 = by.get('convbook-2-fused');
  const ratios: Report['ratios'] = {};
  const best = (a: PeerResult | undefined, b: PeerResult | undefined, k: 'train' | 'infer') =>
    Math.max(a?.[k]?.median ?? 0, b?.[k]?.median ?? 0) || undefined;
  // Inference: the better convbook row (1 lane: forwardBatched; 2 lanes: the pool's evaluation).
  const cbInfer = best(cb1, cb2, 'infer');
  const fuTrain = best(fu1, fu2, 'train'),
    fuInfer = best(fu1, fu2, 'infer');
  const peerRows = results.map((r) => {
    const tr = r.train?.median,
      inf = r.infer?.median;
    const rt1 = ratio(cb1?.train?.median, tr),
      rt2 = ratio(cb2?.train?.median, tr),
      ri = ratio(cbInfer, inf);
    ratios[r.peer] = { train1: rt1, train2: rt2, infer: ri, fusedTrain: ratio(fuTrain, tr), fusedInfer: ratio(fuInfer, inf) };
    const why = Object.entries(r.na)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    ratios[r.peer].trainPerCpu = ratio(cb1?.train?.perCpuSecond, r.train?.perCpuSecond);
    ratios[r.peer].inferPerCpu = ratio(cb1?.infer?.perCpuSecond, r.infer?.perCpuSecond);
    return [
      r.label,
      fmt(tr),
      fmtRatio(rt1),
      fmtRatio(rt2),
      fmt(r.train?.perCpuSecond),
      fmtRatio(ratios[r.peer].fusedTrain),
      fmt(inf),
      fmtRatio(ri),
      fmtRatio(ratios[r.peer].fusedInfer),
      fmt(r.infer?.perCpuSecond),
      fmt(r.maxRssMB),
      why,
    ];
  });
  const lenet = table(
    [
      'LeNet-5, batch 64',
      'train img/s',
      'convbook 1w / this',
      'convbook 2w / this',
      'train img/CPU-s',
      'best fused / this',
      'infer img/s (b256)',
      'best convbook / this',
      'best fused / this',
      'infer img/CPU-s',
      'peak RSS MB',
      'notes',
    ],
    peerRows,
  );

  const sizes = ['256', '512', '1024'];
  const cols: [string, Record<string, number> | undefined][] = [
    ['convbook 1 thread', cb1?.matmul],
    ['convbook 2 threads', cb1?.extra?.matmul2 as Record<string, number> | undefined],
    ['tfjs wasm', by.get('tfjs-wasm')?.matmul],
    ['tfjs cpu', by.get('tfjs-cpu')?.matmul],
    ['PyTorch (best of 1, 2 threads)', by.get('torch')?.matmul],
  ];
  const matmul = table(
    ['GFLOP/s (n×n·n×n, float32)', ...cols.map((c) => c[0])],
    sizes.map((n) => [String(n), ...cols.map((c) => fmt(c[1]?.[n], 1))]),
  );

  const layerRows = Object.entries(cb1?.layers ?? {}).map(([k, v]) => [k, v.toFixed(2)]);
  const layers = layerRows.length
    ? table(['convbook, batch 64, one thread', 'ms per call'], layerRows)
    : 'per-layer times: n/a (convbook child failed)';

  // Each arithmetic's 1- and 2-worker weights must match; the two arithmetics need not.
  const pairCheck = (a: PeerResult | undefined, b: PeerResult | undefined, what: string) => {
    const h1 = a?.weightsHash,
      h2 = b?.weightsHash;
    const v: Report['weightsCheck'] = h1 && h2 ? (h1 === h2 ? 'OK' : 'FAIL') : 'n/a';
    const line =
      `${what}1 vs 2 workers, weights after ${a?.train?.steps ?? '?'} identical SGD steps bit-identical: ${v}` +
      (h1 ? ` (sha256 ${h1.slice(0, 16)}…${h2 && h2 !== h1 ? ` vs ${h2.slice(0, 16)}…` : ''})` : '');
    return { v, line };
  };
  const checks = [pairCheck(cb1, cb2, ''), ...(fu1 || fu2 ? [pairCheck(fu1, fu2, 'arithmetic fused: ')] : [])];
  const verdicts = checks.map((c) => c.v);
  const weightsCheck: Report['weightsCheck'] = verdicts.includes('FAIL') ? 'FAIL' : verdicts.includes('OK') ? 'OK' : 'n/a';
  const check = checks.map((c) => c.line).join('\n');

  const cbTrain = Math.max(cb1?.train?.median ?? 0, cb2?.train?.median ?? 0) || undefined;
  const wasm = by.get('tfjs-wasm'),
    torch = by.get('torch'),
    onnx = by.get('onnxruntime');
  const t = (target: string, value: number | null, need: number, show: (v: number) => string): Target => ({
    target,
    measured: value === null ? 'n/a' : show(value),
    met: value === null ? null : value >= need,
  });
  const mm2 = (cb1?.extra?.matmul2 as Record<string, number> | undefined)?.['512'];
  const rss = Math.max(...[cb1, cb2, fu1, fu2].map((r) => r?.maxRssMB ?? 0).filter(Number.isFinite));
  const paired = cb2?.extra?.paired as Paired | undefined;
  const fusedPaired = fu2?.extra?.paired as Paired | undefined;
  const pairedText = (p: Paired | undefined, what: string) =>
    p?.ratios.length
      ? `${what}1 vs 2 workers in alternating ${p.ratios.length} pairs of windows of one run (same load for both): 1 worker ${fmt(median(p.one))} img/s, ` +
        `2 workers ${fmt(median(p.two))} img/s, ratio median ${median(p.ratios).toFixed(2)}× (range ${Math.min(...p.ratios).toFixed(2)}–${Math.max(...p.ratios).toFixed(2)})` +
        (p.capacity?.length
          ? `; the machine's own 2-thread capacity around them (a 1024² matmul on 2 threads over 1): ${p.capacity.map((c) => `${c.toFixed(2)}×`).join(', ')}`
          : '')
      : '';
  const pairedLine = [pairedText(paired, ''), pairedText(fusedPaired, 'arithmetic fused: ')].filter(Boolean).join('\n');
  const targets: Target[] = [
    t('training ≥ 2× tfjs wasm (first target)', ratio(cbTrain, wasm?.train?.median), 2, (v) => `${v.toFixed(2)}× (best convbook row)`),
    t('training 1.0× PyTorch (goal)', ratio(cbTrain, torch?.train?.median), 1, (v) => `${v.toFixed(2)}×`),
    t('inference ≥ tfjs wasm', ratio(cbInfer, wasm?.infer?.median), 1, (v) => `${v.toFixed(2)}× (best convbook row)`),
    t('inference 1.0× PyTorch (goal)', ratio(cbInfer, torch?.infer?.median), 1, (v) => `${v.toFixed(2)}×`),
    t('inference ≥ 1.0× ONNX Runtime (best of 1, 2 intra-op threads)', ratio(cbInfer, onnx?.infer?.median), 1, (v) => `${v.toFixed(2)}×`),
    t('matmul ≥ 40 GFLOP/s with 2 workers at 512', mm2 ?? null, 40, (v) => `${v.toFixed(1)} GFLOP/s`),
    paired?.ratios.length
      ? t(
          '2 workers ≥ 1.8× one on LeNet',
          median(paired.ratios),
          1.8,
          (v) =>
            `${v.toFixed(2)}× (median of ${paired.ratios.length} paired windows; separate runs: ${fmtRatio(ratio(cb2?.train?.median, cb1?.train?.median))})`,
        )
      : t('2 workers ≥ 1.8× one on LeNet', ratio(cb2?.train?.median, cb1?.train?.median), 1.8, (v) => `${v.toFixed(2)}× (separate runs)`),
    {
      target: 'peak RSS < 300 MB on full Fashion-MNIST',
      measured: rss ? `${rss.toFixed(0)} MB (worst convbook child)` : 'n/a',
      met: rss ? rss < 300 : null,
    },
    ...(fu1 || fu2
      ? [
          t('arithmetic fused: training 1.0× PyTorch', ratio(fuTrain, torch?.train?.median), 1, (v) => `${v.toFixed(2)}×`),
          t('arithmetic fused: inference 1.0× PyTorch', ratio(fuInfer, torch?.infer?.median), 1, (v) => `${v.toFixed(2)}×`),
          t('arithmetic fused: inference ≥ 1.0× ONNX Runtime', ratio(fuInfer, onnx?.infer?.median), 1, (v) => `${v.toFixed(2)}×`),
          t(
            'arithmetic fused: 2 workers ≥ 1.8× one',
            fusedPaired?.ratios.length ? median(fusedPaired.ratios) : null,
            1.8,
            (v) => `${v.toFixed(2)}× (paired)`,
          ),
        ]
      : []),
  ];
  const targetTable = table(
    ['target (issues 7 and 18)', 'this run', 'met'],
    targets.map((x) => [x.target, x.measured, x.met === null ? 'n/a' : x.met ? 'yes' : 'no']),
  );

  return { tables: [lenet, check, pairedLine, matmul, layers, targetTable].filter(Boolean).join('\n\n'), targets, weightsCheck, ratios };
}
