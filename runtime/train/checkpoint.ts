// What the loop hands out at the end of each epoch so a run can resume exactly where it was:
// weights, batch-norm state, optimizer state, history and early-stopping state. Plain data; runtime/io
// turns it into bytes.
import type { OptimizerState } from '../optim/optimizer.js';
import type { EarlyStopState } from './early-stop.js';
import type { History } from './events.js';

export interface TrainCheckpoint {
  /** Completed epochs; a resumed run starts with this epoch. */
  epoch: number;
  /** Completed updates. */
  step: number;
  params: Float32Array | Float64Array;
  state: Float32Array | Float64Array;
  optimizer: OptimizerState;
  history: History;
  earlyStop: EarlyStopState;
}
