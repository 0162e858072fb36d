// `npm run bench [-- --quick] [-- --rounds=3] [-- --only=convbook-1,tfjs-wasm]`: LeNet-5 training and inference, matrix
// products and memory for convbook beside TensorFlow.js (cpu, wasm), ConvNetJS, PyTorch and ONNX Runtime (inference), each peer in
// its own child process (so peak RSS is its own), one after another on the same data. Prints markdown
// tables with ratios convbook/peer and writes bench-results/bench-<date>.json. A benchmark, never a test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfig, RESULT_MARK, type BenchConfig, type PeerResult } from './bench/common.js';
import { mergeRounds } from './bench/merge.js';
import { buildReport } from './bench/report.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/scripts
const root = join(here, '..', '..');
const PYTHON = '/usr/bin/python3';

interface Child {
  peer: string;
  label: string;
  cmd: string;
  args: (cfg: string) => string[];
  env?: Record<string, string>;
}

const node =
  (file: string, ...extra: string[]) =>
  (cfg: string) => [join(here, 'bench', file), cfg, ...extra];
const children: Child[] = [
  { peer: 'convbook-1', label: 'convbook 1 worker', cmd: process.execPath, args: node('convbook-peer.js', '1') },
  { peer: 'convbook-2', label: 'convbook 2 workers', cmd: process.execPath, args: node('convbook-peer.js', '2') },
  {
    peer: 'convbook-1-fused',
    label: 'convbook 1 worker, arithmetic fused',
    cmd: process.execPath,
    args: node('convbook-peer.js', '1', 'fused'),
  },
  {
    peer: 'convbook-2-fused',
    label: 'convbook 2 workers, arithmetic fused',
    cmd: process.execPath,
    args: node('convbook-peer.js', '2', 'fused'),
  },
  { peer: 'tfjs-cpu', label: 'tfjs cpu', cmd: process.execPath, args: node('tfjs-peer.js', 'cpu') },
  { peer: 'tfjs-wasm', label: 'tfjs wasm', cmd: process.execPath, args: node('tfjs-peer.js', 'wasm') },
  { peer: 'convnetjs', label: 'ConvNetJS', cmd: process.execPath, args: node('convnetjs-peer.js') },
  { peer: 'onnxruntime', label: 'ONNX Runtime (node, cpu)', cmd: process.execPath, args: node('onnxruntime-peer.js') },
  // OpenBLAS would otherwise start its own threads on top of torch's.
  {
    peer: 'torch',
    label: 'PyTorch',
    cmd: PYTHON,
    args: (cfg) => [join(root, 'scripts', 'bench', 'torch_lenet.py'), cfg],
    env: { OPENBLAS_NUM_THREADS: '1' },
  },
];

/** Which code was measured: HEAD, plus runtime files that differ from it (the bench runs the working tree's build). */
function gitState(): { commit: string; uncommittedRuntime: string[] } {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' });
    const dirty = git('status', '--porcelain', '--', 'runtime')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), uncommittedRuntime: dirty };
  } catch {
    return { commit: 'unknown', uncommittedRuntime: [] };
  }
}

function failed(c: Child, why: string): PeerResult {
  return { peer: c.peer, label: c.label, data: 'n/a', maxRssMB: NaN, na: { all: why }, notes: [] };
}

function runChild(c: Child, cfg: BenchConfig): Promise<PeerResult> {
  if (c.cmd === PYTHON && !existsSync(PYTHON)) return Promise.resolve(failed(c, `${PYTHON} not found`));
  const timeoutMs = (cfg.quick ? 120 : 300) * 1000;
  return new Promise((resolve) => {
    const p = spawn(c.cmd, c.args(JSON.stringify(cfg)), {
      cwd: root,
      env: { ...process.env, ...c.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => {
      clearTimeout(timer);
      resolve(failed(c, e.message));
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (line) return resolve(JSON.parse(line.slice(RESULT_MARK.length)) as PeerResult);
      const tail = err.trim().split('\n').slice(-3).join(' / ');
      if (/No module named 'torch'/.test(err)) return resolve(failed(c, 'python3-torch is not installed'));
      resolve(failed(c, signal ? `killed (${signal}) after ${timeoutMs / 1000} s` : `exit ${code}: ${tail}`));
    });
  });
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  // Several rounds run every peer in turn again, so load that comes and goes touches all peers alike.
  const rounds = Math.max(1, Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 1) || 1);
  const cfg = benchConfig(quick);
  const started = new Date();
  const loadBefore = loadavg();
  const git = gitState();
  console.log(
    `convbook bench ${quick ? '(quick) ' : ''}— ${started.toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
  );
  console.log(
    `code: ${git.commit}${git.uncommittedRuntime.length ? ` + uncommitted runtime files (${git.uncommittedRuntime.join(', ')})` : ''}`,
  );
  const chosen = children.filter((c) => !only || only.includes(c.peer));
  const perPeer = new Map<string, PeerResult[]>(chosen.map((c) => [c.peer, []]));
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) console.log(` round ${round} of ${rounds}`);
    for (const c of chosen) {
      const t0 = Date.now();
      process.stdout.write(`  ${c.label} … `);
      const r = await runChild(c, cfg);
      perPeer.get(c.peer)!.push(r);
      console.log(r.na.all ? `n/a (${r.na.all})` : `${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  const results = chosen.map((c) => mergeRounds(perPeer.get(c.peer)!));
  const report = buildReport(results);
  const loadAfter = loadavg();
  console.log(
    `\nData: ${results.find((r) => r.data !== 'n/a')?.data ?? 'n/a'}. Medians of ${cfg.windows} windows after warm-up${rounds > 1 ? ` in each of ${rounds} rounds, pooled` : ''}; load average at the end ${loadAfter.map((l) => l.toFixed(1)).join(' ')}.\n`,
  );
  console.log(report.tables);
  for (const r of results) for (const n of r.notes) console.log(`  note (${r.label}): ${n}`);

  const out = {
    date: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    config: cfg,
    rounds,
    git,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavgStart: loadBefore, loadavgEnd: loadAfter },
    weightsCheck: report.weightsCheck,
    ratios: report.ratios,
    targets: report.targets,
    results,
  };
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

await main();
