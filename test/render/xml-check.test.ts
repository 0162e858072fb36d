// The XML checker itself must reject malformed input, or the SVG tests would prove nothing.
import { describe, expect, it } from 'vitest';
import { checkXml } from './helpers.js';

describe('checkXml', () => {
  it('accepts well-formed SVG and lists elements', () => {
    expect(checkXml('<svg a="1"><g><path d="M0 0"/></g><text>a &amp; b</text></svg>')).toEqual(['svg', 'g', 'path', 'text']);
  });
  it.each([
    ['<svg><g></svg>', 'closes'],
    ['<svg><g>', 'unclosed'],
    ['<svg a=1></svg>', 'bad start tag'],
    ['<svg>a & b</svg>', 'bad entity'],
    ['<svg a="1" a="2"></svg>', 'duplicate'],
    ['<svg></svg><svg></svg>', 'one root'],
  ])('rejects %s', (xml, reason) => {
    expect(() => checkXml(xml)).toThrow(reason);
  });
});
