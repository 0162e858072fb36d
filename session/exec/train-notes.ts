// What a train statement's regularization settings mean, in the chapter's own terms, said before the run:
// decay as w ← βw with this run's β (eq. 8), L2 as a gradient term, and which split early stopping watches.
import type { TrainSpec } from '../../runtime/spec.js';

const num = (x: number): string => String(Number(x.toPrecision(10)));

/** One line for the dashboard: which split and metric early stopping watches (undefined without early stopping). */
export function earlyStopWatch(spec: TrainSpec): string | undefined {
  const es = spec.earlyStop;
  if (!es) return undefined;
  return spec.validation > 0
    ? `early stopping watches the validation ${es.metric} (patience ${es.patience} checks of ${es.every} steps)`
    : `early stopping watches the test split's ${es.metric}, as there is no validation split (patience ${es.patience} checks of ${es.every} steps)`;
}

export function trainNotes(spec: TrainSpec): string[] {
  const notes: string[] = [];
  const wd = spec.weightDecay;
  if (wd?.mode === 'decoupled') {
    notes.push(
      `weight_decay λ = ${num(wd.value)}: after every update each weight is scaled, w ← β·w with β = 1 − λ = ${num(1 - wd.value)} (biases are not decayed)`,
    );
  } else if (wd?.mode === 'l2') {
    const lr = spec.optimizer.lr;
    const sgd = spec.optimizer.kind === 'sgd' && spec.optimizer.momentum === 0;
    notes.push(
      `l2 λ = ${num(wd.value)}: λ·w is added to each weight's gradient (biases excluded)` +
        (sgd
          ? `, so each SGD step is w ← β·w − η·∂L/∂w with β = 1 − ηλ = ${num(1 - lr * wd.value)} at η = ${num(lr)}`
          : `; ${spec.optimizer.kind === 'sgd' ? 'with momentum' : spec.optimizer.kind} turns it into more than a plain w ← β·w`),
    );
  }
  const es = spec.earlyStop;
  if (es) {
    const split =
      spec.validation > 0
        ? `the validation ${es.metric} (${num(100 * spec.validation)}% of the training split of ${spec.data} held out)`
        : `the test split's ${es.metric}, because there is no validation split (validation 0): the test images then help choose the weights`;
    notes.push(
      `early_stop watches ${split}, every ${es.every} steps, patience ${es.patience}; ${es.restoreBest ? 'the best weights are restored' : 'the last weights are kept'}`,
    );
  }
  return notes;
}
