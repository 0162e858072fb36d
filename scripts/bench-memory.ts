// Training-memory benchmark (not a test): for a few model/batch configurations, the estimate the
// checker compares with available memory (runtime/memory-estimate.ts) beside the measured peak RSS
// growth of a real training run through the session (each configuration in a fresh process; the peak
// is VmHWM after resetting it through /proc/self/clear_refs, once the data and model are loaded).
// Run: npm run bench:memory, or node dist/scripts/bench-memory.js [N] for configuration N alone (Linux only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainingMemory } from '../runtime/memory-estimate.js';
import { resolveWorkers } from '../runtime/train/loop.js';
import { runCell } from '../session/cell.js';
import { createContext } from '../session/exec/context.js';
import { ioFromSink } from '../session/output.js';
import { createState } from '../session/state.js';

interface Config {
  label: string;
  size: [number, number, number]; // h, w, c
  layers: string;
  batch: number;
  train: number;
  test: number;
  optimizer: string;
}

const configs: Config[] = [
  {
    label: '512×512×3 conv 256, batch 1',
    size: [512, 512, 3],
    layers: 'conv 256 kernel 3x3 padding same relu\n  maxpool 8x8\n  dense 2 softmax',
    batch: 1,
    train: 2,
    test: 1,
    optimizer: 'sgd(lr: 0.01)',
  },
  {
    label: '512×512×3 conv 256, batch 4',
    size: [512, 512, 3],
    layers: 'conv 256 kernel 3x3 padding same relu\n  maxpool 8x8\n  dense 2 softmax',
    batch: 4,
    train: 4,
    test: 1,
    optimizer: 'sgd(lr: 0.01)',
  },
  {
    label: '256×256×3 conv 64 ×2, batch 8, adam',
    size: [256, 256, 3],
    layers: 'conv 64 kernel 3x3 padding same relu\n  maxpool 2x2\n  conv 64 kernel 3x3 padding same relu\n  maxpool 4x4\n  dense 2 softmax',
    batch: 8,
    train: 16,
    test: 4,
    optimizer: 'adam(lr: 0.001)',
  },
  {
    label: '128×128×3 conv 32/64 + batchnorm, batch 32 (2 lanes)',
    size: [128, 128, 3],
    layers:
      'conv 32 kernel 3x3 padding same relu\n  batchnorm\n  maxpool 2x2\n  conv 64 kernel 3x3 padding same relu\n  maxpool 2x2\n  dense 64 relu\n  dense 2 softmax',
    batch: 32,
    train: 96,
    test: 32,
    optimizer: 'sgd(lr: 0.01, momentum: 0.9)',
  },
];

function procStatus(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function npy(shape: number[], data: Uint8Array): Buffer {
  let text = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  text += ' '.repeat(63 - ((10 + text.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head[0] = 0x93;
  head.write('NUMPY', 1, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), data]);
}

async function child(c: Config): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'convbook-bench-memory-'));
  const [h, w, ch] = c.size;
  const n = c.train + c.test;
  const pixels = new Uint8Array(n * ch * h * w).map((_, i) => (i * 2654435761) >>> 24);
  writeFileSync(join(dir, 'x.npy'), npy([n, ch, h, w], pixels));
  writeFileSync(
    join(dir, 'y.npy'),
    npy(
      [n],
      new Uint8Array(n).map((_, i) => i % 2),
    ),
  );
  const state = createState(dir);
  const run = async (code: string) => {
    const error = await runCell(
      code,
      createContext(
        state,
        ioFromSink(() => undefined),
        new Int32Array(new SharedArrayBuffer(8)),
        'bench',
      ),
    );
    if (error) throw new Error(`${error.ename}: ${error.evalue}`);
  };
  await run(`data d = npy("x.npy", "y.npy", test: ${(c.test / n).toFixed(4)})`);
  const data = state.data.get('d')!;
  await run(`model m(input: ${h}x${w}x${ch}) {\n  ${c.layers}\n}`);
  const entry = state.models.get('m')!;
  const slots = c.optimizer.startsWith('adam') ? 2 : 1;
  const estimate = trainingMemory({
    spec: entry.spec,
    batch: c.batch,
    lanes: resolveWorkers(0, entry.net, c.batch, 16),
    optimizerSlots: slots,
    evalExamples: Math.max(Math.min(data.train.count, 2000), data.test.count),
  });
  (globalThis as { gc?: () => void }).gc?.();
  const before = procStatus('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5');
  await run(`train m on d { epochs 1  batch ${c.batch}  seed 1  optimizer ${c.optimizer} }`);
  const peak = procStatus('VmHWM');
  if (process.env.BENCH_MEMORY_DEBUG) {
    const { wasm } = await import('../runtime/kernels/wasm-module.js');
    process.stderr.write(
      `wasm ${mb(wasm().memory.buffer.byteLength)}, arrayBuffers ${mb(process.memoryUsage().arrayBuffers)}, rss now ${mb(procStatus('VmRSS'))}, before ${mb(before)}\n`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ estimate: estimate.bytes, measured: peak - before }) + '\n');
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

function main(): void {
  const only = process.argv[2];
  console.log('configuration'.padEnd(56) + 'estimate'.padStart(10) + 'measured'.padStart(10) + '  estimate/measured');
  for (const [i, c] of configs.entries()) {
    if (only !== undefined && String(i) !== only) continue;
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(i)], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    let out: { estimate: number; measured: number } | undefined;
    try {
      out = JSON.parse(line) as { estimate: number; measured: number };
    } catch {
      console.log(`${c.label}: failed (${r.stderr.trim().split('\n').slice(-1)[0] ?? r.status})`);
      continue;
    }
    console.log(
      c.label.padEnd(56) + mb(out.estimate).padStart(10) + mb(out.measured).padStart(10) + `  ${(out.estimate / out.measured).toFixed(2)}`,
    );
  }
}

if (process.argv[2] === '--child') {
  child(configs[Number(process.argv[3])]).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
} else {
  main();
}
