// IDX files (the MNIST family's format; gzipped or not): images (n, h, w) and labels (n), unsigned bytes.
// Header: 0x00 0x00, type code, number of dims, then one big-endian uint32 per dim, then the data.
// http://yann.lecun.com/exdb/mnist/ describes the layout; only the ubyte type (0x08) holds pixels here.
import { assemble } from './assemble.js';
import { fail, type Dataset, type Result, type Split } from './dataset.js';
import { readBytes, type ReadAbort } from './read-file.js';

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

export interface IdxArray {
  dims: number[];
  /** A view into the file's bytes, no copy. */
  data: Uint8Array;
}

/** Parses one IDX array of unsigned bytes with the expected number of dimensions. */
export function parseIdx(bytes: Uint8Array, file: string, ndims: number): Result<IdxArray> {
  const what = ndims === 1 ? 'labels' : 'images';
  const expected = `0x0000080${ndims}`;
  if (bytes.length < 4) return fail(file, `truncated: ${bytes.length} bytes, too short for an IDX header`);
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const hex = `0x${magic.toString(16).padStart(8, '0')}`;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(bytes[2] in TYPE_NAMES))
    return fail(file, `wrong magic number ${hex}: not an IDX file (expected ${expected} for ${what})`);
  if (bytes[2] !== 0x08)
    return fail(
      file,
      `IDX element type ${TYPE_NAMES[bytes[2]]} (magic ${hex}) is not supported; ${what} must be unsigned bytes (magic ${expected})`,
    );
  if (bytes[3] !== ndims) {
    const hint = bytes[3] === 1 ? ' (this looks like a labels file)' : bytes[3] === 3 ? ' (this looks like an images file)' : '';
    return fail(file, `wrong magic number ${hex}: ${bytes[3]}-dimensional, expected ${expected} for ${what}${hint}`);
  }
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) return fail(file, `truncated: header needs ${headerLen} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < ndims; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    size *= dims[d];
  }
  if (ndims === 3 && (dims[1] === 0 || dims[2] === 0)) {
    return fail(file, `the header declares images of ${dims[1]}×${dims[2]} pixels; an image needs at least 1×1`);
  }
  const have = bytes.length - headerLen;
  if (have < size) return fail(file, `truncated: header declares ${dims.join('×')} = ${size} bytes of data, file has ${have}`);
  if (have > size) return fail(file, `${have - size} unexpected bytes after the ${dims.join('×')} data declared in the header`);
  return { ok: true, value: { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerLen, size) } };
}

/** Reads an images file and a labels file into one split (sizes and counts checked). */
export async function readIdxPair(
  imagesFile: string,
  labelsFile: string,
  abort?: ReadAbort,
): Promise<Result<{ split: Split; h: number; w: number }>> {
  const [ib, lb] = await Promise.all([readBytes(imagesFile, { abort }), readBytes(labelsFile, { abort })]);
  if (!ib.ok) return ib;
  if (!lb.ok) return lb;
  const im = parseIdx(ib.value, imagesFile, 3);
  if (!im.ok) return im;
  const lab = parseIdx(lb.value, labelsFile, 1);
  if (!lab.ok) return lab;
  const [n, h, w] = im.value.dims;
  if (lab.value.dims[0] !== n) return fail(labelsFile, `has ${lab.value.dims[0]} labels but ${imagesFile} has ${n} images`);
  return { ok: true, value: { split: { images: im.value.data, labels: lab.value.data, count: n }, h, w } };
}

export interface IdxOptions {
  testImages?: string;
  testLabels?: string;
  /** Without separate test files: fraction (< 1) or count of examples held out as test. */
  test?: number;
  seed: number;
  /** Known class count (labels must be below it); default max label + 1. */
  classes?: number;
  classNames?: string[];
  name?: string;
  /** Stops the read between chunks. */
  abort?: ReadAbort;
}

export async function loadIdx(images: string, labels: string, opts: IdxOptions): Promise<Result<Dataset>> {
  if ((opts.testImages === undefined) !== (opts.testLabels === undefined)) {
    return fail(opts.testImages ?? opts.testLabels ?? images, 'test images and test labels must be given together');
  }
  const train = await readIdxPair(images, labels, opts.abort);
  if (!train.ok) return train;
  const { h, w } = train.value;
  let test: Split | undefined;
  if (opts.testImages !== undefined && opts.testLabels !== undefined) {
    const t = await readIdxPair(opts.testImages, opts.testLabels, opts.abort);
    if (!t.ok) return t;
    if (t.value.h !== h || t.value.w !== w)
      return fail(opts.testImages, `images are ${t.value.h}×${t.value.w} but the training images in ${images} are ${h}×${w}`);
    test = t.value.split;
  }
  return assemble({
    name: opts.name ?? 'idx',
    source: [images, labels, opts.testImages, opts.testLabels].filter((f) => f !== undefined).join(', '),
    shape: { c: 1, h, w },
    classes: opts.classes,
    classNames: opts.classNames,
    train: train.value.split,
    trainFile: labels,
    test,
    testFile: opts.testLabels,
    testSize: opts.test,
    seed: opts.seed,
  });
}
