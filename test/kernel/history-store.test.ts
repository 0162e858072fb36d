// Glob matching for history search, checked against the sqlite GLOB rules IPython relies on.
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../kernel/history-store.js';

describe('globToRegExp', () => {
  const m = (pattern: string, text: string) => globToRegExp(pattern).test(text);
  it('anchors at both ends and treats * and ? as wildcards', () => {
    expect(m('1?2*', '1+2')).toBe(true);
    expect(m('1?2*', 'x1+2')).toBe(false);
    expect(m('*train*', 'model m\ntrain m on d')).toBe(true);
    expect(m('show ?', 'show m')).toBe(true);
    expect(m('show ?', 'show mm')).toBe(false);
  });
  it('escapes regex characters and supports classes', () => {
    expect(m('a.b', 'axb')).toBe(false);
    expect(m('a.b', 'a.b')).toBe(true);
    expect(m('(x)+', '(x)+')).toBe(true);
    expect(m('[ab]c', 'bc')).toBe(true);
    expect(m('[ab]c', 'cc')).toBe(false);
    expect(m('[^ab]c', 'cc')).toBe(true);
  });
});
