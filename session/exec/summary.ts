// The model summary shown on definition and by `show MODEL`, with the batch and optimizer slots of the
// memory estimate taken from the model's last run when it has one (else batch 32 and Adam, said as assumed).
import { summaryBundle as renderSummary } from '../../render/tables.js';
import { optimizerSlots } from '../../runtime/memory-estimate.js';
import type { ModelSpec } from '../../runtime/spec.js';
import type { Net } from '../../runtime/types.js';
import type { MimeBundle } from '../../render/mime.js';
import type { RunRecord } from '../state.js';

export function summaryBundle(name: string, spec: ModelSpec, net: Net, runs: RunRecord[] = []): MimeBundle {
  const last = runs[runs.length - 1]?.train;
  const bundle = renderSummary({
    name,
    input: spec.input,
    info: net.info,
    ...(last
      ? { batch: last.batch, optimizerSlots: optimizerSlots(last.optimizer), memoryFrom: `its last run (${last.optimizer.kind})` }
      : {}),
  });
  if (spec.frozen.length === 0 && !spec.initFrom) return bundle;
  const count = (n: number) => n.toLocaleString('en');
  const total = net.info.reduce((a, l) => a + l.params, 0);
  const frozen = net.info.filter((l) => spec.frozen.includes(l.name)).reduce((a, l) => a + l.params, 0);
  const notes = [
    spec.initFrom ? `weights of ${spec.initFrom.layers.join(', ')} copied from ${spec.initFrom.model}` : '',
    spec.frozen.length ? `frozen (not trained): ${spec.frozen.join(', ')}` : '',
    `${count(total - frozen)} trainable and ${count(frozen)} frozen parameters of ${count(total)}`,
  ].filter(Boolean);
  return {
    ...bundle,
    'text/plain': `${bundle['text/plain'] as string}\n${notes.join('; ')}`,
    'text/html': `${bundle['text/html'] as string}<div style="font:12px sans-serif">${notes.join('; ')}</div>`,
  };
}
