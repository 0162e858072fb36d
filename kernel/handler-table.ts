// The one table where a msg_type becomes code. `queued` requests wait their turn on shell.
import type { HandlerTable } from './dispatch.js';
import { commIgnore, commInfo, commOpen } from './handlers/comms.js';
import { execute } from './handlers/execute.js';
import { history } from './handlers/history.js';
import { complete, inspect, isComplete } from './handlers/introspection.js';
import { kernelInfo } from './handlers/kernel-info.js';
import { interrupt, shutdown } from './handlers/lifecycle.js';
import { usage } from './handlers/usage.js';

export const handlers: HandlerTable = {
  kernel_info_request: { handle: kernelInfo, queued: false },
  execute_request: { handle: execute, queued: true },
  // History follows the cells sent before it, so it waits behind them.
  history_request: { handle: history, queued: true },
  complete_request: { handle: complete, queued: false },
  inspect_request: { handle: inspect, queued: false },
  is_complete_request: { handle: isComplete, queued: false },
  comm_info_request: { handle: commInfo, queued: false },
  comm_open: { handle: commOpen, queued: false },
  comm_msg: { handle: commIgnore, queued: false },
  comm_close: { handle: commIgnore, queued: false },
  shutdown_request: { handle: shutdown, queued: false },
  interrupt_request: { handle: interrupt, queued: false },
  usage_request: { handle: usage, queued: false },
};
