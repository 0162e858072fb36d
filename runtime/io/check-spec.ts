// A model spec read from a file is untrusted JSON: check its structure field by field (one row per
// layer kind) before anything builds a network from it, so a crafted file gets a sentence about
// what is wrong, never an exception from deep inside the runtime.
type Check = (v: unknown) => boolean;

/** Sizes beyond this are not a model anyone trains here; they would only overflow arithmetic. */
const MAX_SIZE = 1 << 24;

const count: Check = (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_SIZE;
const nonNegative: Check = (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_SIZE;
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const pair: Check = (v) => Array.isArray(v) && v.length === 2 && v.every(count);
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v);
const roundRule: [Check, string] = [(v) => v === undefined || v === 'floor', 'absent or "floor"'];
const activation = oneOf('relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax', 'linear');
const padding: Check = (v) => {
  if (v === null || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return oneOf('zero', 'replicate')(p.mode) && ['top', 'bottom', 'left', 'right'].every((k) => nonNegative(p[k]));
};

/** Layer kind → its fields and what each must be. */
const layerFields: Record<string, Record<string, [Check, string]>> = {
  conv2d: {
    filters: [count, 'a whole number ≥ 1'],
    kernel: [pair, 'two whole numbers ≥ 1'],
    stride: [pair, 'two whole numbers ≥ 1'],
    padding: [padding, 'a padding (mode, top, bottom, left, right)'],
    activation: [activation, 'an activation name'],
    init: [oneOf('he', 'glorot'), '"he" or "glorot"'],
    round: roundRule,
  },
  maxpool: { size: [pair, 'two whole numbers ≥ 1'], stride: [pair, 'two whole numbers ≥ 1'], round: roundRule },
  avgpool: { size: [pair, 'two whole numbers ≥ 1'], stride: [pair, 'two whole numbers ≥ 1'], round: roundRule },
  dense: {
    units: [count, 'a whole number ≥ 1'],
    activation: [activation, 'an activation name'],
    init: [oneOf('he', 'glorot'), '"he" or "glorot"'],
  },
  flatten: {},
  dropout: { rate: [(v) => finite(v) && (v as number) >= 0 && (v as number) < 1, 'a number in [0, 1)'] },
  batchnorm: {
    momentum: [(v) => finite(v) && (v as number) >= 0 && (v as number) <= 1, 'a number in [0, 1]'],
    eps: [(v) => finite(v) && (v as number) > 0, 'a number > 0'],
  },
  activation: { fn: [activation, 'an activation name'], slope: [(v) => v === undefined || finite(v), 'a number'] },
};

/** Undefined when the spec is well formed; otherwise what is wrong with it, as a sentence. */
export function specProblem(spec: unknown): string | undefined {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return 'the model spec is not an object';
  const s = spec as Record<string, unknown>;
  const input = s.input as Record<string, unknown> | undefined;
  if (input === null || typeof input !== 'object' || !count(input.c) || !count(input.h) || !count(input.w)) {
    return 'the input shape must be three whole numbers c, h, w ≥ 1';
  }
  if (!Array.isArray(s.layers) || s.layers.length === 0) return 'the model has no list of layers';
  if (!oneOf('cross_entropy', 'mse')(s.loss)) return 'the loss must be cross_entropy or mse';
  if (s.frozen !== undefined && !(Array.isArray(s.frozen) && s.frozen.every((f) => typeof f === 'string')))
    return 'frozen must be a list of layer names';
  for (const [i, layer] of (s.layers as unknown[]).entries()) {
    const where = `layer ${i + 1}`;
    if (layer === null || typeof layer !== 'object') return `${where} is not an object`;
    const l = layer as Record<string, unknown>;
    if (typeof l.name !== 'string' || l.name === '') return `${where} has no name`;
    const fields = typeof l.kind === 'string' && Object.hasOwn(layerFields, l.kind) ? layerFields[l.kind] : undefined;
    if (fields === undefined)
      return `${where} (${l.name}) has an unknown kind ${JSON.stringify(l.kind ?? null)}; known kinds: ${Object.keys(layerFields).join(', ')}`;
    for (const [field, [ok, want]] of Object.entries(fields)) {
      if (!ok(l[field])) return `${where} (${l.name}, ${l.kind}): ${field} must be ${want}, got ${JSON.stringify(l[field] ?? null)}`;
    }
  }
  return undefined;
}
