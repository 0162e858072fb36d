// The runner's output collection: stream merging, in-place display updates, clear_output.
import { describe, expect, it } from 'vitest';
import { OutputCollector } from '../../kernel/runner/collector.js';

describe('OutputCollector', () => {
  it('merges consecutive streams of the same name only', () => {
    const c = new OutputCollector();
    const outs = c.beginCell();
    c.add('stream', { name: 'stdout', text: 'a' });
    c.add('stream', { name: 'stdout', text: 'b\n' });
    c.add('stream', { name: 'stderr', text: 'warn\n' });
    c.add('stream', { name: 'stdout', text: 'c' });
    expect(outs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      { output_type: 'stream', name: 'stdout', text: 'c' },
    ]);
  });

  it('update_display_data rewrites the display with that id, even in an earlier cell', () => {
    const c = new OutputCollector();
    const first = c.beginCell();
    c.add('display_data', { data: { 'text/plain': 'epoch 1' }, metadata: {}, transient: { display_id: 'p' } });
    c.add('display_data', { data: { 'text/plain': 'other' }, metadata: {}, transient: { display_id: 'q' } });
    const second = c.beginCell();
    c.add('update_display_data', { data: { 'text/plain': 'epoch 2' }, metadata: { a: 1 }, transient: { display_id: 'p' } });
    expect(first).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'epoch 2' }, metadata: { a: 1 } },
      { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} },
    ]);
    expect(second).toEqual([]);
  });

  it('clear_output clears now, or with wait=true just before the next output', () => {
    const c = new OutputCollector();
    const outs = c.beginCell();
    c.add('stream', { name: 'stdout', text: 'gone' });
    c.add('clear_output', { wait: false });
    expect(outs).toEqual([]);
    c.add('stream', { name: 'stdout', text: 'kept until next' });
    c.add('clear_output', { wait: true });
    expect(outs).toHaveLength(1);
    c.add('execute_result', { data: { 'text/plain': '1' }, metadata: {}, execution_count: 4 });
    expect(outs).toEqual([{ output_type: 'execute_result', data: { 'text/plain': '1' }, metadata: {}, execution_count: 4 }]);
  });

  it('records errors with their traceback', () => {
    const c = new OutputCollector();
    const outs = c.beginCell();
    c.add('error', { ename: 'E', evalue: 'v', traceback: ['l1', 'l2'] });
    expect(outs).toEqual([{ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['l1', 'l2'] }]);
  });
});
