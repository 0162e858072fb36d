// What a compiled cell adds to the session's SessionEnv (completion and inspection read the result).
import { dataInfo } from './check.js';
import { copyEnv, type Program, type SessionEnv } from './program.js';

/** The env after running a program's definitions (data, model; a load is known only once it ran). */
export function envAfter(env: SessionEnv, program: Program): SessionEnv {
  const next = copyEnv(env);
  for (const s of program.statements) {
    if (s.kind === 'data') next.data[s.name] = dataInfo(s.spec, next);
    if (s.kind === 'model') next.models[s.name] = s.spec;
  }
  return next;
}
