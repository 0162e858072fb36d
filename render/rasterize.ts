// SVG → PNG with resvg (a Rust SVG renderer shipped as a prebuilt npm binary), so every plot and chart has
// an image/png that needs neither JavaScript nor trust. Text uses the DejaVu Sans files from the
// dejavu-fonts-ttf package, never the system's fonts, so the same SVG gives the same pixels on any machine.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined;
let fontOptions: ResvgRenderOptions['font'] | undefined;

function fonts(): ResvgRenderOptions['font'] {
  if (fontOptions) return fontOptions;
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  fontOptions = {
    fontFiles: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'].map((f) => join(dir, f)),
    loadSystemFonts: false,
    defaultFontFamily: 'DejaVu Sans',
    sansSerifFamily: 'DejaVu Sans',
    monospaceFamily: 'DejaVu Sans Mono',
  };
  return fontOptions;
}

/** The PNG of an SVG document at its own size (scale 2 doubles every side), as a Buffer. */
export function svgToPng(svg: string, scale = 1): Buffer {
  resvg ??= require('@resvg/resvg-js') as ResvgModule;
  const r = new resvg.Resvg(svg, {
    font: fonts(),
    background: 'white',
    shapeRendering: 2,
    textRendering: 1,
    imageRendering: 1,
    ...(scale !== 1 ? { fitTo: { mode: 'zoom', value: scale } } : {}),
  });
  return r.render().asPng();
}

/** Base64 PNG of an SVG document, as Jupyter's image/png wants it. */
export function svgToPngBase64(svg: string, scale = 1): string {
  return svgToPng(svg, scale).toString('base64');
}
