// The CIFAR-shaped benchmark network is the same network in convbook (scripts/bench/cifar.ts) and in
// PyTorch (scripts/bench/torch_cifar.py) at every width the cost-growth table uses: same parameter count
// and output size. A fairness check of the benchmark, not a timing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import { cifarNet } from '../../scripts/bench/cifar.js';
import { PYTHON, pythonSkip } from '../interop/python.js';

const skip = pythonSkip('torch');

describe.skipIf(skip !== undefined)('CIFAR-shaped benchmark network', () => {
  it('has the same parameter count and output size in convbook and PyTorch at widths ×1, ×2, ×4', () => {
    const script = [
      'import sys, torch',
      `sys.path.insert(0, ${JSON.stringify(join(process.cwd(), 'scripts', 'bench'))})`,
      'from torch_cifar import cifar_net',
      'for w in (1, 2, 4):',
      '    n = cifar_net(w)',
      '    print(w, sum(p.numel() for p in n.parameters()), n(torch.zeros(1, 3, 32, 32)).shape[1])',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const torch = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    const ours = [1, 2, 4].map((w) => {
      const net = createNet(cifarNet(w), { rng: createRng(1) });
      const o = net.info[net.info.length - 1].out;
      // batch norm's γ, β are parameters in both; its running mean and variance are state (buffers in PyTorch).
      return [w, net.paramBuf.length, o.c * o.h * o.w];
    });
    expect(ours).toEqual(torch);
  });
});
