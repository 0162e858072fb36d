// The augmentation preview: the original image followed by already-augmented variants, as a captioned
// HTML grid plus one PNG. Augmenting is the runtime's job (runtime/augment.ts); this only shows results.
import type { MimeBundle } from './mime.js';
import type { Shape3 } from '../runtime/spec.js';
import { balancedColumns, imageRaster, samplesBundle, tileGrid } from './grid.js';
import { encoded } from './html.js';
import { extent, type Scale } from './png.js';

export function augmentPreviewBundle(
  original: ArrayLike<number>,
  variants: ArrayLike<number>[],
  shape: Shape3,
  description: string,
): MimeBundle {
  // One scale for every tile: per-image stretching would hide brightness and contrast changes.
  const samples = [{ data: original, caption: 'original' }, ...variants.map((v, i) => ({ data: v, caption: `variant ${i + 1}` }))];
  const title = `augmentation preview (${description}): original and ${variants.length} variants`;
  const scale = sharedScale(samples.map((s) => s.data));
  // Even rows (9 tiles → 5 + 4), at most 6 across so the 84 px tiles fit a narrow output area.
  const cols = balancedColumns(samples.length, 6);
  const b = samplesBundle(samples, shape, title, { cols, minPx: 84, scale });
  const grid = tileGrid(
    samples.map((s) => imageRaster(s.data, shape, 84, scale)),
    { cols, pad: 3 },
  );
  b['image/png'] = encoded(grid).base64;
  return b;
}

/** 0..1 when the images are roughly in it (noise or brightness overshoot is clipped, as a screen would), else the joint range. */
function sharedScale(images: ArrayLike<number>[]): Scale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const im of images) {
    const e = extent(im);
    lo = Math.min(lo, e.lo);
    hi = Math.max(hi, e.hi);
  }
  if (lo >= -0.25 && hi <= 1.25) return 'unit';
  return hi > lo ? { lo, hi } : 'unit';
}
