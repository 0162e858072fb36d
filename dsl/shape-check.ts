// Shape inference for the checker: one runtime/shapes.ts inferShapes per model (so the summary and
// the checker agree); here we add the stricter rule a course teaches — a window whose stride does not
// divide (H + pads − K) silently drops pixels — and point each problem at the token that causes it.
import type { Bound } from './bind.js';
import type { LayerOrigin } from './lower-model.js';
import type { Diagnostic, SourceRange } from './program.js';
import { strideMessage, type StrideProblem } from './stride-fixes.js';
import { inferShapes } from '../runtime/shapes.js';
import type { LayerSpec, ModelSpec, Shape3 } from '../runtime/spec.js';
import type { LayerInfo } from '../runtime/types.js';

const fmt = (s: Shape3) => `${s.h}x${s.w}x${s.c}`;

function tokenFor(origin: LayerOrigin | undefined, fallback: SourceRange, ...options: string[]): SourceRange {
  if (origin === undefined) return fallback;
  const b: Bound = origin.bound;
  for (const o of options) if (b[o] !== undefined) return b[o].range;
  return origin.head;
}

/** The divisibility problem of one window layer on an input shape, if any. */
function strideProblem(l: LayerSpec, shape: Shape3): StrideProblem | undefined {
  if (l.kind !== 'conv2d' && l.kind !== 'maxpool' && l.kind !== 'avgpool') return undefined;
  // `round floor` asks for PyTorch's rounding: the rows past the last window are dropped on purpose.
  if (l.round === 'floor') return undefined;
  const k = l.kind === 'conv2d' ? l.kernel : l.size;
  const p = l.kind === 'conv2d' ? l.padding : { top: 0, bottom: 0, left: 0, right: 0 };
  const axes: StrideProblem[] = [
    { axis: 'height', n: shape.h, pads: p.top + p.bottom, k: k[0], s: l.stride[0] },
    { axis: 'width', n: shape.w, pads: p.left + p.right, k: k[1], s: l.stride[1] },
  ];
  return axes.find((a) => a.n + a.pads - a.k >= 0 && (a.n + a.pads - a.k) % a.s !== 0);
}

export interface ShapeCheck {
  diagnostics: Diagnostic[];
  /** Per-layer shapes, parameters and receptive fields when every layer fits. */
  layers?: LayerInfo[];
}

/** One shape inference over the model, then the empty-output and stride-divisibility errors at their tokens. */
export function checkShapes(spec: ModelSpec, origins: (LayerOrigin | undefined)[], fallback: SourceRange): ShapeCheck {
  const diagnostics: Diagnostic[] = [];
  const all = inferShapes(spec);
  const inputOf = (i: number): Shape3 => (i === 0 ? spec.input : all.layers[i - 1].out);
  // Layers that fit, in order, then the first that does not.
  const fitting = all.ok ? spec.layers.length : Math.max(all.layer, 0);
  for (let i = 0; i < fitting; i++) {
    const l = spec.layers[i];
    const shape = inputOf(i);
    const bad = strideProblem(l, shape);
    if (bad !== undefined && (l.kind === 'conv2d' || l.kind === 'maxpool' || l.kind === 'avgpool')) {
      diagnostics.push({
        severity: 'error',
        code: 'shape',
        message: strideMessage(l, bad, shape),
        range: tokenFor(origins[i], fallback, 'stride', l.kind === 'conv2d' ? 'kernel' : 'size'),
      });
    }
  }
  if (!all.ok) {
    if (all.layer < 0) {
      diagnostics.push({ severity: 'error', code: 'shape', message: all.message, range: fallback });
      return { diagnostics };
    }
    const l = spec.layers[all.layer];
    const shape = inputOf(all.layer);
    const k = l.kind === 'conv2d' ? l.kernel : l.kind === 'maxpool' || l.kind === 'avgpool' ? l.size : undefined;
    const p = l.kind === 'conv2d' ? l.padding : { top: 0, bottom: 0, left: 0, right: 0 };
    const message =
      k === undefined
        ? `${l.name}: ${all.message}`
        : `${l.name}: output would be empty: its input is ${fmt(shape)} and the ${k[0]}x${k[1]} ${l.kind === 'conv2d' ? 'kernel' : 'window'} does not fit ` +
          `(${shape.h} + ${p.top + p.bottom} − ${k[0]} = ${shape.h + p.top + p.bottom - k[0]}, ${shape.w} + ${p.left + p.right} − ${k[1]} = ${shape.w + p.left + p.right - k[1]}); ` +
          `use a smaller ${l.kind === 'conv2d' ? 'kernel or padding' : 'window'}, or fewer pooling layers before it`;
    diagnostics.push({
      severity: 'error',
      code: 'shape',
      message,
      range: tokenFor(origins[all.layer], fallback, l.kind === 'conv2d' ? 'kernel' : 'size', 'stride'),
    });
    return { diagnostics };
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { diagnostics, layers: all.layers };
}

/** Trainable parameters in a model whose shapes are known. */
export function parameterCount(layers: LayerInfo[]): number {
  return layers.reduce((n, l) => n + l.params, 0);
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}
