// The language's long fuzz run: generated, mutated and stress cells, each checked in its \n, \r\n and
// \r forms (see scripts/fuzz/cells.ts), and its compile timed; prints inputs, throughput, the slowest inputs and
// the failures by kind. Exits non-zero on any failure, or on a cell whose compile and error reply take
// more than 100 ms of CPU per 10 KB.
//   npm run build && node dist/scripts/fuzz-compile.js [inputs=20000] [seed=12]
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { compile } from '../dsl/compile.js';
import { compileError } from '../session/errors.js';
import { checkCell, fuzzSession, goldenCells, mutated, soup, stress, type Failure } from './fuzz/cells.js';

/** The time bound: 100 ms per 10 KB of cell, and never less than 100 ms (start-up noise on tiny cells). */
const boundMs = (chars: number) => Math.max(100, (100 * chars) / 10_000);

const inputs = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 12);
const goldens = goldenCells(fileURLToPath(new URL('../../test/dsl/golden', import.meta.url)));
const env = fuzzSession();
const sources = fc.oneof(
  { weight: 3, arbitrary: soup },
  { weight: 4, arbitrary: mutated(goldens) },
  { weight: 1, arbitrary: stress(goldens) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
);
const samples = fc.sample(fc.tuple(sources, fc.nat()), { numRuns: inputs, seed });

const failures = new Map<string, { count: number; example: string; detail: string }>();
const slowest: { ms: number; chars: number; source: string }[] = [];
let chars = 0;
let compileMs = 0;
let worstRatio = 0;
const start = performance.now();
for (const [source, cursor] of samples) {
  // Timed: what an execute_request costs the kernel, the compile and the error reply built from it.
  // CPU time, not wall time: the bound is about the compiler, not about other processes on the machine.
  const t0 = process.cpuUsage();
  const r = compile(source, env, { totalMemory: 2 ** 33 });
  if (!r.ok) compileError(source, r.diagnostics);
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000;
  const found: Failure[] = checkCell(source, env, cursor);
  chars += source.length;
  compileMs += ms;
  if (ms > boundMs(source.length)) found.push({ kind: 'slow', detail: `${ms.toFixed(1)} ms for ${source.length} characters` });
  worstRatio = Math.max(worstRatio, ms / boundMs(source.length));
  for (const f of found) {
    const entry = failures.get(f.kind);
    if (entry === undefined) failures.set(f.kind, { count: 1, example: source, detail: f.detail });
    else entry.count++;
  }
  slowest.push({ ms, chars: source.length, source });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 5);
}
const seconds = (performance.now() - start) / 1000;
const preview = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 100)}…(${s.length} chars)` : s);

console.log(
  `fuzz-compile: ${samples.length} inputs (seed ${seed}), ${(chars / 1024).toFixed(0)} KB, each compiled with \\n, \\r\\n and \\r breaks`,
);
console.log(
  `throughput: ${(samples.length / seconds).toFixed(0)} inputs/s checked (4 compiles and 3 completions each), ${(chars / 1024 / (compileMs / 1000)).toFixed(0)} KB/s compiled, ${seconds.toFixed(1)} s in all`,
);
console.log(
  `slowest compile + error reply in CPU time (bound ${'max(100 ms, 100 ms per 10 KB)'}; worst at ${(100 * worstRatio).toFixed(1)}% of its bound):`,
);
for (const s of slowest)
  console.log(
    `  ${s.ms.toFixed(1)} ms  ${s.chars} chars  ${((s.ms * 10_000) / Math.max(1, s.chars)).toFixed(1)} ms/10KB  ${preview(s.source)}`,
  );
const total = [...failures.values()].reduce((n, f) => n + f.count, 0);
console.log(`failures: ${total}`);
for (const [kind, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${kind}: ${f.count}, e.g. ${preview(f.example)}\n    ${f.detail.slice(0, 400)}`);
}
process.exitCode = total === 0 ? 0 : 1;
