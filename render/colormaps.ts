// Colour maps as small tables of control points, expanded once into lookup tables: gray for images,
// viridis-like (perceptual) for activations, bwr (0 at white) for signed weights, blues for counts.
// Values outside [0, 1] are clamped; non-finite values get a flag colour.

export type Rgb = [number, number, number];
export type ColorMapName = 'gray' | 'viridis' | 'bwr' | 'blues';

/** Control points at evenly spaced positions in [0, 1]; linear interpolation in RGB between them. */
export const colorMapStops: Record<ColorMapName, Rgb[]> = {
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  // Five samples of the viridis curve: perceptually even and readable in grey print.
  viridis: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ],
  bwr: [
    [0, 0, 255],
    [255, 255, 255],
    [255, 0, 0],
  ],
  // Sequential white → dark blue for counts (confusion matrices): zero stays blank.
  blues: [
    [255, 255, 255],
    [107, 174, 214],
    [8, 48, 107],
  ],
};

/** Magenta marks NaN/Infinity so a diverged run is visible rather than silently black. */
export const NON_FINITE_COLOR: Rgb = [255, 0, 255];

/** Odd, so the middle entry is exactly the middle of the map: 0 under a symmetric scale is pure white in bwr. */
export const LUT_LEVELS = 255;

const luts = new Map<ColorMapName, Uint8Array>();

/** LUT_LEVELS × RGB lookup table for a map, built on first use. */
export function colorLut(name: ColorMapName): Uint8Array {
  const cached = luts.get(name);
  if (cached) return cached;
  const stops = colorMapStops[name];
  const lut = new Uint8Array(LUT_LEVELS * 3);
  for (let i = 0; i < LUT_LEVELS; i++) {
    const [r, g, b] = interpolate(stops, i / (LUT_LEVELS - 1));
    lut[i * 3] = r;
    lut[i * 3 + 1] = g;
    lut[i * 3 + 2] = b;
  }
  luts.set(name, lut);
  return lut;
}

/** The colour of t ∈ [0, 1] (clamped) under a map. */
export function colorAt(name: ColorMapName, t: number): Rgb {
  if (!Number.isFinite(t)) return [...NON_FINITE_COLOR];
  const lut = colorLut(name);
  const i = Math.round(Math.min(1, Math.max(0, t)) * (LUT_LEVELS - 1)) * 3;
  return [lut[i], lut[i + 1], lut[i + 2]];
}

/** CSS rgb() of t ∈ [0, 1] under a map, for HTML heat-map cells. */
export function cssColorAt(name: ColorMapName, t: number): string {
  const [r, g, b] = colorAt(name, t);
  return `rgb(${r},${g},${b})`;
}

function interpolate(stops: Rgb[], t: number): Rgb {
  const pos = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as Rgb;
}
