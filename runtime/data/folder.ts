// A folder of PNG images with one subfolder per class: class names are the subfolder names, sorted
// (so label i is the i-th name). Grayscale unless some file is colour, then RGB (grays replicated);
// alpha is dropped. All images must share one size. Decoding by pngjs.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { assemble } from './assemble.js';
import { fail, type Dataset, type Result } from './dataset.js';

export interface FolderOptions {
  test?: number;
  seed: number;
  name?: string;
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
    return fail(dir, code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'is a file, not a directory of class folders' : `cannot read directory: ${String(e)}`);
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function loadFolder(path: string, opts: FolderOptions): Promise<Result<Dataset>> {
  const top = await listDir(path);
  if (!top.ok) return top;
  // Locale-independent sort so the same folder gives the same labels on every machine.
  const classNames = top.value.filter((e) => e.isDir && !e.name.startsWith('.')).map((e) => e.name).sort(byCodeUnit);
  if (classNames.length === 0) return fail(path, 'has no class subfolders (expected one folder of PNG images per class)');
  if (classNames.length > 256) return fail(path, `has ${classNames.length} class folders; at most 256 classes are supported`);
  const decoded: Decoded[] = [];
  for (let label = 0; label < classNames.length; label++) {
    const dir = join(path, classNames[label]);
    const entries = await listDir(dir);
    if (!entries.ok) return entries;
    const pngs = entries.value.filter((e) => !e.isDir && !e.name.startsWith('.') && e.name.toLowerCase().endsWith('.png')).map((e) => e.name).sort(byCodeUnit);
    if (pngs.length === 0) return fail(dir, `class folder '${classNames[label]}' has no .png images`);
    for (const name of pngs) {
      const file = join(dir, name);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        return fail(file, `cannot read file: ${e instanceof Error ? e.message : String(e)}`);
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
