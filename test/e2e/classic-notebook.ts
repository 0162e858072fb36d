// One classic Notebook page for the browser tests that open a single notebook: the server and Chromium of
// browser-helpers.ts, a page on the notebook with its kernel connected, and one close() for both.
import type { Page } from 'playwright-core';
import { browserSkipReason as skipWithout, launchChromium, startNotebookServer } from './browser-helpers.js';

export const browserSkipReason = (): string | undefined => skipWithout(['notebook']);

export interface ClassicNotebook {
  base: string;
  token: string;
  page: Page;
  /** Opens notebooks/<file> of the served folder and waits until its kernel is connected. */
  open(file: string): Promise<void>;
  log(): string;
  close(): Promise<void>;
}

/** Starts the server on `nbDir` (a fresh Jupyter data dir, so nothing is trusted) and a browser page. */
export async function startClassicNotebook(nbDir: string): Promise<ClassicNotebook> {
  const server = await startNotebookServer(nbDir);
  const context = await launchChromium(1280);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    base: server.base,
    token: server.token,
    page,
    log: server.log,
    async open(file: string) {
      await page.goto(`${server.base}/notebooks/${file}?token=${server.token}`);
      await page.waitForFunction(
        () => {
          const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter;
          return J?.notebook?.kernel?.is_connected() === true;
        },
        undefined,
        { timeout: 120_000 },
      );
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.stop();
    },
  };
}
