// shutdown_request and interrupt_request (control channel).
import type { Handler } from '../handler-context.js';

export const shutdown: Handler = (io, kernel) => {
  const restart = io.request.content.restart === true;
  io.reply({ status: 'ok', restart });
  kernel.requestShutdown(restart);
};

export const interrupt: Handler = (io, kernel) => {
  kernel.session.interrupt();
  io.reply({ status: 'ok' });
};
