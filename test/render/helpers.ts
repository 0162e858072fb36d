// Test helpers for render/: decode a bundle's PNG, pull data: URIs out of HTML, and a small XML
// well-formedness check (balanced tags, quoted attributes, known entities) for SVG output.
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  /** [r, g, b] at (x, y). */
  px(x: number, y: number): [number, number, number];
}

export function decodePng(base64: string): Decoded {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  return {
    width: png.width,
    height: png.height,
    px: (x, y) => {
      const i = (y * png.width + x) * 4;
      return [png.data[i], png.data[i + 1], png.data[i + 2]];
    },
  };
}

export function dataUris(html: string): string[] {
  return [...html.matchAll(/src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => m[1]);
}

/** Throws with a reason when the text is not well-formed XML; returns the element names in document order. */
export function checkXml(text: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  let i = 0;
  let roots = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  while (i < text.length) {
    const c = text[i];
    if (c === '<') {
      if (text.startsWith('<?', i)) {
        i = need(text.indexOf('?>', i), 'unterminated <?') + 2;
        continue;
      }
      if (text.startsWith('<!--', i)) {
        i = need(text.indexOf('-->', i), 'unterminated comment') + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        i = need(text.indexOf(']]>', i), 'unterminated CDATA') + 3;
        continue;
      }
      if (text.startsWith('<!DOCTYPE', i)) {
        i = need(text.indexOf('>', i), 'unterminated doctype') + 1;
        continue;
      }
      if (text[i + 1] === '/') {
        const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(i));
        if (!m) throw new Error(`bad end tag at ${i}`);
        const open = stack.pop();
        if (open !== m[1]) throw new Error(`</${m[1]}> closes <${open}> at ${i}`);
        i += m[0].length;
        continue;
      }
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (!m) throw new Error(`bad start tag at ${i}: ${text.slice(i, i + 60)}`);
      const attrNames = [...m[2].matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
      if (new Set(attrNames).size !== attrNames.length) throw new Error(`duplicate attribute in <${m[1]}> at ${i}`);
      for (const v of m[2].matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(v[1] ?? v[2], entity, i);
      if (stack.length === 0) roots++;
      names.push(m[1]);
      if (!m[3]) stack.push(m[1]);
      i += m[0].length;
      continue;
    }
    const next = text.indexOf('<', i);
    const chunk = text.slice(i, next < 0 ? text.length : next);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root at ${i}`);
    checkText(chunk, entity, i);
    i = next < 0 ? text.length : next;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
  return names;
}

function checkText(s: string, entity: RegExp, at: number): void {
  for (let j = s.indexOf('&'); j >= 0; j = s.indexOf('&', j + 1)) {
    if (!entity.test(s.slice(j))) throw new Error(`bad entity near ${at + j}: ${s.slice(j, j + 10)}`);
  }
}

function need(i: number, msg: string): number {
  if (i < 0) throw new Error(msg);
  return i;
}
