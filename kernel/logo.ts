// The kernelspec logos, drawn at install time with pngjs: a 3×3 filter over a feature map, in the
// colours of a heat map. Deterministic, so no binary files need to live in the repository.
import { PNG } from 'pngjs';

type Rgb = [number, number, number];

const background: Rgb = [24, 32, 56];
const grid: Rgb = [70, 90, 140];
// A Sobel-like filter's weights mapped to a diverging palette: negative blue, positive orange.
const weights = [-1, 0, 1, -2, 0, 2, -1, 0, 1];

function weightColour(w: number): Rgb {
  const t = (w + 2) / 4;
  return [Math.round(40 + 215 * t), Math.round(110 + 60 * (1 - Math.abs(2 * t - 1))), Math.round(230 - 200 * t)];
}

export function drawLogo(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const margin = Math.max(1, Math.round(size / 10));
  const inner = size - 2 * margin;
  const cell = inner / 3;
  const radius = size / 6;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Rounded square: transparent outside the corner circles.
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2;
      let colour = background;
      const gx = (x - margin) / cell;
      const gy = (y - margin) / cell;
      if (gx >= 0 && gx < 3 && gy >= 0 && gy < 3) {
        const onLine = gx % 1 < 0.08 || gy % 1 < 0.08;
        colour = onLine ? grid : weightColour(weights[Math.floor(gy) * 3 + Math.floor(gx)]);
      }
      const i = (y * size + x) * 4;
      png.data[i] = colour[0];
      png.data[i + 1] = colour[1];
      png.data[i + 2] = colour[2];
      png.data[i + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}
