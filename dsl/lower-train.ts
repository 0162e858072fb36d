// Lowering of `train … { settings }` (and the TrainSpec that `show schedule` draws): settings may share
// a line, so each line is split at setting names before binding; every default comes from the table.
import type { Line, Term } from './ast.js';
import { wordOf } from './ast.js';
import { describe, type Binder, type Bound, type FamilyValue } from './bind.js';
import { activationNames, lookup, namesOf, type Builtin } from './builtins.js';
import { valueOr } from './defaults.js';
import type { SourceRange } from './program.js';
import { closest, didYouMean } from './suggest.js';
import type { AugmentSpec, OptimizerSpec, Pair, ScheduleSpec, TrainSpec } from '../runtime/spec.js';

/** Each setting as written, for the checker: its head token and bound values. */
export type SettingRanges = Record<string, { head: SourceRange; bound: Bound }>;

const settingNames = namesOf('setting');

/** Parameter names of optimizers and schedules (lr, momentum, …): `optimizer sgd lr 0.1` has its own message. */
const familyParams = new Set(
  [...namesOf('optimizer').map((n) => lookup('optimizer', n)), ...namesOf('schedule').map((n) => lookup('schedule', n))].flatMap(
    (r) => r?.params.map((p) => p.name) ?? [],
  ),
);

const ownWordsCache = new Map<string, string[]>();

/** Every word a setting's own terms may contain: option and flag names, units, choices, family names. */
function ownWords(row: Builtin): string[] {
  const cached = ownWordsCache.get(row.name);
  if (cached !== undefined) return cached;
  const out = new Set<string>(['true', 'false']);
  for (const p of row.params) {
    out.add(p.name);
    if (p.unit !== undefined) out.add(p.unit);
    for (const c of p.choices ?? []) out.add(c);
    if (p.type === 'activation') for (const a of activationNames) out.add(a);
    if (p.type === 'optimizer' || p.type === 'schedule') for (const n of namesOf(p.type)) out.add(n);
    if (p.type === 'augmentations') for (const n of namesOf('augmentation')) out.add(n);
  }
  ownWordsCache.set(row.name, [...out]);
  return [...out];
}

/** Split a block's lines into (setting head, its terms) pairs. */
function settingsOf(lines: Line[], b: Binder): { head: { name: string; range: SourceRange }; terms: Term[] }[] {
  const out: { head: { name: string; range: SourceRange }; terms: Term[] }[] = [];
  for (const line of lines) {
    let current: (typeof out)[number] | undefined;
    const items: Term[] = [{ t: 'path', parts: [line.head], range: line.head.range }, ...line.terms];
    for (const [k, t] of items.entries()) {
      const word = wordOf(t);
      if (word !== undefined && settingNames.includes(word)) {
        current = { head: { name: word, range: t.range }, terms: [] };
        out.push(current);
      } else if (current !== undefined) {
        // `epochs 2  bacth 32`: a misspelt setting after another one's value starts a setting of its
        // own (not an option of epochs); report it with what to write, and skip its value.
        // (After a skipped setting, `row` is undefined and only the next setting name counts.)
        const row = current.head.name === '' || word === undefined ? undefined : lookup('setting', current.head.name);
        const own = row === undefined ? [] : ownWords(row);
        const meant =
          word === undefined || own.includes(word) || familyParams.has(word) || closest(word, own) !== undefined
            ? undefined
            : closest(word, settingNames);
        if (meant !== undefined) {
          const value = items[k + 1];
          const example =
            value !== undefined && wordOf(value) === undefined && value.t !== 'comma'
              ? `${meant} ${describe(value).replace(/^'|'$/g, '')}`
              : meant;
          b.error(t.range, `unknown train setting '${word}' (did you mean '${meant}'?): write ${example}`, 'unknown-name');
          current = { head: { name: '', range: t.range }, terms: [] };
        } else current.terms.push(t);
      } else {
        const owner =
          word === undefined
            ? undefined
            : [...namesOf('optimizer'), ...namesOf('schedule')]
                .map((n) => lookup('optimizer', n) ?? lookup('schedule', n))
                .find((r) => r?.params.some((p) => p.name === word));
        if (owner !== undefined) {
          const setting = owner.category === 'optimizer' ? 'optimizer' : 'schedule';
          b.error(
            t.range,
            `${word} is a parameter of the ${setting}: write it in parentheses, e.g. ${setting} ${owner.name}(${word}: …)`,
            'unknown-name',
          );
        } else {
          const hint = word === undefined ? '' : didYouMean(word, settingNames);
          b.error(
            t.range,
            `unknown train setting ${word ? `'${word}'` : 'value'}${hint}; settings are ${settingNames.join(', ')}`,
            'unknown-name',
          );
        }
        // Skip to the next setting name on this line.
        current = { head: { name: '', range: t.range }, terms: [] };
      }
    }
  }
  return out.filter((s) => s.head.name !== '');
}

export function optimizerSpec(f: FamilyValue | string): OptimizerSpec {
  const fam: FamilyValue = typeof f === 'string' ? { name: f, args: {} } : f;
  const row = lookup('optimizer', fam.name) as Builtin;
  const v = <T>(n: string) => valueOr<T>(row, fam.args, n);
  if (fam.name === 'adam') return { kind: 'adam', lr: v('lr'), beta1: v('beta1'), beta2: v('beta2'), eps: v('eps') };
  if (fam.name === 'adamw')
    return { kind: 'adamw', lr: v('lr'), beta1: v('beta1'), beta2: v('beta2'), eps: v('eps'), weightDecay: v('weight_decay') };
  return { kind: 'sgd', lr: v('lr'), momentum: v('momentum'), nesterov: v('nesterov') };
}

export function scheduleSpec(f: FamilyValue | string): ScheduleSpec {
  const fam: FamilyValue = typeof f === 'string' ? { name: f, args: {} } : f;
  const row = lookup('schedule', fam.name) as Builtin;
  const v = <T>(n: string) => valueOr<T>(row, fam.args, n);
  switch (fam.name) {
    case 'piecewise':
      return { kind: 'piecewise', boundaries: v('at') ?? [], values: v('values') ?? [] };
    case 'plateau':
      return { kind: 'plateau', every: v('every'), factor: v('factor'), epsilon: v('epsilon'), min: v('min') };
    case 'exponential':
      return { kind: 'exponential', d: v('d'), r: v('r') };
    case 'power':
      return { kind: 'power', r: v('r'), c: v('c') };
    default:
      return { kind: 'constant' };
  }
}

/** `{shift: 2, flip: true, occlude: [6, 6]}` as bound → AugmentSpec. */
export function augmentSpec(a: Record<string, unknown>): AugmentSpec {
  const out: AugmentSpec = {};
  for (const [k, v] of Object.entries(a)) {
    if (k === 'flip') out.flip = true;
    else if (k === 'occlude') out.occlude = v as Pair;
    else (out as Record<string, number>)[k] = v as number;
  }
  return out;
}

/** The train block → a complete TrainSpec, plus where each setting was written. */
export function lowerTrain(model: string, data: string, lines: Line[], b: Binder): { spec: TrainSpec; settings: SettingRanges } {
  const settings: SettingRanges = {};
  for (const s of settingsOf(lines, b)) {
    const row = lookup('setting', s.head.name) as Builtin;
    if (settings[s.head.name] !== undefined) {
      b.error(s.head.range, `${s.head.name} is set twice in this train statement`, 'duplicate');
      continue;
    }
    const bound = b.line(row, s.terms, s.head.range);
    settings[s.head.name] = { head: s.head.range, bound };
  }
  const get = <T>(name: string, param = 'value'): T => valueOr<T>(lookup('setting', name) as Builtin, settings[name]?.bound ?? {}, param);
  const optimizer = optimizerSpec(get<FamilyValue | string>('optimizer'));
  const spec: TrainSpec = {
    model,
    data,
    epochs: get('epochs'),
    batch: get('batch'),
    seed: get('seed'),
    validation: get('validation'),
    optimizer,
    schedule: scheduleSpec(get<FamilyValue | string>('schedule')),
    evalEvery: get('eval', 'every'),
    workers: get('workers'),
  };
  if (settings.weight_decay) spec.weightDecay = { mode: 'decoupled', value: get('weight_decay') };
  if (settings.l2) spec.weightDecay = { mode: 'l2', value: get('l2') };
  if (settings.weight_decay && settings.l2) b.error(settings.l2.head, 'use either weight_decay (decoupled) or l2, not both', 'conflict');
  const aug = settings.augment?.bound.value?.value as Record<string, unknown> | undefined;
  if (aug !== undefined) spec.augment = augmentSpec(aug);
  if (settings.early_stop) {
    const g = <T>(p: string) => get<T>('early_stop', p);
    spec.earlyStop = { every: g('every'), patience: g('patience'), restoreBest: g('restore') === 'best', metric: g('metric') };
  }
  if (get('arithmetic') === 'fused') spec.arithmetic = 'fused';
  const label = settings.label?.bound.value?.value as string | undefined;
  if (label !== undefined) spec.label = label;
  return { spec, settings };
}
