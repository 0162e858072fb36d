// The shape of a subcommand: usage and summary for --help, and a loader for its implementation, so
// `convbook install` does not pay for loading the session worker, the parser and zeromq.

export type Run = (argv: string[]) => Promise<number>;

export interface Command {
  usage: string;
  summary: string;
  load(): Promise<Run>;
}

/** Prints a usage error the same way for every subcommand; exit code 2 like most CLIs. */
export function usageError(usage: string, message: string): number {
  process.stderr.write(`convbook: ${message}\nusage: ${usage}\n`);
  return 2;
}
