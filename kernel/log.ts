// Kernel logging to stderr, filtered by CONVBOOK_LOG=debug|info|warn|error (default warn).
// stdout is left alone: Jupyter front ends may capture it, and the runner prints progress there.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ranks: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function thresholdFromEnv(): number {
  const wanted = (process.env.CONVBOOK_LOG ?? 'warn').toLowerCase();
  return wanted in ranks ? ranks[wanted as LogLevel] : ranks.warn;
}

let threshold = thresholdFromEnv();

/** Tests and the CLI may change the level after start-up. */
export function setLogLevel(level: LogLevel): void {
  threshold = ranks[level];
}

function write(level: LogLevel, message: string, detail?: unknown): void {
  if (ranks[level] < threshold) return;
  const extra = detail === undefined ? '' : ' ' + (detail instanceof Error ? (detail.stack ?? detail.message) : safeJson(detail));
  process.stderr.write(`[convbook ${level} ${new Date().toISOString()}] ${message}${extra}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export const log = {
  debug: (message: string, detail?: unknown): void => write('debug', message, detail),
  info: (message: string, detail?: unknown): void => write('info', message, detail),
  warn: (message: string, detail?: unknown): void => write('warn', message, detail),
  error: (message: string, detail?: unknown): void => write('error', message, detail),
};
