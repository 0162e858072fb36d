// What a model file holds once decoded: the spec, the weights, the batch-norm state, optionally the training
// history and (for checkpoints) everything the training loop needs to resume.
import type { ModelSpec } from '../spec.js';
import type { TrainCheckpoint } from '../train/checkpoint.js';
import type { History } from '../train/events.js';
import type { Net } from '../types.js';

export interface ModelFile {
  spec: ModelSpec;
  /** float32 on disk whatever the net's dtype. */
  params: Float32Array;
  state: Float32Array;
  history?: History;
  /** Set for training checkpoints; its params/state equal the file's. */
  checkpoint?: TrainCheckpoint;
  /** convbook version that wrote the file. */
  convbook?: string;
}

export function modelFileOf(net: Net, extra: { history?: History; checkpoint?: TrainCheckpoint } = {}): ModelFile {
  return { spec: net.spec, params: Float32Array.from(net.paramBuf), state: Float32Array.from(net.stateBuf), ...extra };
}

/** The file for a training checkpoint (what onCheckpoint hands out), ready for saveModelFile. */
export function modelFileOfCheckpoint(spec: ModelSpec, checkpoint: TrainCheckpoint): ModelFile {
  return {
    spec,
    params: Float32Array.from(checkpoint.params),
    state: Float32Array.from(checkpoint.state),
    history: checkpoint.history,
    checkpoint,
  };
}
