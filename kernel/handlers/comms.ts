// Comms: convbook registers no comm targets, so it lists none, closes any comm a front end opens,
// and ignores messages and closes for comms it never had.
import type { Handler } from '../handler-context.js';
import { log } from '../log.js';

export const commInfo: Handler = (io) => {
  io.reply({ status: 'ok', comms: {} });
};

export const commOpen: Handler = (io) => {
  const { comm_id, target_name } = io.request.content;
  log.info(`comm_open for unknown target ${JSON.stringify(target_name)}; closing it`);
  io.publish('comm_close', { comm_id: typeof comm_id === 'string' ? comm_id : '', data: {} });
};

export const commIgnore: Handler = (io) => {
  log.debug(`${io.request.header.msg_type} for comm ${JSON.stringify(io.request.content.comm_id)} ignored`);
};
