// Turns one notebook's iopub traffic into nbformat outputs, as a front end would: consecutive
// streams merge, update_display_data rewrites every output with that display_id (in any cell),
// clear_output empties the cell now or, with wait, just before the next output.
import type { NbOutput } from './notebook.js';

type Displayable = Extract<NbOutput, { output_type: 'display_data' | 'execute_result' }>;

export class OutputCollector {
  private outputs: NbOutput[] = [];
  private clearOnNext = false;
  private readonly displays = new Map<string, Displayable[]>();

  /** Starts a new cell; returns the array the cell's outputs will be collected in. */
  beginCell(): NbOutput[] {
    this.outputs = [];
    this.clearOnNext = false;
    return this.outputs;
  }

  private push(output: NbOutput): void {
    if (this.clearOnNext) {
      this.outputs.length = 0;
      this.clearOnNext = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      last.text += output.text;
      return;
    }
    this.outputs.push(output);
  }

  private remember(content: Record<string, unknown>, output: Displayable): void {
    const id = displayId(content);
    if (id === undefined) return;
    const list = this.displays.get(id) ?? [];
    list.push(output);
    this.displays.set(id, list);
  }

  /** Feeds one iopub message of the running cell (other message types are ignored). */
  add(msgType: string, content: Record<string, unknown>): void {
    const data = (content.data ?? {}) as Record<string, unknown>;
    const metadata = (content.metadata ?? {}) as Record<string, unknown>;
    switch (msgType) {
      case 'stream':
        this.push({ output_type: 'stream', name: content.name === 'stderr' ? 'stderr' : 'stdout', text: String(content.text ?? '') });
        return;
      case 'display_data': {
        const out: Displayable = { output_type: 'display_data', data, metadata };
        this.push(out);
        this.remember(content, out);
        return;
      }
      case 'execute_result': {
        const count = typeof content.execution_count === 'number' ? content.execution_count : null;
        const out: Displayable = { output_type: 'execute_result', data, metadata, execution_count: count };
        this.push(out);
        this.remember(content, out);
        return;
      }
      case 'update_display_data': {
        const id = displayId(content);
        for (const out of id === undefined ? [] : (this.displays.get(id) ?? [])) {
          out.data = data;
          out.metadata = metadata;
        }
        return;
      }
      case 'clear_output':
        if (content.wait === true) this.clearOnNext = true;
        else this.outputs.length = 0;
        return;
      case 'error':
        this.push({
          output_type: 'error',
          ename: String(content.ename ?? ''),
          evalue: String(content.evalue ?? ''),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return;
      default:
        return;
    }
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as Record<string, unknown> | undefined;
  const id = transient?.display_id;
  return typeof id === 'string' ? id : undefined;
}
