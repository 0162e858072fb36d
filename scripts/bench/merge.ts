// Combines one peer's results from several rounds (`--rounds=N`): windows pooled and medians recomputed,
// matmul and layer figures the median per key, peak RSS the worst. A round that failed is named in `na`
// (by round number) while the other rounds still count.
import { median, rate, type Paired, type PeerResult, type Rate } from './common.js';

function pooled(rs: (Rate | undefined)[]): Rate | undefined {
  const got = rs.filter((r): r is Rate => r !== undefined);
  if (!got.length) return undefined;
  const cpu = got.flatMap((r) => r.cpuWindows ?? []);
  return rate(
    got.flatMap((r) => r.windows),
    cpu.length ? cpu : undefined,
  );
}

function medianByKey(rs: (Record<string, number> | undefined)[]): Record<string, number> | undefined {
  const got = rs.filter((r): r is Record<string, number> => r !== undefined);
  if (!got.length) return undefined;
  const keys = [...new Set(got.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, median(got.map((r) => r[k]).filter((v) => v !== undefined))]));
}

export function mergeRounds(rounds: PeerResult[]): PeerResult {
  if (rounds.length === 1) return rounds[0];
  const ok = rounds.filter((r) => !r.na.all);
  if (!ok.length) return rounds[0];
  const base = ok[0];
  const train = pooled(ok.map((r) => r.train));
  const out: PeerResult = {
    ...base,
    infer: pooled(ok.map((r) => r.infer)),
    matmul: medianByKey(ok.map((r) => r.matmul)),
    layers: medianByKey(ok.map((r) => r.layers)),
    maxRssMB: Math.max(...ok.map((r) => r.maxRssMB)),
    // A failed round's reason is kept under its round number, so `all` still means "no figures at all".
    na: Object.assign({}, ...ok.map((r) => r.na), ...rounds.map((r, i) => (r.na.all ? { [`round ${i + 1}`]: r.na.all } : {}))),
    notes: [...new Set(rounds.flatMap((r) => r.notes)), `${ok.length} of ${rounds.length} rounds; windows pooled across rounds`],
  };
  if (train && base.train) out.train = { ...base.train, ...train };
  const m2 = medianByKey(ok.map((r) => r.extra?.matmul2 as Record<string, number> | undefined));
  if (m2) out.extra = { ...base.extra, matmul2: m2 };
  // Every round makes the same seeded updates, so the hashes must agree too.
  const paired = ok.map((r) => r.extra?.paired as Paired | undefined).filter((x): x is Paired => x !== undefined);
  if (paired.length) {
    out.extra = {
      ...out.extra,
      paired: {
        one: paired.flatMap((p) => p.one),
        two: paired.flatMap((p) => p.two),
        ratios: paired.flatMap((p) => p.ratios),
        capacity: paired.flatMap((p) => p.capacity ?? []),
      },
    };
  }
  const hashes = new Set(ok.map((r) => r.weightsHash).filter(Boolean));
  if (hashes.size > 1) out.weightsHash = `differs between rounds: ${[...hashes].join(', ')}`;
  return out;
}
