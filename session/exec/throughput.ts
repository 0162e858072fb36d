// The dashboard's one throughput figure and its ETA, both wall-clock: images/s over the last few seconds of
// steps (evaluation pauses included, as the user waits through them), and the ETA from the step rate since
// warm-up ended, so the first slow steps (worker start, wasm compile) neither inflate nor shorten it.

export interface RateMeter {
  /** Record that `step` finished at time `nowMs` (performance.now()). */
  record(step: number, nowMs: number): void;
  /** Images per second over the recent window; undefined until two steps are recorded. */
  imagesPerSec(): number | undefined;
  /** Seconds left for `totalSteps`, from the post-warm-up step rate; undefined during warm-up. */
  etaSec(totalSteps: number): number | undefined;
}

export interface RateOptions {
  /** Images per optimizer step. */
  batch: number;
  /** Steps treated as warm-up, never used for the ETA (default 5, or 5 % of the run when passed). */
  warmupSteps?: number;
  /** Width of the recent window for images/s (default 3 s, at least 2 steps). */
  windowMs?: number;
}

export function createRateMeter(o: RateOptions): RateMeter {
  const warm = Math.max(1, o.warmupSteps ?? 5);
  const windowMs = o.windowMs ?? 3000;
  const recent: { step: number; t: number }[] = [];
  let warmMark: { step: number; t: number } | undefined;
  let last: { step: number; t: number } | undefined;
  return {
    record(step, t) {
      last = { step, t };
      if (!warmMark && step >= warm) warmMark = { step, t };
      recent.push({ step, t });
      while (recent.length > 2 && t - recent[1].t >= windowMs) recent.shift();
    },
    imagesPerSec() {
      if (recent.length < 2) return undefined;
      const a = recent[0];
      const b = recent[recent.length - 1];
      return b.t > a.t ? ((b.step - a.step) * o.batch * 1000) / (b.t - a.t) : undefined;
    },
    etaSec(total) {
      if (!warmMark || !last || last.step <= warmMark.step || last.t <= warmMark.t) return undefined;
      const perStepMs = (last.t - warmMark.t) / (last.step - warmMark.step);
      return (Math.max(0, total - last.step) * perStepMs) / 1000;
    },
  };
}
