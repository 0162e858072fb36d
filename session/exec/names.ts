// Looking up session names from statements: a missing name here is a bug in the checker or a
// name removed since compile, so it becomes a StatementError at the statement, not a crash.
import type { ImageRef, SourceRange } from '../../dsl/program.js';
import type { Dataset } from '../../runtime/data/dataset.js';
import { exampleImage } from '../../runtime/data/dataset.js';
import type { Shape3 } from '../../runtime/spec.js';
import { StatementError } from '../errors.js';
import type { ModelEntry, SessionState } from '../state.js';

export function getData(state: SessionState, name: string, range: SourceRange): Dataset {
  const d = state.data.get(name);
  if (!d) throw new StatementError(`no dataset named '${name}' in this session`, range, 'NameError');
  return d;
}

export function getModel(state: SessionState, name: string, range: SourceRange): ModelEntry {
  const m = state.models.get(name);
  if (!m) throw new StatementError(`no model named '${name}' in this session`, range, 'NameError');
  return m;
}

export function getImage(state: SessionState, ref: ImageRef, range: SourceRange): ReturnType<typeof exampleImage> {
  const d = getData(state, ref.data, range);
  const count = d[ref.split].count;
  if (ref.index < 0 || ref.index >= count) {
    throw new StatementError(
      `${ref.data}.${ref.split}[${ref.index}] is out of range: ${ref.data}.${ref.split} has ${count} images (0..${count - 1})`,
      range,
      'IndexError',
    );
  }
  return exampleImage(d, ref.split, ref.index);
}

/** "7" or "7 (Sneaker)" */
export function labelText(d: Dataset, label: number): string {
  const name = d.classNames?.[label];
  return name && name !== String(label) ? `${label} (${name})` : String(label);
}

/** The one "model takes … images" check: a model's input shape against the images a statement gives it. */
export function checkTakes(model: string, input: Shape3, data: string, shape: Shape3, range: SourceRange): void {
  if (input.c !== shape.c || input.h !== shape.h || input.w !== shape.w) {
    throw new StatementError(
      `${model} takes ${input.h}×${input.w}×${input.c} images but ${data} has ${shape.h}×${shape.w}×${shape.c}`,
      range,
      'ShapeError',
    );
  }
}
