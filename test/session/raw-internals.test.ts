// Every error a cell can reach from a bad file is a sentence about that file: a table of crafted
// model files, images and data files goes through real cells (compile, executors, runtime), and no
// message may show JavaScript's internals (undefined, TypeError, RangeError, Cannot read, stack frames).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKSUM_BYTES, FORMAT_VERSION, MAGIC, PREFIX_BYTES } from '../../runtime/io/format.js';
import { encodeModel, modelFileOf } from '../../runtime/io/index.js';
import { createNet } from '../../runtime/net.js';
import { createRng } from '../../runtime/rng.js';
import type { ModelSpec } from '../../runtime/spec.js';
import { createHarness } from './harness.js';

const RAW =
  /undefined|TypeError|RangeError|Invalid typed array|The value of "|ReferenceError|SyntaxError: Unexpected|Cannot read|is not a function|is not iterable|^\s*at \S.*:\d+:\d+\)?$/m;

const dir = mkdtempSync(join(tmpdir(), 'convbook-crafted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const spec: ModelSpec = {
  name: 'm',
  input: { c: 1, h: 8, w: 8 },
  layers: [
    {
      kind: 'conv2d',
      name: 'conv1',
      filters: 2,
      kernel: [3, 3],
      stride: [1, 1],
      padding: { mode: 'zero', top: 0, bottom: 0, left: 0, right: 0 },
      activation: 'relu',
      init: 'he',
    },
    { kind: 'flatten', name: 'flat' },
    { kind: 'dense', name: 'dense1', units: 3, activation: 'softmax', init: 'glorot' },
  ],
  loss: 'cross_entropy',
  frozen: [],
};
const good = encodeModel(modelFileOf(createNet(spec, { rng: createRng(1) })));

/** A model file with this header and section area, with a correct length and checksum (so the header is what is read). */
function craft(header: unknown, area = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const hlen = Math.ceil(json.length / 8) * 8;
  const total = PREFIX_BYTES + hlen + area.length + CHECKSUM_BYTES;
  const out = Buffer.alloc(total, 0x20);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 8);
  out.writeUInt32LE(hlen, 12);
  out.writeBigUInt64LE(BigInt(total), 16);
  json.copy(out, PREFIX_BYTES);
  Buffer.from(area).copy(out, PREFIX_BYTES + hlen);
  createHash('sha256')
    .update(out.subarray(0, total - CHECKSUM_BYTES))
    .digest()
    .copy(out, total - CHECKSUM_BYTES);
  return out;
}

const header = (over: Record<string, unknown>) => ({
  convbook: '0.1.0',
  spec,
  params: [],
  stateSize: 0,
  sections: [{ name: 'params', dtype: 'float32', offset: 0, length: 0 }],
  ...over,
});
const withLayer = (layer: unknown) => header({ spec: { ...spec, layers: [layer] } });

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 2×2 PNG whose header claims w×h, with the header's CRC made right again (unless badCrc). */
function png(w: number, h: number, badCrc = false): Buffer {
  const p = new PNG({ width: 2, height: 2 });
  p.data.fill(128);
  const bytes = PNG.sync.write(p);
  bytes.writeUInt32BE(w, 16);
  bytes.writeUInt32BE(h, 20);
  // The IHDR chunk: length at 8, type and data 12..29, CRC at 29.
  bytes.writeUInt32BE(badCrc ? 1 : crc32(bytes.subarray(12, 29)), 29);
  return bytes;
}

function folderWith(name: string, image: Buffer): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'a'), { recursive: true });
  writeFileSync(join(root, 'a', 'x.png'), image);
  return root;
}

function idx(dims: number[], data = new Uint8Array(0)): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

function npy(shape: string, descr = '|u1', data = new Uint8Array(0)): Uint8Array {
  let text = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  text += ' '.repeat(64 - ((10 + text.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93]).copy(head, 0);
  head.write('NUMPY', 1, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), data]);
}

const labels1 = put('labels1.idx', idx([1], new Uint8Array([0])));

const cases: [string, string][] = [
  // model files
  ['empty model file', `load m = "${put('empty.convbook', '')}"`],
  ['random bytes', `load m = "${put('random.convbook', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97) % 256)))}"`],
  ['truncated model file', `load m = "${put('cut.convbook', good.subarray(0, good.length - 40))}"`],
  ['header not JSON', `load m = "${put('json.convbook', craft('{not json'.repeat(1)))}"`],
  ['header is a number', `load m = "${put('num.convbook', craft(42))}"`],
  ['unknown layer kind', `load m = "${put('kind.convbook', craft(withLayer({ kind: 'lstm', name: 'l1', units: 3 })))}"`],
  ['layer without kind', `load m = "${put('nokind.convbook', craft(withLayer({ name: 'l1' })))}"`],
  ['layer is null', `load m = "${put('null.convbook', craft(withLayer(null)))}"`],
  [
    'huge dense layer',
    `load m = "${put(
      'huge.convbook',
      craft(
        header({
          spec: {
            ...spec,
            input: { c: 3, h: 100, w: 100 },
            layers: [
              { kind: 'flatten', name: 'f' },
              { kind: 'dense', name: 'd', units: 16_000_000, activation: 'relu', init: 'he' },
            ],
          },
        }),
      ),
    )}"`,
  ],
  [
    'dense units 1e12',
    `load m = "${put('units.convbook', craft(withLayer({ kind: 'dense', name: 'd', units: 1e12, activation: 'relu', init: 'he' })))}"`,
  ],
  ['kernel larger than input', `load m = "${put('kernel.convbook', craft(withLayer({ ...spec.layers[0], kernel: [99, 99] })))}"`],
  ['negative input', `load m = "${put('input.convbook', craft(header({ spec: { ...spec, input: { c: -1, h: 8, w: 8 } } })))}"`],
  ['layers not a list', `load m = "${put('layers.convbook', craft(header({ spec: { ...spec, layers: 'conv' } })))}"`],
  ['no sections', `load m = "${put('nosec.convbook', craft(header({ sections: 'x' })))}"`],
  ['section entry null', `load m = "${put('secnull.convbook', craft(header({ sections: [null] })))}"`],
  [
    'section past the end',
    `load m = "${put('secend.convbook', craft(header({ sections: [{ name: 'params', dtype: 'float32', offset: 0, length: 1e9 }] })))}"`,
  ],
  ['training state broken', `load m = "${put('train.convbook', craft(header({ training: { epoch: 1, step: 2 } })))}"`],
  ['history broken', `load m = "${put('hist.convbook', craft(header({ history: 7 })))}"`],
  ['model path is a directory', `load m = "${dir}"`],
  ['model path is /dev/zero', 'load m = "/dev/zero"'],
  // ONNX imports
  ['ONNX import of /dev/zero', 'import m = "/dev/zero"'],
  ['ONNX import of a folder', `import m = "${dir}"`],
  ['ONNX import of an empty file', `import m = "${put('empty.onnx', '')}"`],
  ['ONNX import of noise', `import m = "${put('noise.onnx', Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 131 + 7) % 256)))}"`],
  ['ONNX import of a model file', `import m = "${put('model.onnx', good)}"`],
  // images
  ['PNG declaring 100000×100000', `data x = folder("${folderWith('huge-png', png(100000, 100000))}")`],
  ['PNG declaring 0×5', `data x = folder("${folderWith('zero-png', png(0, 5))}")`],
  ['PNG with a broken CRC', `data x = folder("${folderWith('crc-png', png(2, 2, true))}")`],
  ['not a PNG', `data x = folder("${folderWith('text-png', Buffer.from('hello, I am text'))}")`],
  ['empty PNG', `data x = folder("${folderWith('empty-png', Buffer.alloc(0))}")`],
  // data files
  ['IDX images of width 0', `data x = idx("${put('w0.idx', idx([1, 28, 0]))}", "${labels1}")`],
  ['IDX images of height 0', `data x = idx("${put('h0.idx', idx([1, 0, 28]))}", "${labels1}")`],
  ['IDX with a huge header', `data x = idx("${put('hugeidx.idx', idx([4294967295, 4294967295, 4294967295]))}", "${labels1}")`],
  ['IDX empty', `data x = idx("${put('empty.idx', '')}", "${labels1}")`],
  ['IDX truncated gzip', `data x = idx("${put('cut.idx.gz', gzipSync(idx([1, 2, 2], new Uint8Array(4))).subarray(0, 12))}", "${labels1}")`],
  ['npy with width 0', `data x = npy("${put('w0.npy', npy('(1, 4, 0)'))}", "${put('l.npy', npy('(1,)', '|u1', new Uint8Array([0])))}")`],
  [
    'npy garbage header',
    `data x = npy("${put('bad.npy', Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY\u0001\u0000\u00ff\u00ff{')]))}", "${put('l2.npy', npy('(1,)', '|u1', new Uint8Array([0])))}")`,
  ],
  [
    'npy float16',
    `data x = npy("${put('f16.npy', npy('(1, 2, 2)', '<f2', new Uint8Array(8)))}", "${put('l3.npy', npy('(1,)', '|u1', new Uint8Array([0])))}")`,
  ],
  ['CSV of binary noise', `data x = csv("${put('noise.csv', Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 31) % 256)))}")`],
  ['CSV empty', `data x = csv("${put('empty.csv', '')}")`],
  ['CSV ragged', `data x = csv("${put('ragged.csv', '1,2,3,4,5\n0,1\n')}")`],
  ['CSV pixel out of range', `data x = csv("${put('range.csv', '1,300,2,3,4\n0,1,2,3,4\n')}")`],
];

describe('bad input never shows JavaScript internals', () => {
  it.each(cases)('%s', async (_what, cell) => {
    const h = createHarness(dir);
    const r = await h.run(cell);
    if (process.env.SHOW_MESSAGES) console.log(`${_what}: ${r.error?.ename}: ${r.error?.evalue}`);
    expect(r.error, 'the cell should fail').toBeDefined();
    const text = [r.error!.evalue, ...r.error!.traceback].join('\n');
    expect(r.error!.ename).not.toBe('InternalError');
    expect(text).not.toMatch(RAW);
    // A sentence about the input: it names the file (or folder) it is about.
    expect(r.error!.evalue).toContain(basename(/"([^"]+)"/.exec(cell)![1]));
    expect(h.state.models.size + h.state.data.size).toBe(0);
  });
});
