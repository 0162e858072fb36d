// The convbook language's public API: compile a cell, and the editor services (complete, inspect,
// isComplete) that read the same built-ins table. Named exports only.
export { compile, parse, type CompileOptions } from './compile.js';
export { diagnosticCodes, renderDiagnostic, renderDiagnostics } from './diagnostic.js';
export { rangeAt } from './lexer.js';
export { builtins, lookup, namesOf, type Builtin, type Category, type ParamDef } from './builtins.js';
export { complete, type Completion } from './complete.js';
export { inspect, type Inspection } from './inspect.js';
export { isComplete, type Completeness } from './is-complete.js';
export { envAfter } from './env.js';
export {
  emptyEnv,
  type CompileResult,
  type Diagnostic,
  type Program,
  type SessionEnv,
  type SourceRange,
  type Statement,
} from './program.js';
