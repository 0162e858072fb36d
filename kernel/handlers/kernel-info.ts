// kernel_info_request (shell and control): who we are and how front ends should treat the language.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from '../handler-context.js';
import { PROTOCOL_VERSION } from '../message.js';
import { packageRoot, packageVersion } from '../../runtime/version.js';

export const languageInfo = {
  name: 'convbook',
  version: packageVersion,
  mimetype: 'text/x-convbook',
  file_extension: '.cnb',
  // The CodeMirror mode `convbook` is defined by the kernelspec's kernel.js (dsl/highlight.ts). Pygments has
  // no convbook lexer and a kernel cannot install one, so nbconvert shows cells as plain text.
  pygments_lexer: 'text',
  codemirror_mode: 'convbook',
};

export const kernelInfoContent = {
  status: 'ok',
  protocol_version: PROTOCOL_VERSION,
  implementation: 'convbook',
  implementation_version: packageVersion,
  language_info: languageInfo,
  banner: `convbook ${packageVersion}: define, train and look inside convolutional networks, one cell at a time.`,
  debugger: false,
  help_links: [{ text: 'convbook language reference', url: pathToFileURL(join(packageRoot, 'docs', 'language.md')).href }],
};

/**
 * Clients take kernel_info_reply as "ready" and send the first cell right after it; while the session worker
 * worker is still loading, that cell would wait. So the reply waits for the session worker, at most this long
 * (a broken worker build must not hide the kernel from its client).
 */
export const READY_WAIT_MS = 10_000;

export const kernelInfo: Handler = async (io, kernel) => {
  await kernel.session.whenReady?.(READY_WAIT_MS);
  io.reply(kernelInfoContent);
};
