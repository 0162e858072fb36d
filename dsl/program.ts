// The compiled form of a cell: checked, defaulted, plain-data statements the session executes in order.
// This is the seam between dsl/ and session/: compile() returns a Program or diagnostics, never both.
import type { DataSpec, ModelSpec, Pair, ScheduleSpec, TrainSpec } from '../runtime/spec.js';

/** Source position, 1-based line and column, offsets 0-based [start, end). */
export interface SourceRange {
  startOffset: number;
  endOffset: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  range: SourceRange;
  /** Short machine-readable code, e.g. 'syntax', 'unknown-name', 'shape', 'range'. */
  code: string;
  hint?: string;
  /** On the last entry of a capped list (code 'more'): how many diagnostics were left out. */
  omitted?: number;
}

/** A reference to one example image: `digits.test[7]` or `digits.train[0]`. */
export interface ImageRef {
  data: string;
  split: 'train' | 'test';
  index: number;
}

/** A filter for `convolve`: a named built-in (with size/sigma where it takes them) or a literal kernel. */
export type FilterRef =
  | {
      kind: 'named';
      name: 'blur' | 'box' | 'gaussian' | 'sobel_x' | 'sobel_y' | 'laplacian' | 'outline' | 'sharpen' | 'edge';
      size: number;
      sigma: number;
    }
  | { kind: 'literal'; rows: number[][] };

/** A unit or weight of a conv or pooling layer: feature map (filter) f, input channel c, row, column (0-based). */
export interface UnitAt {
  map: number;
  channel: number;
  row: number;
  col: number;
}

/** What `explain` works out; one variant per row of the 'explain' category in the built-ins table. */
export type ExplainSpec =
  | { form: 'unit'; model: string; layer: string; image: ImageRef; at: UnitAt }
  | { form: 'convolve1d'; series: number[]; kernel: number[]; index: number }
  | { form: 'convolve2d'; image: ImageRef; filter: FilterRef; at: UnitAt }
  | { form: 'size'; model: string; layer: string }
  /** of: a conv weight (6a), a conv layer's input unit (6j), or a pooling unit (its error routed back). */
  | { form: 'gradient'; model: string; layer: string; of: 'weight' | 'input' | 'pool'; image: ImageRef; at: UnitAt }
  | { form: 'weight_decay'; model: string; layer: string; image: ImageRef; at: UnitAt }
  | { form: 'dropout'; model: string; layer: string }
  | { form: 'early_stop'; model: string }
  | { form: 'step'; model: string; layer: string; image: ImageRef; at: UnitAt }
  | { form: 'schedule'; model: string; steps: number[] };

export type Statement = (
  | { kind: 'data'; name: string; spec: DataSpec }
  | { kind: 'model'; name: string; spec: ModelSpec }
  | { kind: 'train'; spec: TrainSpec }
  | { kind: 'evaluate'; model: string; data: string; split: 'train' | 'test' }
  | { kind: 'show_summary'; model: string }
  | { kind: 'show_filters'; model: string; layer: string }
  | { kind: 'show_feature_maps'; model: string; layer: string; image: ImageRef }
  | { kind: 'show_image'; image: ImageRef }
  | { kind: 'show_samples'; data: string; split: 'train' | 'test'; count: number }
  | { kind: 'show_history'; model: string }
  | { kind: 'show_schedule'; schedule: ScheduleSpec; lr: number; steps: number }
  | { kind: 'show_augment'; data: string; image: ImageRef; augment: NonNullable<TrainSpec['augment']>; seed: number; count: number }
  /** Overlay the recorded training curves of several models (or runs) in one plot. */
  | { kind: 'compare'; models: string[]; metric: 'loss' | 'accuracy' | 'val_accuracy' | 'test_accuracy' }
  | { kind: 'convolve'; image: ImageRef; filter: FilterRef; stride: Pair; padding: 'valid' | 'same' | 'replicate' }
  /** 1-D convolution of a literal series, e.g. a moving average. */
  | { kind: 'convolve1d'; series: number[]; kernel: number[] }
  | { kind: 'pool'; image: ImageRef; op: 'max' | 'avg'; size: Pair; stride: Pair }
  | { kind: 'predict'; model: string; image: ImageRef }
  | { kind: 'save'; model: string; path: string }
  | { kind: 'load'; name: string; path: string }
  /** ONNX (.onnx) or PyTorch source plus weights (.py), chosen by the path's extension. */
  | { kind: 'export'; model: string; path: string; format: 'onnx' | 'pytorch' }
  | { kind: 'import'; name: string; path: string }
  | { kind: 'print'; text: string }
  /** An equation worked out with the session's numbers (ExplainSpec lists the forms). */
  | { kind: 'explain'; spec: ExplainSpec }
  /** A bare name: the cell's value (execute_result) — a dataset's description or a model's summary. */
  | { kind: 'value'; name: string }
  /** Clears the cell's outputs so far (clear_output). */
  | { kind: 'clear'; wait: boolean }
) & { range: SourceRange };

export type StatementKind = Statement['kind'];

export interface Program {
  statements: Statement[];
}

export type CompileResult = { ok: true; program: Program; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** What the checker knows of the session before a cell runs: names defined by earlier cells. */
export interface SessionEnv {
  models: Record<string, ModelSpec>;
  /** Datasets: shape and class count where known (an idx file's shape is only known after loading). */
  data: Record<string, { shape?: { c: number; h: number; w: number }; classes?: number; train?: number; test?: number }>;
}

export const emptyEnv = (): SessionEnv => copyEnv({ models: {}, data: {} });

/**
 * A copy whose records have no prototype: a name the student writes (valueOf, constructor) must never
 * find an Object method. Every env the checker and the editor services read goes through here.
 */
export function copyEnv(env: SessionEnv): SessionEnv {
  return {
    models: Object.assign(Object.create(null) as SessionEnv['models'], env.models),
    data: Object.assign(Object.create(null) as SessionEnv['data'], env.data),
  };
}
