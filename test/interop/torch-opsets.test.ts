// Import across ONNX opsets: Debian's torch exports the fixture networks (scripts/fixtures/make_onnx_fixtures.py)
// at opsets 9, 11, 14 and 17 into a temp dir, with 20 images and its outputs; each file imports and agrees ≤ 1e-5.
// (Opset 9 keeps Pad's pads in an attribute, 11 on in an input; 14 adds BatchNormalization's training_mode.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { netOfImport } from '../../runtime/interop/net-of.js';
import { importOnnx } from '../../runtime/interop/onnx-import.js';
import { forwardBatched } from '../../runtime/net.js';
import { maxAbsDiff } from './models.js';
import { PYTHON, pythonSkip } from './python.js';
import { scratchDir } from './scratch.js';

const script = fileURLToPath(new URL('../../scripts/fixtures/make_onnx_fixtures.py', import.meta.url));
const OPSETS = [9, 11, 14, 17];

describe.skipIf(pythonSkip('torch') !== undefined)('ONNX import across opsets', () => {
  it('torch-made LeNet and the batch-norm net import at opsets 9, 11, 14 and 17 and agree with torch', () => {
    const dir = scratchDir('opsets');
    const py = [
      'import importlib.util, json, sys, torch',
      `spec = importlib.util.spec_from_file_location("mk", ${JSON.stringify(script)})`,
      'mk = importlib.util.module_from_spec(spec); spec.loader.exec_module(mk)',
      'torch.manual_seed(15); gen = torch.Generator().manual_seed(15)',
      `for op in ${JSON.stringify(OPSETS)}:`,
      '    for name, net in [("lenet", mk.LeNet()), ("bn_avg", mk.BnAvg())]:',
      '        if name == "bn_avg": mk.warm_batchnorm(net, gen)',
      '        net.eval()',
      '        x = torch.rand(20, 1, 28, 28, generator=gen)',
      '        with torch.no_grad(): y = net(x)',
      `        p = ${JSON.stringify(dir)} + "/op%d_%s.onnx" % (op, name)`,
      '        torch.onnx.export(net, x[:2], p, opset_version=op, input_names=["input"], output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})',
      '        json.dump({"x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist()}, open(p + ".json", "w"))',
    ].join('\n');
    execFileSync(PYTHON, ['-c', py], { stdio: ['ignore', 'ignore', 'pipe'] });
    for (const op of OPSETS) {
      for (const name of ['lenet', 'bn_avg']) {
        const p = join(dir, `op${op}_${name}.onnx`);
        const r = importOnnx(readFileSync(p), 'm');
        if (!r.ok) throw new Error(`opset ${op} ${name}: ${r.error.message}`);
        const b = netOfImport(r.value);
        if (!b.ok) throw new Error(b.error);
        const ref = JSON.parse(readFileSync(`${p}.json`, 'utf8')) as { x: number[]; y: number[] };
        expect(maxAbsDiff(forwardBatched(b.net, Float32Array.from(ref.x), 20, 20), ref.y), `opset ${op} ${name}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});
