// SessionWorker outputs → iopub messages: the one place the session's Output union meets Jupyter names.
import type { Output } from '../session/protocol.js';
import type { Content } from './message.js';

export interface IopubMessage {
  msgType: string;
  content: Content;
}

export function toIopub(output: Output, executionCount: number): IopubMessage {
  switch (output.type) {
    case 'stream':
      return { msgType: 'stream', content: { name: output.name, text: output.text } };
    case 'display':
      return {
        msgType: 'display_data',
        content: {
          data: output.data,
          metadata: output.metadata,
          transient: output.displayId === undefined ? {} : { display_id: output.displayId },
        },
      };
    case 'update':
      return {
        msgType: 'update_display_data',
        content: { data: output.data, metadata: output.metadata, transient: { display_id: output.displayId } },
      };
    case 'clear':
      return { msgType: 'clear_output', content: { wait: output.wait } };
    case 'result':
      return { msgType: 'execute_result', content: { execution_count: executionCount, data: output.data, metadata: output.metadata } };
  }
}
