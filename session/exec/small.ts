// CONVBOOK_SMALL=1 shrinks data and epochs so CI can execute every notebook in minutes; each statement
// it changes says so on stderr, so a shrunken run is never mistaken for the real one.
import type { DataSpec, TrainSpec } from '../../runtime/spec.js';

export const SMALL_TRAIN = 1000;
export const SMALL_TEST = 300;
export const SMALL_EPOCHS = 1;

export function smallMode(): boolean {
  const v = process.env.CONVBOOK_SMALL;
  return v !== undefined && v !== '' && v !== '0';
}

/** The data spec to load and a note of what was shrunk (empty when nothing was). */
export function shrinkData(spec: DataSpec): { spec: DataSpec; note: string } {
  if (!smallMode()) return { spec, note: '' };
  if (spec.kind === 'mnist' || spec.kind === 'fashion_mnist') {
    const train = Math.min(spec.train, SMALL_TRAIN);
    const test = Math.min(spec.test, SMALL_TEST);
    if (train === spec.train && test === spec.test) return { spec, note: '' };
    return { spec: { ...spec, train, test }, note: `CONVBOOK_SMALL: train ${spec.train} → ${train}, test ${spec.test} → ${test}` };
  }
  return { spec, note: '' };
}

export function shrinkTrain(spec: TrainSpec): { spec: TrainSpec; note: string } {
  if (!smallMode() || spec.epochs <= SMALL_EPOCHS) return { spec, note: '' };
  const earlyStop = spec.earlyStop ? { ...spec.earlyStop, every: Math.min(spec.earlyStop.every, 5) } : undefined;
  return { spec: { ...spec, epochs: SMALL_EPOCHS, earlyStop }, note: `CONVBOOK_SMALL: epochs ${spec.epochs} → ${SMALL_EPOCHS}` };
}
