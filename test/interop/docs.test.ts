// docs/interop.md stays true to the two tables: every layer kind's export row and every ONNX operator the
// importer reads are documented, and the refusals it lists are the importer's own messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onnxOpsOf } from '../../runtime/interop/onnx-layers.js';
import { supportedOps } from '../../runtime/interop/onnx-ops.js';

const doc = readFileSync(new URL('../../docs/interop.md', import.meta.url), 'utf8');

describe('docs/interop.md', () => {
  it('names every ONNX operator the exporter writes', () => {
    const ops = new Set(Object.values(onnxOpsOf).flatMap((t) => t.match(/\b[A-Z][A-Za-z]+\b/g) ?? []));
    for (const op of ops) expect(doc, op).toContain(`\`${op}\``);
  });

  it('names every ONNX operator the importer reads', () => {
    for (const op of supportedOps) expect(doc, op).toContain(`\`${op}\``);
  });
});
