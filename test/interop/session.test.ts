// The interop statements through the real session: export to ONNX and to PyTorch, import a PyTorch-made
// network and fine-tune it with frozen conv layers; refusals and damaged files are errors at the statement
// that bind nothing and keep what was there.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHarness, streamText } from '../session/harness.js';
import { scratchDir } from './scratch.js';

const fixtures = new URL('../fixtures/onnx/', import.meta.url);

function workdir(): string {
  const dir = scratchDir('interop');
  for (const f of ['lenet.onnx', 'unsupported.onnx']) copyFileSync(new URL(f, fixtures), join(dir, f));
  return dir;
}

describe('interop statements in a session', () => {
  it('exports a trained model to ONNX and PyTorch, imports a PyTorch network and fine-tunes it frozen', async () => {
    const dir = workdir();
    const h = createHarness(dir);
    expect((await h.run('data digits = mnist(train: 300, test: 100, seed: 1)')).error).toBeUndefined();
    expect(
      (await h.run('model tiny(input: 28x28x1) {\n  conv 4 kernel 3x3 padding same relu\n  maxpool 2x2\n  dense 10 softmax\n}')).error,
    ).toBeUndefined();
    expect((await h.run('train tiny on digits { epochs 1  batch 30  seed 1 }')).error).toBeUndefined();
    const ex = await h.run('export tiny to "tiny.onnx"\nexport tiny to "tiny.py"');
    expect(ex.error).toBeUndefined();
    expect(streamText(ex.outputs)).toMatch(/exported tiny to .*tiny\.onnx \(ONNX opset 13/);
    expect(readFileSync(join(dir, 'tiny.py'), 'utf8')).toMatch(/class Tiny\(nn\.Module\)/);
    expect(existsSync(join(dir, 'tiny.safetensors'))).toBe(true);

    const im = await h.run('import pre = "lenet.onnx"');
    expect(im.error).toBeUndefined();
    expect(streamText(im.outputs)).toMatch(
      /imported pre from .*lenet\.onnx \(made by pytorch 1\.13[^)]*\): conv1 ← \/features\/features\.0\/Conv/,
    );
    expect(im.outputs.some((o) => o.type === 'display')).toBe(true);
    const before = Float32Array.from(h.state.models.get('pre')!.net.params.find((p) => p.name === 'conv1.weight')!.value);

    const tl = await h.run(
      'model b from pre freeze conv1..conv2 {\n  replace dense 10 softmax\n}\ntrain b on digits { epochs 1  batch 30  seed 2 }\nevaluate b on digits.test',
    );
    expect(tl.error).toBeUndefined();
    const b = h.state.models.get('b')!;
    expect(b.spec.frozen).toEqual(['conv1', 'pool1', 'conv2']);
    expect(Array.from(b.net.params.find((p) => p.name === 'conv1.weight')!.value)).toEqual(Array.from(before));
    expect(streamText(tl.outputs)).toMatch(/accuracy \d+\.\d+%/);
    // The round trip: the exported ONNX file imports as a model again.
    expect((await h.run('import back = "tiny.onnx"')).error).toBeUndefined();
  });

  it('a refused or damaged file is an error at the import statement and binds nothing', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'notes.onnx'), 'these are my notes, not a network\n');
    writeFileSync(join(dir, 'cut.onnx'), readFileSync(join(dir, 'lenet.onnx')).subarray(0, 5000));
    const h = createHarness(dir);
    expect((await h.run('import keep = "lenet.onnx"')).error).toBeUndefined();
    const kept = h.state.models.get('keep');
    const cases: [string, RegExp][] = [
      ['unsupported.onnx', /unsupported\.onnx: node \/conv\/Conv \(Conv\): dilation 2×2 is not supported/],
      ['notes.onnx', /notes\.onnx: the file is not an ONNX model/],
      ['cut.onnx', /cut\.onnx: .*truncated or corrupt/],
      ['missing.onnx', /missing\.onnx: no such file/],
    ];
    for (const [file, message] of cases) {
      const r = await h.run(`print "before"\nimport keep = "${file}"`);
      expect(r.error?.ename).toMatch(/ImportError|IOError/);
      expect(r.error?.evalue).toMatch(message);
      expect(r.error?.traceback.join('\n')).toContain(`import keep = "${file}"`);
      expect(h.state.models.get('keep')).toBe(kept);
    }
    const x = await h.run('import fresh = "unsupported.onnx"');
    expect(x.error).toBeDefined();
    expect(h.state.models.has('fresh')).toBe(false);
  });

  it('an export into a folder that does not exist says so', async () => {
    const dir = workdir();
    const h = createHarness(dir);
    await h.run('model m { dense 10 softmax }');
    const r = await h.run('export m to "nowhere/m.onnx"');
    expect(r.error?.ename).toBe('IOError');
    expect(r.error?.evalue).toBe(`cannot write ${join(dir, 'nowhere', 'm.onnx')}: the folder ${join(dir, 'nowhere')} does not exist`);
  });

  it('an export path without .onnx or .py is a compile error at the path', async () => {
    const h = createHarness(workdir());
    await h.run('model m { dense 10 softmax }');
    const r = await h.run('export m to "m.h5"');
    expect(r.error?.ename).toBe('CompileError');
    expect(r.error?.evalue).toMatch(/line 1, column 13: export writes an ONNX file \(\.onnx\) or PyTorch source/);
  });
});
