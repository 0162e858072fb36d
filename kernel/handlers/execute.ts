// execute_request: counting, execute_input, outputs in order, error publication, stop_on_error.
// The cell itself runs in the session worker; this handler only speaks protocol around it.
import type { Handler } from '../handler-context.js';
import { toIopub } from '../outputs.js';
import { helpFor, helpTarget } from './help.js';

interface ExecuteContent {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  stopOnError: boolean;
  userExpressions: Record<string, unknown>;
}

function readContent(c: Record<string, unknown>): ExecuteContent {
  const silent = c.silent === true;
  return {
    code: typeof c.code === 'string' ? c.code : '',
    silent,
    // The spec: silent forces store_history off.
    storeHistory: !silent && c.store_history !== false,
    stopOnError: c.stop_on_error !== false,
    userExpressions:
      c.user_expressions !== null && typeof c.user_expressions === 'object' ? (c.user_expressions as Record<string, unknown>) : {},
  };
}

/** convbook has no expression language to evaluate them in; answer each one as an error, as the spec allows. */
function unsupportedExpressions(requested: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(requested)) {
    out[name] = { status: 'error', ename: 'NotSupported', evalue: 'convbook does not evaluate user_expressions', traceback: [] };
  }
  return out;
}

export const execute: Handler = async (io, kernel) => {
  const req = readContent(io.request.content);
  const blank = req.code.trim() === '';
  // Like IPython: a blank cell neither counts nor enters history.
  if (req.storeHistory && !blank) kernel.counter.value++;
  const count = kernel.counter.value;
  if (!req.silent) io.publish('execute_input', { code: req.code, execution_count: count });
  if (req.storeHistory && !blank) kernel.history.add(count, req.code);
  const expressions = unsupportedExpressions(req.userExpressions);
  if (blank) {
    io.reply({ status: 'ok', execution_count: count, payload: [], user_expressions: expressions });
    return;
  }
  const helpWord = helpTarget(req.code);
  if (helpWord !== undefined) {
    const help = helpFor(helpWord, kernel.language, kernel.session.env);
    if (!help.found && !req.silent) io.publish('stream', { name: 'stdout', text: help.message });
    io.reply({ status: 'ok', execution_count: count, payload: help.found ? [help.payload] : [], user_expressions: expressions });
    return;
  }

  const outcome = await kernel.session.execute(req.code, req.silent, (output) => {
    if (output.type === 'result' && req.storeHistory) {
      const plain = output.data['text/plain'];
      if (typeof plain === 'string') kernel.history.setOutput(count, plain);
    }
    if (req.silent) return;
    const m = toIopub(output, count);
    io.publish(m.msgType, m.content);
  });

  if (outcome.error === undefined) {
    io.reply({ status: 'ok', execution_count: count, payload: [], user_expressions: expressions });
    return;
  }
  const { ename, evalue, traceback } = outcome.error;
  if (!req.silent) io.publish('error', { ename, evalue, traceback });
  io.reply({ status: 'error', execution_count: count, ename, evalue, traceback, user_expressions: expressions });
  if (req.stopOnError) kernel.abortQueued();
};
