// Bytes → model file, checking everything in the order a reader would trip over it: length, magic, version,
// checksum, header JSON, section bounds, parameter layout against the spec, and (optionally) that the spec
// is the one the caller expects. Every failure is a LoadError value, never an exception.
import { createHash } from 'node:crypto';
import type { OptimizerState } from '../optim/optimizer.js';
import { inferShapes } from '../shapes.js';
import type { ModelSpec } from '../spec.js';
import { specProblem } from './check-spec.js';
import { paramLayout } from './encode.js';
import {
  CHECKSUM_BYTES,
  FORMAT_VERSION,
  MAGIC,
  PREFIX_BYTES,
  type FileHeader,
  type LoadError,
  type LoadResult,
  type SectionEntry,
} from './format.js';
import type { ModelFile } from './model-file.js';

const fail = (code: LoadError['code'], message: string): LoadResult<never> => ({ ok: false, error: { code, message } });

/** JSON with object keys sorted, so two specs compare by content. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, (val as Record<string, unknown>)[k]]),
        )
      : val,
  );
}

export interface DecodeOptions {
  /** Fail with 'spec_mismatch' unless the file's model spec equals this one (ignoring the model's name). */
  spec?: ModelSpec;
}

export function decodeModel(bytes: Uint8Array, opts: DecodeOptions = {}): LoadResult<ModelFile> {
  if (bytes.length < PREFIX_BYTES + CHECKSUM_BYTES)
    return fail('truncated', `file is ${bytes.length} bytes, too short for a convbook model file`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    return fail('magic', 'not a convbook model file (the first bytes are not CONVBOOK)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION)
    return fail('version', `model file format version ${version}; this convbook reads version ${FORMAT_VERSION}`);
  const declared = Number(view.getBigUint64(16, true));
  if (bytes.length < declared) return fail('truncated', `file is truncated: ${bytes.length} of ${declared} bytes`);
  if (bytes.length > declared) return fail('checksum', `file has ${bytes.length - declared} unexpected trailing bytes`);
  const headerBytes = view.getUint32(12, true);
  const base = PREFIX_BYTES + headerBytes;
  if (base + CHECKSUM_BYTES > bytes.length)
    return fail('truncated', `file is ${bytes.length} bytes but its header alone needs ${base + CHECKSUM_BYTES}`);
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
    return fail('checksum', 'checksum mismatch: the file is corrupted or truncated');
  }
  let header: FileHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, base))) as FileHeader;
  } catch (e) {
    return fail('header', `unreadable header: ${(e as Error).message}`);
  }
  if (!header || typeof header !== 'object' || !header.spec || !Array.isArray(header.sections) || !Array.isArray(header.params)) {
    return fail('header', 'header lacks spec, params or sections');
  }
  const area = bytes.length - CHECKSUM_BYTES - base;
  const sections = new Map<string, Float32Array | Float64Array>();
  for (const s of header.sections) {
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string')
      return fail('header', 'a section entry in the header is malformed');
    const r = readSection(view, base, area, s);
    if (!r.ok) return r;
    sections.set(s.name, r.value);
  }

  const problem = specProblem(header.spec);
  if (problem) return fail('header', `the file's model spec is not valid: ${problem}`);
  const extra = extrasProblem(header);
  if (extra) return fail('header', `the file's header is not valid: ${extra}`);
  const shapes = inferShapes(header.spec);
  if (!shapes.ok)
    return fail(
      'layout',
      `the file's model spec does not build: ${shapes.layer >= 0 ? `layer ${shapes.layer + 1}: ` : ''}${shapes.message}`,
    );
  // Compared before anything is allocated: a crafted spec may declare billions of parameters.
  const needed = shapes.layers.reduce((a, l) => a + l.params, 0);
  const stored = header.sections.find((s) => s.name === 'params')?.length ?? 0;
  if (needed !== stored) return fail('layout', `the file's model spec needs ${needed} parameters but its params section holds ${stored}`);
  let layout: ReturnType<typeof paramLayout>;
  try {
    layout = paramLayout(header.spec);
  } catch (e) {
    return fail('layout', `the file's model spec does not build: ${(e as Error).message}`);
  }
  if (canonicalJson(layout.params) !== canonicalJson(header.params) || layout.stateSize !== header.stateSize) {
    return fail('layout', "the file's parameter layout does not match its model spec");
  }
  const params = sections.get('params');
  const state = sections.get('state');
  const total = layout.params.reduce((a, p) => a + p.size, 0);
  if (!(params instanceof Float32Array) || params.length !== total)
    return fail('layout', `params section must hold ${total} float32 values`);
  if (!(state instanceof Float32Array) || state.length !== layout.stateSize)
    return fail('layout', `state section must hold ${layout.stateSize} float32 values`);
  if (opts.spec) {
    const mismatch = specMismatch(opts.spec, header.spec);
    if (mismatch) return fail('spec_mismatch', mismatch);
  }

  const file: ModelFile = { spec: header.spec, params, state, convbook: header.convbook };
  if (header.history) file.history = header.history;
  if (header.training) {
    const t = header.training;
    const slots: OptimizerState['slots'] = {};
    for (const name of t.optimizer.slots) {
      const s = sections.get(`optimizer.${name}`);
      if (!(s instanceof Float64Array)) return fail('layout', `optimizer slot ${name} is missing`);
      slots[name] = s;
    }
    const snapParams = sections.get('earlyStop.params');
    const snapState = sections.get('earlyStop.state');
    file.checkpoint = {
      epoch: t.epoch,
      step: t.step,
      params,
      state,
      optimizer: { kind: t.optimizer.kind, t: t.optimizer.t, slots },
      history: header.history ?? { label: '', optimizer: t.optimizer.kind, batch: 0, stepsPerEpoch: 0, steps: [], evals: [] },
      earlyStop: {
        best: t.earlyStop.best,
        bad: t.earlyStop.bad,
        ...(t.earlyStop.snapshot ? { params: snapParams, state: snapState } : {}),
      },
    };
  }
  return { ok: true, value: file };
}

/** The optional parts of a header (history, training state), checked before anything reads their fields. */
function extrasProblem(h: FileHeader): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (h.history !== undefined) {
    const hist = h.history as unknown;
    if (!isObject(hist) || !Array.isArray(hist.steps) || !Array.isArray(hist.evals)) return 'its training history is malformed';
  }
  if (h.training !== undefined) {
    const t = h.training as unknown;
    if (!isObject(t) || !Number.isInteger(t.epoch) || !Number.isInteger(t.step)) return 'its training state is malformed';
    const o = t.optimizer;
    if (
      !isObject(o) ||
      typeof o.kind !== 'string' ||
      typeof o.t !== 'number' ||
      !Array.isArray(o.slots) ||
      !o.slots.every((x) => typeof x === 'string')
    ) {
      return "its training state's optimizer is malformed";
    }
    const e = t.earlyStop;
    if (!isObject(e) || typeof e.bad !== 'number' || typeof e.snapshot !== 'boolean')
      return "its training state's early stopping record is malformed";
  }
  return undefined;
}

function readSection(view: DataView, base: number, area: number, s: SectionEntry): LoadResult<Float32Array | Float64Array> {
  const width = s.dtype === 'float64' ? 8 : s.dtype === 'float32' ? 4 : 0;
  if (!width || !Number.isInteger(s.offset) || !Number.isInteger(s.length) || s.offset < 0 || s.length < 0)
    return fail('header', `section ${s.name} is malformed`);
  if (s.offset + s.length * width > area) return fail('truncated', `section ${s.name} runs past the end of the file`);
  const out = width === 8 ? new Float64Array(s.length) : new Float32Array(s.length);
  for (let k = 0; k < s.length; k++)
    out[k] = width === 8 ? view.getFloat64(base + s.offset + 8 * k, true) : view.getFloat32(base + s.offset + 4 * k, true);
  return { ok: true, value: out };
}

/** Describes the first difference between the expected and the file's spec (model names may differ). */
export function specMismatch(want: ModelSpec, got: ModelSpec): string | undefined {
  if (canonicalJson(want.input) !== canonicalJson(got.input))
    return `input shape differs: expected ${fmt(want.input)}, file has ${fmt(got.input)}`;
  if (want.layers.length !== got.layers.length) return `expected ${want.layers.length} layers, the file has ${got.layers.length}`;
  for (let i = 0; i < want.layers.length; i++) {
    if (canonicalJson(want.layers[i]) !== canonicalJson(got.layers[i]))
      return `layer ${i + 1} differs: expected ${want.layers[i].kind} ${want.layers[i].name}, the file has ${got.layers[i].kind} ${got.layers[i].name} (${canonicalJson(got.layers[i])})`;
  }
  if (want.loss !== got.loss) return `loss differs: expected ${want.loss}, the file has ${got.loss}`;
  return undefined;
}

const fmt = (s: { c: number; h: number; w: number }) => `${s.c}×${s.h}×${s.w}`;
