// `train MODEL on DATA { … }`: runs the runtime's training loop with a live dashboard updated in place,
// records the run (seed, data and spec hashes, version) on the model, and honours interrupts: an
// interrupted model keeps the weights of its last completed step and the history so far.
import { createHash } from 'node:crypto';
import type { Statement } from '../../dsl/program.js';
import { createDashboardThrottle, dashboardChartsHtml, dashboardFrame, type DashboardState } from '../../render/dashboard.js';
import type { RunHistory, TrainEvent } from '../../runtime/train/events.js';
import { arithmeticUnavailable } from '../../runtime/kernels/wasm-module.js';
import { availableMemory, formatBytes } from '../../runtime/memory.js';
import { optimizerSlots, trainingMemory } from '../../runtime/memory-estimate.js';
import { resolveWorkers, train } from '../../runtime/train/loop.js';
import { Interrupted, StatementError } from '../errors.js';
import { sessionLanes } from '../lanes.js';
import type { ExecContext } from './context.js';
import { checkTakes, getData, getModel } from './names.js';
import { shrinkTrain } from './small.js';
import { createRateMeter } from './throughput.js';
import { earlyStopWatch, trainNotes } from './train-notes.js';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

export function sha256Json(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(2)}%`);

export async function execTrain(s: Of<'train'>, ctx: ExecContext): Promise<void> {
  const entry = getModel(ctx.state, s.spec.model, s.range);
  const data = getData(ctx.state, s.spec.data, s.range);
  checkTakes(s.spec.model, entry.spec.input, s.spec.data, data.shape, s.range);
  const outUnits = entry.net.info[entry.net.info.length - 1].out.c;
  if (entry.spec.loss === 'cross_entropy' && outUnits !== data.classes) {
    throw new StatementError(
      `${s.spec.model} ends in ${outUnits} outputs but ${s.spec.data} has ${data.classes} classes`,
      s.range,
      'ShapeError',
    );
  }
  const { spec, note } = shrinkTrain(s.spec);
  const noFused = spec.arithmetic === 'fused' ? arithmeticUnavailable('fused') : undefined;
  if (noFused)
    throw new StatementError(`arithmetic fused cannot run here: ${noFused}; use arithmetic portable`, s.range, 'ArithmeticError');
  if (note) ctx.io.stream(`${note}\n`, 'stderr');
  // The checker compared the estimate with the memory available when the cell compiled; data loaded by
  // earlier statements of this cell may have taken some since, so look again before allocating.
  const valCount = Math.ceil(data.train.count * spec.validation);
  const { bytes } = trainingMemory({
    spec: entry.spec,
    batch: spec.batch,
    lanes: resolveWorkers(spec.workers, entry.net, spec.batch, 16),
    optimizerSlots: optimizerSlots(spec.optimizer),
    evalExamples: Math.max(Math.min(data.train.count - valCount, 2000), valCount, data.test.count),
  });
  const available = availableMemory();
  if (bytes > available) {
    throw new StatementError(
      `training ${spec.model} with batch ${spec.batch} needs about ${formatBytes(bytes)}, more than the ${formatBytes(available)} of memory available now; use a smaller batch or model`,
      s.range,
      'MemoryError',
    );
  }
  for (const line of trainNotes(spec)) ctx.io.stream(`${line}\n`);

  const displayId = ctx.newDisplayId();
  const throttle = createDashboardThrottle(500);
  const history: RunHistory = { steps: [], evals: [] };
  const dash: DashboardState = {
    title: `${spec.model} on ${spec.data} · ${spec.label ?? spec.optimizer.kind}`,
    step: 0,
    totalSteps: 0,
    epoch: 0,
    epochs: spec.epochs,
    history,
    status: 'running',
    watch: earlyStopWatch(spec),
  };
  const started = performance.now();
  let rate = createRateMeter({ batch: spec.batch });
  let shown = false;
  // Charts are rasterised at most every 2 s, and never more than 5 % of the time (20× their own cost);
  // the numbers above them update with every frame. The final frame always gets fresh charts.
  let charts: string | undefined;
  let chartsDue = -Infinity;
  const frame = (final: boolean) => {
    if (!throttle.ready(final)) return;
    const now = performance.now();
    if (final || charts === undefined || now >= chartsDue) {
      charts = dashboardChartsHtml(dash);
      const cost = performance.now() - now;
      chartsDue = now + Math.max(2000, 20 * cost);
    }
    const bundle = dashboardFrame(dash, charts);
    if (!shown) ctx.io.display(bundle, { displayId });
    else ctx.io.update(displayId, bundle);
    shown = true;
  };
  const onEvent = (e: TrainEvent) => {
    switch (e.type) {
      case 'start':
        dash.totalSteps = e.steps;
        rate = createRateMeter({ batch: spec.batch, warmupSteps: Math.max(5, Math.round(e.steps * 0.05)) });
        rate.record(0, performance.now());
        // The overfitting rule widens its tolerance for small held-out sets (their accuracy is noisy).
        history.heldOutSize = e.val > 0 ? e.val : e.test;
        frame(true);
        return;
      case 'step': {
        history.steps.push({ step: e.step, epoch: e.epoch, loss: e.loss, acc: e.acc, lr: e.lr, imagesPerSec: e.imagesPerSec });
        dash.step = e.step;
        dash.epoch = Math.floor(e.epoch);
        dash.lr = e.lr;
        // Wall-clock, the same kind of figure as the summary line printed after the run (not one batch's compute time).
        rate.record(e.step, performance.now());
        dash.imagesPerSec = rate.imagesPerSec();
        dash.etaSec = rate.etaSec(dash.totalSteps);
        frame(false);
        return;
      }
      case 'eval':
      case 'epoch':
        if (!history.evals.some((x) => x.step === e.step))
          history.evals.push({ step: e.step, epoch: e.epoch, train: e.train, val: e.val, test: e.test });
        frame(false);
        return;
      case 'early_stop':
        history.earlyStop = { step: e.step, bestStep: e.best.step, restored: e.restored, metric: e.best.metric };
        ctx.io.stream(
          `early stopping at step ${e.step}: best ${e.best.metric} ${e.best.value.toFixed(4)} at step ${e.best.step}` +
            `${e.restored ? `; restored the weights of step ${e.best.step}` : ''}\n`,
        );
        return;
      case 'done':
        dash.status = e.reason;
        return;
    }
  };

  // The lanes the user asked for size the session's pool for later statements too (evaluate, predict).
  ctx.state.workers = spec.workers;
  const lanes = sessionLanes(ctx.state);
  const result = await train({ net: entry.net, spec, data, onEvent, abort: ctx.interrupt, evalTest: spec.validation > 0, lanes });
  dash.status = result.reason;
  frame(true);
  const seconds = (performance.now() - started) / 1000;
  const lastEval = result.history.evals[result.history.evals.length - 1];
  entry.runs.push({
    label: spec.label ?? spec.optimizer.kind,
    train: spec,
    history: { ...result.history, earlyStop: history.earlyStop },
    reason: result.reason,
    seed: spec.seed,
    dataHash: data.hash,
    specHash: sha256Json(entry.spec),
    version: ctx.version,
  });
  const images = result.step * spec.batch;
  const held = lastEval?.val
    ? `validation accuracy ${pct(lastEval.val.acc)}`
    : lastEval?.test
      ? `test accuracy ${pct(lastEval.test.acc)}`
      : '';
  ctx.io.stream(
    `${spec.model}: ${result.step} steps in ${seconds.toFixed(1)} s (${Math.round(images / Math.max(seconds, 1e-9))} images/s)` +
      `${lastEval ? ` — train accuracy ${pct(lastEval.train.acc)}${held ? `, ${held}` : ''}` : ''}\n` +
      `reproducibility: seed ${spec.seed}, data sha256 ${data.hash.slice(0, 12)}, model spec sha256 ${sha256Json(entry.spec).slice(0, 12)}, ` +
      `convbook ${ctx.version}${spec.arithmetic === 'fused' ? ', arithmetic fused (fused multiply-add: bits can differ on another CPU)' : ''}; metrics sha256 ${sha256Json(result.history).slice(0, 16)}\n`,
  );
  if (result.reason === 'aborted') {
    throw new Interrupted(
      `training of ${spec.model} interrupted after ${result.step} steps; ${spec.model} keeps the weights of step ${result.step} and its history so far`,
    );
  }
}
