// Compile-time benchmark: a generated 1,000-line cell (data, models, train blocks, show statements),
// compiled repeatedly; prints the median and spread in ms. Target: median under 50 ms.
//   npm run build && node dist/scripts/bench-compile.js
import { performance } from 'node:perf_hooks';
import { compile } from '../dsl/compile.js';

/** Exactly `lines` lines of realistic, error-free convbook. */
export function generatedCell(lines: number): string {
  const out = ['data digits = mnist(train: 8000, test: 2000)'];
  for (let i = 0; ; i++) {
    const group = [
      `model net${i}(input: 28x28x1) {`,
      `  conv ${4 + (i % 8)} kernel 5x5 padding same relu`,
      '  maxpool 2x2',
      '  conv 16 kernel 5x5 relu',
      '  maxpool 2x2',
      '  dense 84 relu',
      '  dropout 0.3',
      '  dense 10 softmax',
      '}',
      `train net${i} on digits {`,
      `  epochs 3  batch 64  seed ${i}  validation 0.1`,
      '  optimizer sgd(lr: 0.05, momentum: 0.9, nesterov: true)',
      '  schedule exponential(d: 10, r: 500)',
      '  augment shift 2, rotate 10, flip',
      '}',
      `show net${i}.feature_maps conv1 of digits.test[${i % 2000}]`,
      `convolve digits.test[${i % 2000}] with sobel_x`,
    ];
    if (out.length + group.length > lines) break;
    out.push(...group);
  }
  while (out.length < lines) out.push(`print "line ${out.length + 1}"`);
  return out.join('\n') + '\n';
}

function main(): void {
  const cell = generatedCell(1000);
  const first = compile(cell);
  if (!first.ok) throw new Error(`the generated cell does not compile: ${first.diagnostics[0].message}`);
  for (let i = 0; i < 3; i++) compile(cell); // warm-up: JIT and Chevrotain's lookahead caches
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    compile(cell);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  console.log(
    `compile, ${cell.split('\n').length - 1} lines, ${first.program.statements.length} statements: median ${median.toFixed(1)} ms (min ${runs[0].toFixed(1)}, max ${runs[runs.length - 1].toFixed(1)}) over ${runs.length} runs; target < 50 ms`,
  );
}

main();
