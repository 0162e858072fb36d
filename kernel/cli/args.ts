// A small argv parser for the subcommands: --flag, --opt VALUE, --opt=VALUE, -f VALUE, positionals.
// Unknown options are errors (as data), so a typo never silently changes where things get written.

export interface ArgSpec {
  /** Options that take a value, with their aliases: { prefix: ['--prefix'], file: ['-f', '--file'] }. */
  values: Record<string, string[]>;
  /** Options without a value. */
  flags: Record<string, string[]>;
}

export interface ParsedArgs {
  values: Record<string, string>;
  flags: Set<string>;
  positionals: string[];
}

export type ArgsResult = { ok: true; args: ParsedArgs } | { ok: false; message: string };

export function parseArgs(argv: readonly string[], spec: ArgSpec): ArgsResult {
  const byAlias = new Map<string, { name: string; takesValue: boolean }>();
  for (const [name, aliases] of Object.entries(spec.values)) for (const a of aliases) byAlias.set(a, { name, takesValue: true });
  for (const [name, aliases] of Object.entries(spec.flags)) for (const a of aliases) byAlias.set(a, { name, takesValue: false });
  const out: ParsedArgs = { values: {}, flags: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    const opt = byAlias.get(key);
    if (opt === undefined) return { ok: false, message: `unknown option ${key}` };
    if (!opt.takesValue) {
      if (eq > 0) return { ok: false, message: `option ${key} takes no value` };
      out.flags.add(opt.name);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return { ok: false, message: `option ${key} needs a value` };
    out.values[opt.name] = value;
  }
  return { ok: true, args: out };
}
