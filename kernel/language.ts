// Binds the kernel's LanguageServices to the dsl's own completion, inspection and is-complete logic.
// The kernel never reimplements the language; this is the only kernel file importing dsl/index.
import { complete, inspect, isComplete } from '../dsl/index.js';
import type { LanguageServices } from './handler-context.js';

export const dslServices: LanguageServices = { complete, inspect, isComplete };
