// The bounded memory of signatures behind replay rejection.
import { describe, expect, it } from 'vitest';
import { SeenSignatures } from '../../kernel/replay.js';

describe('SeenSignatures', () => {
  it('flags a repeat and forgets the oldest beyond its limit', () => {
    const seen = new SeenSignatures(3);
    expect(['a', 'b', 'c'].map((s) => seen.replayed(s))).toEqual([false, false, false]);
    expect(seen.replayed('a')).toBe(true);
    expect(seen.replayed('d')).toBe(false); // evicts a
    expect(seen.replayed('a')).toBe(false);
    expect(seen.replayed('c')).toBe(true);
  });
});
