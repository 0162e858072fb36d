// The convbook model file, version 1 (docs/checkpoint-format.md is the full description):
//   "CONVBOOK" | u32 LE version | u32 LE header length H | u64 LE total file length
//   | header JSON (UTF-8, H bytes, space-padded to a multiple of 8)
//   | binary sections (little-endian, offsets relative to the section area) | SHA-256 of all bytes before it.
// This file holds the constants and the header's type; encode.ts and decode.ts hold the two directions.
import type { OptimizerSpec, ModelSpec } from '../spec.js';
import type { BestRecord, History } from '../train/events.js';

export const MAGIC = 'CONVBOOK';
export const FORMAT_VERSION = 1;
export const PREFIX_BYTES = 24; // magic 8 + version 4 + header length 4 + file length 8
export const CHECKSUM_BYTES = 32;

export type SectionDType = 'float32' | 'float64';

export interface SectionEntry {
  /** 'params', 'state', 'optimizer.<slot>', 'earlyStop.params', 'earlyStop.state'. */
  name: string;
  dtype: SectionDType;
  /** Byte offset from the start of the section area (a multiple of 8). */
  offset: number;
  /** Number of values. */
  length: number;
}

export interface ParamEntry {
  name: string;
  layer: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface FileHeader {
  convbook: string;
  spec: ModelSpec;
  params: ParamEntry[];
  stateSize: number;
  sections: SectionEntry[];
  history?: History;
  /** Present in training checkpoints: enough to resume (optimizer slots and snapshots are sections). */
  training?: {
    epoch: number;
    step: number;
    optimizer: { kind: OptimizerSpec['kind']; t: number; slots: string[] };
    earlyStop: { best?: BestRecord; bad: number; snapshot: boolean };
  };
}

/** Why a file could not be read, as data: the session turns it into a cell error. */
export interface LoadError {
  code: 'io' | 'truncated' | 'magic' | 'version' | 'checksum' | 'header' | 'layout' | 'spec_mismatch';
  message: string;
}

export type LoadResult<T> = { ok: true; value: T } | { ok: false; error: LoadError };
