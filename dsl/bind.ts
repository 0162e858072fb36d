// Binding: match the generic terms of a layer line, setting, call or show form against its row of the
// built-ins table, converting each value to its type and reporting wrong types, ranges, unknown and
// repeated options at their exact tokens. No defaults here (lowering fills those from the same table).
import type { Arg, Term, Value } from './ast.js';
import { span, wordOf } from './ast.js';
import { activationNames, lookup, namesOf, rangeText, type Builtin, type Category, type ParamDef } from './builtins.js';
import type { Diagnostic, SourceRange } from './program.js';
import { closest, didYouMean } from './suggest.js';

export interface BoundValue {
  value: unknown;
  range: SourceRange;
}
export type Bound = Record<string, BoundValue>;

/** Padding as written; lowering turns it into pixels per side once the input size is known. */
export interface PaddingValue {
  kind: 'valid' | 'same' | 'explicit';
  pixels: [number, number];
  replicate: boolean;
}

/** A call or bare word of a family (`sgd(lr: 0.1)`, `constant`). */
export interface FamilyValue {
  name: string;
  args: Bound;
}

export class Binder {
  readonly diagnostics: Diagnostic[] = [];

  error(range: SourceRange, message: string, code = 'type', hint?: string): undefined {
    this.diagnostics.push({ severity: 'error', code, message, range, ...(hint ? { hint } : {}) });
    return undefined;
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  /** A term as its parameter's type, or undefined after reporting why not. */
  convert(p: ParamDef, v: Term, owner: string): unknown {
    const what = `${p.name} of ${owner}`;
    if (v.t === 'comma') return this.error(v.range, `expected ${what}, found ','`, 'syntax');
    const word = wordOf(v);
    switch (p.type) {
      case 'int':
      case 'number': {
        if (v.t !== 'num')
          return this.error(v.range, `${what} must be ${p.type === 'int' ? 'a whole number' : 'a number'}, found ${describe(v)}`);
        if (!Number.isFinite(v.value)) return this.error(v.range, `${what} must be a finite number, found ${v.text}`, 'range');
        if (p.type === 'int' && !Number.isInteger(v.value)) return this.error(v.range, `${what} must be a whole number, found ${v.text}`);
        return this.inRange(p, v.value, v.range, what);
      }
      case 'bool':
        if (word === 'true' || word === 'false') return word === 'true';
        return this.error(v.range, `${what} must be true or false, found ${describe(v)}`);
      case 'string':
        if (v.t === 'str') return v.value;
        return this.error(v.range, `${what} must be a "string" in double quotes, found ${describe(v)}`);
      case 'name':
        if (word !== undefined) return word;
        return this.error(v.range, `${what} must be a name, found ${describe(v)}`);
      case 'pair': {
        let pair: [number, number] | undefined;
        if (v.t === 'dims' && v.values.length === 2) pair = [v.values[0], v.values[1]];
        if (v.t === 'num' && Number.isInteger(v.value)) pair = [v.value, v.value];
        if (pair === undefined) return this.error(v.range, `${what} must be a size like 3x3 (or one whole number), found ${describe(v)}`);
        for (const x of pair) if (this.inRange(p, x, v.range, what) === undefined) return undefined;
        return pair;
      }
      case 'shape': {
        if (v.t !== 'dims')
          return this.error(v.range, `${what} must be a size like 28x28x1 (height x width x channels), found ${describe(v)}`);
        const [h, w, c = 1] = v.values;
        if (h < 1 || w < 1 || c < 1) return this.error(v.range, `${what} must be at least 1x1x1`, 'range');
        if (h * w * c > 16_777_216) return this.error(v.range, `${what} ${v.text} is too large (more than 16M values per image)`, 'range');
        return [h, w, c];
      }
      case 'ints':
      case 'numbers': {
        const items: number[] = [];
        if (v.t === 'range' && typeof v.from === 'number' && typeof v.to === 'number') {
          if (!Number.isInteger(v.from) || !Number.isInteger(v.to) || v.to < v.from || v.to - v.from > 100_000) {
            return this.error(v.range, `${what}: a range a..b needs whole numbers with a ≤ b`);
          }
          for (let i = v.from; i <= v.to; i++) items.push(i);
        } else if (v.t === 'list') {
          for (const it of v.items) {
            if (it.t !== 'num' || !Number.isFinite(it.value))
              return this.error(it.range, `${what} must list numbers, found ${describe(it)}`);
            if (p.type === 'ints' && !Number.isInteger(it.value))
              return this.error(it.range, `${what} must list whole numbers, found ${it.text}`);
            items.push(it.value);
          }
        } else if (v.t === 'num' && (p.type === 'numbers' || Number.isInteger(v.value))) {
          items.push(v.value);
        } else {
          return this.error(
            v.range,
            `${what} must be a list like [1, 2]${p.type === 'ints' ? ' or a range like 0..4' : ''}, found ${describe(v)}`,
          );
        }
        for (const x of items) if (this.inRange(p, x, v.range, what) === undefined) return undefined;
        return items;
      }
      case 'activation':
      case 'choice': {
        const choices: readonly string[] = p.type === 'activation' ? activationNames : (p.choices ?? []);
        if (word !== undefined && choices.includes(word)) return word;
        const hint = word === undefined ? '' : didYouMean(word, choices);
        return this.error(
          v.range,
          `${what} must be one of ${choices.join(', ')}, found ${describe(v)}${hint}`,
          word ? 'unknown-name' : 'type',
        );
      }
      case 'optimizer':
      case 'schedule':
        return this.family(p.type, v);
      case 'padding':
        if (word === 'valid' || word === 'same') return { kind: word, pixels: [0, 0], replicate: false } satisfies PaddingValue;
        if (word === 'replicate') return { kind: 'same', pixels: [0, 0], replicate: true } satisfies PaddingValue;
        if (v.t === 'num' && Number.isInteger(v.value) && v.value >= 0 && v.value <= 64)
          return { kind: 'explicit', pixels: [v.value, v.value], replicate: false } satisfies PaddingValue;
        if (v.t === 'dims' && v.values.length === 2 && v.values.every((x) => x <= 64))
          return { kind: 'explicit', pixels: [v.values[0], v.values[1]], replicate: false } satisfies PaddingValue;
        return this.error(
          v.range,
          `${what} must be valid, same, replicate, a number of pixels (0 to 64) or PxQ, found ${describe(v)}${word ? didYouMean(word, ['valid', 'same', 'replicate']) : ''}`,
        );
      case 'augmentations':
        return this.error(v.range, `${what}: augmentations are written as a list like shift 2, rotate 10`);
    }
  }

  private inRange(p: ParamDef, x: number, range: SourceRange, what: string): number | undefined {
    const low = p.min !== undefined && (p.openMin ? x <= p.min : x < p.min);
    const high = p.max !== undefined && (p.openMax ? x >= p.max : x > p.max);
    if (low || high) return this.error(range, `${what} must be ${rangeText(p)}, found ${x}`, 'range');
    return x;
  }

  /** `sgd(lr: 0.1)` or `adam` or `constant`: a row of the optimizer/schedule/filter family and its bound arguments. */
  family(category: Category, v: Value): FamilyValue | undefined {
    const name = v.t === 'call' ? v.name : v.t === 'path' && v.parts.length === 1 && v.index === undefined ? v.parts[0] : undefined;
    const names = namesOf(category);
    if (name === undefined)
      return this.error(v.range, `expected ${article(category)} ${category} (${names.join(', ')}), found ${describe(v)}`);
    const row = lookup(category, name.name);
    if (row === undefined)
      return this.error(
        name.range,
        `unknown ${category} '${name.name}'${didYouMean(name.name, names)}; known: ${names.join(', ')}`,
        'unknown-name',
      );
    const args = v.t === 'call' ? this.call(row, v.args, v.range) : {};
    return { name: row.name, args };
  }

  /** Arguments of a call: positional values fill the row's parameters in order, then `name: value`. */
  call(row: Builtin, args: Arg[], range: SourceRange): Bound {
    const out: Bound = {};
    // Only this call's own diagnostics can explain a missing value (scanning all would be quadratic).
    const first = this.diagnostics.length;
    let next = 0;
    let seenNamed = false;
    // Values past the last parameter: reported once, for all of them.
    let extra = false;
    for (const a of args) {
      let p: ParamDef | undefined;
      if (a.name) {
        seenNamed = true;
        p = row.params.find((q) => q.name === a.name?.name);
        if (p === undefined) {
          const names = row.params.map((q) => q.name);
          this.error(
            a.name.range,
            `${row.name} has no parameter '${a.name.name}'${didYouMean(a.name.name, names)}${names.length ? `; it takes ${names.join(', ')}` : '; it takes no parameters'}`,
            'unknown-name',
          );
          continue;
        }
      } else {
        if (seenNamed) {
          this.error(a.range, `positional values must come before named ones like ${row.params[0]?.name ?? 'x'}: …`, 'syntax');
          continue;
        }
        p = row.params[next++];
        if (p === undefined && extra) continue;
        if (p === undefined) {
          extra = true;
          const order = row.params.map((q) => q.name).join(', ');
          const takes =
            row.params.length === 0
              ? 'takes no values'
              : `takes at most ${row.params.length} value${row.params.length > 1 ? 's' : ''}, in the order ${order}`;
          const surplus = args.filter((x) => x.name === undefined).length - row.params.length;
          const what =
            surplus === 1 ? `${describe(a.value)} is one too many` : `${describe(a.value)} and the ${surplus - 1} after it are too many`;
          this.error(
            a.range,
            `${row.name} ${takes}; ${what}${row.params.length ? `: remove ${surplus === 1 ? 'it' : 'them'}, or name each value, e.g. ${row.name}(${row.params[0].name}: …)` : ''}`,
            'arity',
          );
          continue;
        }
      }
      if (out[p.name] !== undefined) {
        this.error(a.range, `${p.name} is given twice`, 'duplicate');
        continue;
      }
      const value = this.convert(p, a.value, row.name);
      if (value !== undefined) out[p.name] = { value, range: a.value.range };
    }
    for (const p of row.params) {
      if (p.required && out[p.name] === undefined && !this.diagnostics.slice(first).some((d) => within(d.range, range))) {
        this.error(range, `${row.name} needs ${p.name} (${p.doc})`, 'missing');
      }
    }
    return out;
  }

  /**
   * The terms after a head word (`conv 6 kernel 5x5 relu`): positional values first, then `word value`
   * options and flag words in any order. `owner` names the construct in messages.
   */
  line(row: Builtin, terms: Term[], headRange: SourceRange, owner = row.name): Bound {
    const out: Bound = {};
    const first = this.diagnostics.length;
    const positional = row.params.filter((p) => p.form === 'positional');
    const keywords = row.params.filter((p) => p.form === 'keyword');
    const flags = row.params.filter((p) => p.form === 'flag');
    const known = [...keywords.map((p) => p.name), ...flags.flatMap((p) => (p.type === 'activation' ? [...activationNames] : [p.name]))];
    let nextPos = 0;
    const set = (p: ParamDef, value: unknown, range: SourceRange) => {
      if (out[p.name] !== undefined) this.error(range, `${p.name} of ${owner} is given twice`, 'duplicate');
      else if (value !== undefined) out[p.name] = { value, range };
    };
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i];
      const word = wordOf(t);
      if (t.t === 'comma') {
        // The rest of the line is probably the next line joined on by the comma: one error is enough.
        this.error(
          t.range,
          `unexpected ',' in ${owner}: options are separated by spaces, and each ${row.category === 'layer' ? 'layer' : 'statement'} goes on its own line`,
          'syntax',
        );
        break;
      }
      if (t.t === 'call' && keywords.some((p) => p.name === t.name.name)) {
        this.error(
          t.range,
          `write ${t.name.name} and its value without parentheses, e.g. ${t.name.name} ${t.args[0] ? describe(t.args[0].value) : '…'}`,
          'syntax',
        );
        continue;
      }
      const kw = word === undefined ? undefined : keywords.find((p) => p.name === word);
      if (kw !== undefined) {
        const v = terms[i + 1];
        if (v === undefined || v.t === 'comma') {
          this.error(t.range, `${word} needs a value after it (${kw.doc})`, 'missing');
          continue;
        }
        i++;
        let value = this.convert(kw, v, owner);
        let range = v.range;
        const after = wordOf(terms[i + 1]);
        if (kw.type === 'padding' && value !== undefined && (after === 'replicate' || after === 'zero')) {
          value = { ...(value as PaddingValue), replicate: after === 'replicate' };
          range = terms[++i].range;
        }
        if (kw.unit !== undefined && after === kw.unit) i++;
        set(kw, value, range);
        continue;
      }
      const flag =
        word === undefined
          ? undefined
          : flags.find((p) => (p.type === 'activation' ? (activationNames as readonly string[]).includes(word) : p.name === word));
      if (flag !== undefined) {
        set(flag, flag.type === 'activation' ? word : true, t.range);
        continue;
      }
      const pos = positional[nextPos];
      if (pos !== undefined) {
        nextPos++;
        if (pos.type === 'augmentations') {
          const rest = terms.slice(i);
          const { value, consumed } = this.augments(rest);
          set(pos, value, t.range);
          if (consumed < rest.length)
            this.error(
              rest[consumed].range,
              `unexpected ${describe(rest[consumed])}: separate augmentations with commas, e.g. shift 2, rotate 10`,
              'syntax',
            );
          break;
        }
        set(pos, this.convert(pos, t, owner), t.range);
        continue;
      }
      if (row.category === 'setting' && (row.name === 'optimizer' || row.name === 'schedule')) {
        this.error(t.range, `unexpected ${describe(t)}: the ${row.name}'s parameters go in parentheses, e.g. ${row.example}`, 'syntax');
        break;
      }
      // A bare size where an option is expected (conv 6 5x5) most likely lacks its option word.
      const sized = t.t === 'dims' && keywords.find((p) => (p.type === 'pair' || p.type === 'padding') && out[p.name] === undefined);
      const options = known.length ? `; ${owner} takes ${known.join(', ')}` : `; ${owner} takes no options`;
      const meant = word === undefined ? undefined : closest(word, known);
      const meantKw = keywords.find((p) => p.name === meant);
      const next = terms[i + 1];
      if (sized) {
        this.error(
          t.range,
          `a size ${describe(t)} on its own has no place in ${owner} (did you mean '${sized.name} ${describe(t)}'?): write ${sized.name} ${describe(t)}`,
          'syntax',
        );
      } else if (meant !== undefined) {
        // A misspelt option (kernal 5x5) takes its value (and unit) with it, so they are not more errors.
        const value = meantKw !== undefined && next !== undefined && next.t !== 'comma' && wordOf(next) === undefined ? next : undefined;
        this.error(
          t.range,
          `${owner} has no option '${word}' (did you mean '${meant}'?): write ${meant}${value ? ` ${describe(value).replace(/^'|'$/g, '')}` : ''}`,
          'unknown-name',
        );
        if (value !== undefined) {
          i++;
          if (meantKw?.unit !== undefined && wordOf(terms[i + 1]) === meantKw.unit) i++;
        }
      } else if (word !== undefined) {
        this.error(t.range, `${owner} has no option '${word}'${options}`, 'unknown-name');
      } else {
        // A run of stray values (`epochs 2 7 7 7 …`) is one mistake: one diagnostic over all of them.
        let j = i + 1;
        while (j < terms.length && terms[j].t !== 'comma' && terms[j].t !== 'dims' && wordOf(terms[j]) === undefined) j++;
        const range = span(t.range, terms[j - 1].range);
        const stray = j - i === 1 ? describe(t) : `values ${describe(t)} … ${describe(terms[j - 1])} (${j - i} of them)`;
        const values =
          positional.length === 0
            ? 'no values'
            : `${positional.length === 1 ? 'one value' : `${positional.length} values`} (${positional.map((p) => p.doc).join(', ')})`;
        const then = known.length ? ` before its options ${known.join(', ')}` : ' and no options';
        this.error(range, `unexpected ${stray} in ${owner}: ${owner} takes ${values}${then}`, 'syntax');
        i = j - 1;
      }
    }
    for (const p of positional) {
      if (
        p.required &&
        out[p.name] === undefined &&
        !this.diagnostics.slice(first).some((d) => within(d.range, headRange) || terms.some((t) => within(d.range, t.range)))
      ) {
        this.error(
          headRange,
          `${owner} needs ${p.doc} after '${row.name}', e.g. ${
            row.example
              .split('\n')
              .find((l) => l.includes(row.name))
              ?.trim() ?? row.name
          }`,
          'missing',
        );
      }
    }
    return out;
  }

  /** `shift 2, rotate 10, flip`: augmentation name → amount (true for flip). */
  augments(terms: Term[]): { value: Record<string, unknown>; consumed: number } {
    const out: Record<string, unknown> = {};
    const names = namesOf('augmentation');
    let i = 0;
    while (i < terms.length) {
      const t = terms[i];
      const word = wordOf(t);
      const row = word === undefined ? undefined : lookup('augmentation', word);
      if (row === undefined) {
        this.error(
          t.range,
          `unknown augmentation ${describe(t)}${word ? didYouMean(word, names) : ''}; known: ${names.join(', ')}`,
          'unknown-name',
        );
        while (i < terms.length && terms[i].t !== 'comma') i++;
        i++;
        continue;
      }
      const p = row.params[0];
      const v = terms[i + 1];
      i++;
      // The amount is optional (`shift, flip` take the table's defaults); a bad amount was reported.
      let amount: unknown = p?.default ?? true;
      if (p !== undefined && v !== undefined && v.t !== 'comma' && wordOf(v) === undefined) {
        amount = this.convert(p, v, row.name) ?? amount;
        i++;
      }
      out[row.name] = amount;
      const sep = terms[i];
      // Anything but a comma is not ours: the caller (e.g. `show augment … count 8`) handles what follows.
      if (sep === undefined || sep.t !== 'comma') break;
      i++;
    }
    return { value: out, consumed: Math.min(i, terms.length) };
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function within(inner: SourceRange, outer: SourceRange): boolean {
  return inner.startOffset >= outer.startOffset && inner.endOffset <= outer.endOffset;
}

/** A string value in a message: escaped (so a \n stays on one line) and cut after 40 characters. */
export function quoted(text: string): string {
  const escaped = JSON.stringify(text);
  return escaped.length <= 42 ? escaped : `${escaped.slice(0, 40)}…"`;
}

/** How a value reads in a message: the text the student wrote where possible. */
export function describe(v: Term): string {
  switch (v.t) {
    case 'num':
      return v.text;
    case 'dims':
      return v.text;
    case 'str':
      return quoted(v.value);
    case 'path':
      return `'${v.parts.map((p) => p.name).join('.')}${v.index ? `[${v.index.value}]` : ''}'`;
    case 'call':
      return `'${v.name.name}(…)'`;
    case 'list':
      return 'a [list]';
    case 'range':
      return `'${v.from}..${v.to}'`;
    case 'comma':
      return "','";
  }
}
