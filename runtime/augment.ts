// Seeded on-the-fly data augmentation for (c, h, w) float images in [0, 1]: translation, rotation, scaling,
// stretching, horizontal flip (one inverse-mapped bilinear resample with zero fill), brightness/contrast,
// Gaussian noise and one occluding rectangle. Example i of a batch draws only from rng.fork(i), so the
// result never depends on how a batch is cut into micro-batches or spread over workers.
import type { AugmentSpec, Shape3 } from './spec.js';
import type { Buf, Rng } from './types.js';

/** The random draws for one example; exported so `show augment` and tests can state what happened. */
export interface AugmentDraw {
  dx: number; // translation in pixels (positive = right)
  dy: number; // positive = down
  angle: number; // radians, counter-clockwise on screen
  sx: number; // horizontal scale
  sy: number;
  flip: boolean;
  brightness: number; // added after contrast
  contrast: number; // factor about the image mean
  occlude?: { top: number; left: number; h: number; w: number };
}

const uniform = (rng: Rng, max: number) => (2 * rng.next() - 1) * max;

/** Draws one example's transform. The draw order is fixed whatever the spec enables, so streams line up. */
export function drawAugment(spec: AugmentSpec, shape: Shape3, rng: Rng): AugmentDraw {
  const dx = uniform(rng, spec.shift ?? 0);
  const dy = uniform(rng, spec.shift ?? 0);
  const angle = (uniform(rng, spec.rotate ?? 0) * Math.PI) / 180;
  const zoom = 1 + uniform(rng, spec.scale ?? 0);
  // Stretching trades width for height (area-preserving), so it is independent of zoom.
  const st = 1 + uniform(rng, spec.stretch ?? 0);
  const flip = rng.next() < 0.5 && spec.flip === true;
  const brightness = uniform(rng, spec.brightness ?? 0);
  const contrast = 1 + uniform(rng, spec.contrast ?? 0);
  const draw: AugmentDraw = { dx, dy, angle, sx: zoom * st, sy: zoom / st, flip, brightness, contrast };
  if (spec.occlude) {
    const h = Math.min(spec.occlude[0], shape.h);
    const w = Math.min(spec.occlude[1], shape.w);
    draw.occlude = { top: rng.int(shape.h - h + 1), left: rng.int(shape.w - w + 1), h, w };
  }
  return draw;
}

function isGeometric(d: AugmentDraw): boolean {
  return d.dx !== 0 || d.dy !== 0 || d.angle !== 0 || d.sx !== 1 || d.sy !== 1;
}

/**
 * dst (c, h, w) ← src (c, h, w) resampled: output pixel p takes the source at A⁻¹(p − centre − t) + centre,
 * A = rotation·diag(sx, sy), bilinear, zero outside; then mirrored when flip.
 */
function resample(dst: Buf, dOff: number, src: Buf, sOff: number, s: Shape3, d: AugmentDraw): void {
  const { c, h, w } = s;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const cos = Math.cos(d.angle);
  const sin = Math.sin(d.angle);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ox = (d.flip ? w - 1 - x : x) - cx - d.dx;
      const oy = y - cy - d.dy;
      // Inverse rotation, then inverse scale. Screen y points down, so this rotation looks counter-clockwise.
      const u = (cos * ox - sin * oy) / d.sx + cx;
      const v = (sin * ox + cos * oy) / d.sy + cy;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      const in00 = x0 >= 0 && x0 < w && y0 >= 0 && y0 < h;
      const in10 = x0 + 1 >= 0 && x0 + 1 < w && y0 >= 0 && y0 < h;
      const in01 = x0 >= 0 && x0 < w && y0 + 1 >= 0 && y0 + 1 < h;
      const in11 = x0 + 1 >= 0 && x0 + 1 < w && y0 + 1 >= 0 && y0 + 1 < h;
      for (let ch = 0; ch < c; ch++) {
        const base = sOff + ch * h * w;
        const p00 = in00 ? src[base + y0 * w + x0] : 0;
        const p10 = in10 ? src[base + y0 * w + x0 + 1] : 0;
        const p01 = in01 ? src[base + (y0 + 1) * w + x0] : 0;
        const p11 = in11 ? src[base + (y0 + 1) * w + x0 + 1] : 0;
        dst[dOff + ch * h * w + y * w + x] = (1 - fy) * ((1 - fx) * p00 + fx * p10) + fy * ((1 - fx) * p01 + fx * p11);
      }
    }
  }
}

/** Copies or mirrors without resampling, so a flip alone is exact. */
function copyOrFlip(dst: Buf, dOff: number, src: Buf, sOff: number, s: Shape3, flip: boolean): void {
  const rows = s.c * s.h;
  for (let r = 0; r < rows; r++) {
    const a = sOff + r * s.w;
    const b = dOff + r * s.w;
    for (let x = 0; x < s.w; x++) dst[b + x] = src[a + (flip ? s.w - 1 - x : x)];
  }
}

/** Applies one draw to one image: dst (c, h, w) ← augmented src (c, h, w). Noise draws from rng after the draw. */
export function applyAugment(
  dst: Buf,
  dOff: number,
  src: Buf,
  sOff: number,
  shape: Shape3,
  spec: AugmentSpec,
  d: AugmentDraw,
  rng: Rng,
): void {
  const size = shape.c * shape.h * shape.w;
  if (isGeometric(d)) resample(dst, dOff, src, sOff, shape, d);
  else copyOrFlip(dst, dOff, src, sOff, shape, d.flip);
  if (d.contrast !== 1 || d.brightness !== 0) {
    let mean = 0;
    for (let i = 0; i < size; i++) mean += dst[dOff + i];
    mean /= size;
    for (let i = 0; i < size; i++) dst[dOff + i] = clamp01((dst[dOff + i] - mean) * d.contrast + mean + d.brightness);
  }
  const sigma = spec.noise ?? 0;
  if (sigma > 0) for (let i = 0; i < size; i++) dst[dOff + i] = clamp01(dst[dOff + i] + sigma * rng.normal());
  if (d.occlude) {
    const { top, left, h, w } = d.occlude;
    for (let ch = 0; ch < shape.c; ch++) {
      for (let y = top; y < top + h; y++)
        dst.fill(0, dOff + ch * shape.h * shape.w + y * shape.w + left, dOff + ch * shape.h * shape.w + y * shape.w + left + w);
    }
  }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** True when the spec changes anything at all (so the loop can skip the copy). */
export function augmentActive(spec: AugmentSpec | undefined): spec is AugmentSpec {
  if (!spec) return false;
  return !!(
    spec.shift ||
    spec.rotate ||
    spec.scale ||
    spec.stretch ||
    spec.flip ||
    spec.brightness ||
    spec.contrast ||
    spec.noise ||
    spec.occlude
  );
}

/**
 * dst (n, c, h, w) ← augmented src (n, c, h, w). Example k uses rng.fork(first + k): pass the example's position
 * in the whole batch as `first` when augmenting a slice of it. src and dst must not overlap.
 */
export function augmentBatch(src: Buf, dst: Buf, n: number, shape: Shape3, spec: AugmentSpec, rng: Rng, first = 0): void {
  const size = shape.c * shape.h * shape.w;
  for (let k = 0; k < n; k++) {
    const r = rng.fork(first + k);
    applyAugment(dst, k * size, src, k * size, shape, spec, drawAugment(spec, shape, r), r);
  }
}
