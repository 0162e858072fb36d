// The picture of an explanation: maps (an input image, a feature map, a kernel) side by side as one PNG
// grid, each with its padding border shown and a rectangle outlining the cells the equation reads
// (the window, the unit, the winner). Built on png.ts and grid.ts; labels stay in the caption.
import type { ColorMapName } from './colormaps.js';
import { tileGrid } from './grid.js';
import { createRaster, mapToRaster, upscale, upscaleFactor, type Raster, type Scale } from './png.js';

export interface PicturePanel {
  /** Values (h, w), row-major, of the unpadded map. */
  data: ArrayLike<number>;
  h: number;
  w: number;
  cmap: ColorMapName;
  scale: Scale;
  /** Padding drawn around the map (rows/cols of the padded frame), in a flat colour. */
  pad?: { top: number; bottom: number; left: number; right: number };
  /** Cells outlined, in padded coordinates: top-left row/col and size. */
  rect?: { row: number; col: number; h: number; w: number };
  /** A second outline (another colour), e.g. the next unit's window, so the stride shows. */
  next?: { row: number; col: number; h: number; w: number };
}

const PAD_COLOR: [number, number, number] = [200, 215, 235];
const MARK: [number, number, number] = [230, 20, 20];
const NEXT: [number, number, number] = [255, 160, 0];

function panelRaster(p: PicturePanel, minPx: number): Raster {
  const pad = p.pad ?? { top: 0, bottom: 0, left: 0, right: 0 };
  const H = p.h + pad.top + pad.bottom;
  const W = p.w + pad.left + pad.right;
  const inner = mapToRaster(p.data, p.h, p.w, p.cmap, p.scale);
  const framed = createRaster(W, H, PAD_COLOR);
  for (let y = 0; y < p.h; y++) framed.rgb.set(inner.rgb.subarray(y * p.w * 3, (y + 1) * p.w * 3), ((y + pad.top) * W + pad.left) * 3);
  const f = upscaleFactor(W, H, minPx);
  const big = upscale(framed, f);
  if (p.next) outline(big, p.next.row * f, p.next.col * f, p.next.h * f, p.next.w * f, NEXT, 1);
  if (p.rect) outline(big, p.rect.row * f, p.rect.col * f, p.rect.h * f, p.rect.w * f, MARK, 2);
  return big;
}

/** An outline `thick` pixels wide just inside the rectangle (clipped to the raster). */
function outline(r: Raster, y0: number, x0: number, h: number, w: number, color: [number, number, number], thick: number): void {
  const set = (y: number, x: number) => {
    if (y >= 0 && x >= 0 && y < r.height && x < r.width) r.rgb.set(color, (y * r.width + x) * 3);
  };
  for (let t = 0; t < thick; t++) {
    for (let x = x0; x < x0 + w; x++) {
      set(y0 + t, x);
      set(y0 + h - 1 - t, x);
    }
    for (let y = y0; y < y0 + h; y++) {
      set(y, x0 + t);
      set(y, x0 + w - 1 - t);
    }
  }
}

/** The panels in one row, each scaled up to about 168 pixels so a 3×3 window is visible on a 28×28 image. */
export function explainPicture(panels: PicturePanel[]): Raster {
  return tileGrid(
    panels.map((p) => panelRaster(p, 168)),
    { cols: panels.length, pad: 6 },
  );
}
