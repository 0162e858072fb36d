// A folder of PNG images with one subfolder per class: class names are the subfolder names, sorted
// (so label i is the i-th name). Grayscale unless some file is colour, then RGB (grays replicated);
// alpha is dropped. All images must share one size. Decoding by pngjs.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { assemble } from './assemble.js';
import { availableMemory, formatBytes } from '../memory.js';
import { fail, type Dataset, type Result } from './dataset.js';
import { readRaw, type ReadAbort } from './read-file.js';

export interface FolderOptions {
  test?: number;
  seed: number;
  name?: string;
  /** Checked between files and between chunks of one file. */
  abort?: ReadAbort;
}

interface Decoded {
  file: string;
  label: number;
  w: number;
  h: number;
  color: boolean;
  /** RGBA bytes, 8 bits per channel (pngjs rescales 16-bit files). */
  rgba: Uint8Array;
}

async function listDir(dir: string): Promise<Result<{ name: string; isDir: boolean }[]>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return { ok: true, value: entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return fail(
      dir,
      code === 'ENOENT'
        ? 'no such directory'
        : code === 'ENOTDIR'
          ? 'is a file, not a directory of class folders'
          : `cannot read directory: ${String(e)}`,
    );
  }
}

/** Width and height from the IHDR chunk that must follow the 8-byte signature, before decoding anything. */
function pngSize(b: Buffer): { w: number; h: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || signature.some((x, i) => b[i] !== x) || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function loadFolder(path: string, opts: FolderOptions): Promise<Result<Dataset>> {
  const top = await listDir(path);
  if (!top.ok) return top;
  // Locale-independent sort so the same folder gives the same labels on every machine.
  const classNames = top.value
    .filter((e) => e.isDir && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodeUnit);
  if (classNames.length === 0) return fail(path, 'has no class subfolders (expected one folder of PNG images per class)');
  if (classNames.length > 256) return fail(path, `has ${classNames.length} class folders; at most 256 classes are supported`);
  const decoded: Decoded[] = [];
  // Read once per load: thousands of small images need not each re-read /proc and the cgroup files.
  const memory = availableMemory();
  for (let label = 0; label < classNames.length; label++) {
    const dir = join(path, classNames[label]);
    const entries = await listDir(dir);
    if (!entries.ok) return entries;
    const pngs = entries.value
      .filter((e) => !e.isDir && !e.name.startsWith('.') && e.name.toLowerCase().endsWith('.png'))
      .map((e) => e.name)
      .sort(byCodeUnit);
    if (pngs.length === 0) return fail(dir, `class folder '${classNames[label]}' has no .png images`);
    for (const name of pngs) {
      const file = join(dir, name);
      const read = await readRaw(file, { abort: opts.abort, limit: memory });
      if (!read.ok) return read;
      const bytes = read.value;
      const size = pngSize(bytes);
      if (size === undefined) return fail(file, 'not a readable PNG image: it does not start with a PNG signature and header');
      const need = size.w * size.h * 4;
      if (size.w === 0 || size.h === 0) return fail(file, `not a readable PNG image: its header declares ${size.w}×${size.h} pixels`);
      if (need > memory) {
        return fail(
          file,
          `declares ${size.w}×${size.h} pixels, which would take ${formatBytes(need)} to decode; only ${formatBytes(memory)} of memory is available`,
        );
      }
      let png: ReturnType<typeof PNG.sync.read>;
      try {
        png = PNG.sync.read(bytes);
      } catch (e) {
        return fail(file, `not a readable PNG image: ${e instanceof Error ? e.message : String(e)}`);
      }
      const d: Decoded = { file, label, w: png.width, h: png.height, color: png.color, rgba: png.data };
      if (decoded.length > 0 && (d.w !== decoded[0].w || d.h !== decoded[0].h)) {
        return fail(file, `is ${d.w}×${d.h} but ${decoded[0].file} is ${decoded[0].w}×${decoded[0].h} (mixed image sizes)`);
      }
      decoded.push(d);
    }
  }
  const { w, h } = decoded[0];
  const c = decoded.some((d) => d.color) ? 3 : 1;
  const plane = w * h;
  const images = new Uint8Array(decoded.length * c * plane);
  const labels = new Uint8Array(decoded.length);
  decoded.forEach((d, n) => {
    labels[n] = d.label;
    const base = n * c * plane;
    // RGBA interleaved → planar C,H,W
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < plane; p++) images[base + ch * plane + p] = d.rgba[4 * p + ch];
  });
  return assemble({
    name: opts.name ?? 'folder',
    source: path,
    shape: { c, h, w },
    classes: classNames.length,
    classNames,
    train: { images, labels, count: decoded.length },
    trainFile: path,
    testSize: opts.test,
    seed: opts.seed,
  });
}
