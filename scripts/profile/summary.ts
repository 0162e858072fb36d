// `node dist/scripts/profile/summary.js FILE.cpuprofile [top]`: self time per function of a V8 CPU profile
// (node --cpu-prof), largest first, with the share of the sampled total; wasm functions appear under their
// export names when the module carries a name section (scripts/build-wasm.mjs --names). Reads, never runs, code.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: summary.js FILE.cpuprofile [top]');
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n: ProfileNode): string => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/dist\//, '')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map<string, number>();
// Inclusive time of the layers' forward/backward closures (runtime/layers/*): where the time goes per layer kind.
const layers = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  const key = keyOf(byId.get(id)!);
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at)!;
    if (n.callFrame.url.includes('/runtime/layers/') && /^(forward|backward)$/.test(n.callFrame.functionName)) seen.add(keyOf(n));
  }
  for (const k of seen) layers.set(k, (layers.get(k) ?? 0) + dt);
});
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25));
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
const line = ([k, us]: [string, number]) =>
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
console.log('self time:');
rows.forEach(line);
console.log('inclusive, per layer kind (forward/backward closures in runtime/layers/):');
[...layers.entries()].sort((a, b) => b[1] - a[1]).forEach(line);
