// The session's pool: worker threads started by the first statement that uses more than one lane and
// kept, in the engine worker, for every later one — train (its steps and per-epoch evaluations),
// evaluate, predict and feature maps. Sized by what the user asked (`workers N` in the last train,
// else one lane per core), replaced when the model's shape changes, restarted after a crash, closed with
// the session. A statement whose work is one chunk (one image) runs it on lane 0, this thread.
import { availableParallelism } from 'node:os';
import { createLanes, type Lanes } from '../runtime/pool/lanes.js';
import { createPool, type Measured } from '../runtime/pool/pool.js';
import { EVAL_CHUNK } from '../runtime/train/metrics.js';
import type { SplitView } from '../runtime/train/split-view.js';
import type { Net } from '../runtime/types.js';
import type { Shape3 } from '../runtime/spec.js';
import type { SessionState } from './state.js';

/** The session's kept threads, made on first use. */
export function sessionLanes(state: SessionState): Lanes {
  state.lanes ??= createLanes();
  return state.lanes;
}

/** Lanes a measuring statement uses: the user's `workers` (else one per core), at most one per chunk. */
export function measureLanes(state: SessionState, net: Net, examples: number): number {
  if (net.dtype !== 'float32') return 1;
  const asked = state.workers >= 1 ? state.workers : availableParallelism();
  return Math.max(1, Math.min(asked, Math.ceil(examples / EVAL_CHUNK)));
}

/**
 * Eval-mode forward passes of `net` over `indices` of `split` on the session's lanes, with each example's
 * output (of `layer`, or the net's output). Bit for bit what one lane computes: the chunks are the same
 * and are summed in order. `beforeChunk` (interrupt checks) runs between chunks.
 */
export async function measureOnLanes(
  state: SessionState,
  net: Net,
  split: SplitView,
  shape: Shape3,
  indices: ArrayLike<number>,
  o: { layer?: string; beforeChunk?: () => void } = {},
): Promise<Measured & { outputs: Float32Array }> {
  const workers = measureLanes(state, net, indices.length);
  const pool = await createPool({
    net,
    split,
    shape,
    seed: 0,
    // No training in this job: one-example micro-batch scratch per lane.
    batch: 1,
    micro: 1,
    workers,
    lanes: sessionLanes(state),
    outputs: { layer: o.layer, examples: indices.length },
  });
  try {
    const r = await pool.measure('train', indices, { outputs: true, beforeChunk: o.beforeChunk });
    return { ...r, outputs: r.outputs!.slice() };
  } finally {
    await pool.close();
  }
}
