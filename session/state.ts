// What a session holds between cells: datasets and models by name, each model with its runs.
// Only the session worker owns this; the kernel sees it through SessionNames.
import { emptyEnv, type SessionEnv } from '../dsl/program.js';
import type { Dataset } from '../runtime/data/dataset.js';
import type { Lanes } from '../runtime/pool/lanes.js';
import type { ModelSpec, TrainSpec } from '../runtime/spec.js';
import type { History } from '../runtime/train/events.js';
import type { Net } from '../runtime/types.js';
import type { SessionNames } from './protocol.js';

/** One training run of a model: its spec, what it recorded, and what makes it reproducible. */
export interface RunRecord {
  label: string;
  /** Absent for a run that came with a loaded model file. */
  train?: TrainSpec;
  /** The runtime's training history, with the early-stop mark the session saw (runtime/train/events.ts). */
  history: History;
  reason: string;
  seed?: number;
  dataHash?: string;
  specHash?: string;
  version: string;
}

export interface ModelEntry {
  spec: ModelSpec;
  net: Net;
  runs: RunRecord[];
  /** Set by a model statement: the weights are its seeded initialisation (or, transferred, partly so) until a run. */
  made?: 'initialised' | 'transferred';
}

export interface SessionState {
  data: Map<string, Dataset>;
  models: Map<string, ModelEntry>;
  /** Relative file paths in cells resolve against this folder (the kernel's working directory). */
  baseDir: string;
  /** The pool's kept worker threads (session/lanes.ts), started on first use. */
  lanes?: Lanes;
  /** Lanes the user asked for in the last train (`workers N`); 0 = one per core. */
  workers: number;
}

export function createState(baseDir: string): SessionState {
  return { data: new Map(), models: new Map(), baseDir, workers: 0 };
}

/** The checker's view of the session: what earlier cells defined. */
export function sessionEnv(s: SessionState): SessionEnv {
  const env = emptyEnv();
  for (const [name, m] of s.models) env.models[name] = m.spec;
  for (const [name, d] of s.data) env.data[name] = { shape: d.shape, classes: d.classes, train: d.train.count, test: d.test.count };
  return env;
}

export function sessionNames(s: SessionState): SessionNames {
  return { models: [...s.models.keys()], data: [...s.data.keys()], env: sessionEnv(s) };
}
