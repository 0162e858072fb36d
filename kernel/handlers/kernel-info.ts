// kernel_info_request (shell and control): who we are and how front ends should treat the language.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from '../context.js';
import { PROTOCOL_VERSION } from '../message.js';
import { packageRoot, packageVersion } from '../version.js';

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

export const kernelInfo: Handler = (io) => {
  io.reply(kernelInfoContent);
};
