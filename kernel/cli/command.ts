// The shape of a subcommand: a one-line summary for --help and a run that returns the exit code.

export interface Command {
  usage: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Prints a usage error the same way for every subcommand; exit code 2 like most CLIs. */
export function usageError(command: Command, message: string): number {
  process.stderr.write(`convbook: ${message}\nusage: ${command.usage}\n`);
  return 2;
}
