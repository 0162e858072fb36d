// The optimizer table: OptimizerSpec.kind → family. Adding an optimizer is one file plus one row here.
import type { OptimizerSpec } from '../spec.js';
import type { Buf, Param } from '../types.js';
import { createAdam } from './adam.js';
import { paramRanges, type Optimizer, type OptimizerOptions, type OptimizerParts } from './optimizer.js';
import { createSgd } from './sgd.js';

export type { Optimizer, OptimizerOptions, OptimizerState, ParamRange, WeightDecay } from './optimizer.js';
export { paramRanges } from './optimizer.js';

type Builders = { [K in OptimizerSpec['kind']]: (spec: Extract<OptimizerSpec, { kind: K }>, parts: OptimizerParts) => Optimizer };

const optimizers: Builders = {
  sgd: createSgd,
  adam: createAdam,
  adamw: createAdam,
};

/**
 * An optimizer over the flat buffers every Param views. Frozen layers (opts.frozen, usually ModelSpec.frozen)
 * are skipped entirely; weight decay touches only params with decay = true.
 */
export function createOptimizer(spec: OptimizerSpec, params: Param[], paramBuf: Buf, gradBuf: Buf, opts: OptimizerOptions = {}): Optimizer {
  const parts: OptimizerParts = {
    params: paramBuf,
    grads: gradBuf,
    ranges: paramRanges(params, opts.frozen),
    weightDecay: opts.weightDecay,
    slots: opts.slots ?? ((_name, length) => new Float64Array(length)),
  };
  const build = optimizers[spec.kind] as (s: OptimizerSpec, parts: OptimizerParts) => Optimizer;
  return build(spec, parts);
}
