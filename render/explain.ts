// An explanation (an equation worked out with a session's numbers) as a MIME bundle: text/plain that reads
// in a terminal and a diff, and HTML of plain tables whose marked cells are <strong> (never only a colour),
// with the picture as a PNG <img>. The numbers arrive computed (session/exec/explain*.ts); nothing here computes.
import type { MimeBundle } from './mime.js';
import { explainPicture, type PicturePanel } from './explain-picture.js';
import { encoded, escapeHtml, figure, imgTag } from './html.js';

export interface SumTerm {
  /** What the term is, e.g. `w[2,0,1,1]·x[0,3,4]` or `channel 0`. */
  label: string;
  /** The factors when it is a product (shown as a × b). */
  factors?: number[];
  value: number;
}

export type ExplainBlock =
  | { kind: 'text'; text: string }
  /** A numeric grid; null cells are padding, marked cells are highlighted (window, winner, unit). */
  | { kind: 'grid'; title: string; rows: (number | null)[][]; marked?: [number, number][] }
  /** lhs = Σ terms = total; zeros counts terms left out because they are exactly 0. */
  | { kind: 'sum'; title: string; lhs: string; terms: SumTerm[]; total: number; zeros?: number; zeroWhy?: string }
  | { kind: 'table'; title: string; header: string[]; rows: string[][] }
  /** The worked-out value beside the runtime's, and how far apart they are. */
  | { kind: 'check'; what: string; worked: number; runtime: number; workedIn: string; runtimeIn: string }
  | { kind: 'picture'; caption: string; panels: PicturePanel[] };

export interface Explanation {
  title: string;
  /** The general equation(s), with the chapter's numbers. */
  equation: string[];
  blocks: ExplainBlock[];
}

/** Six significant digits: what every term and grid cell shows. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const s = Number(v.toPrecision(6)).toString();
  return s;
}

/** Ten significant digits: the totals that are compared. */
export function full(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  // Past 1e15 a plain rendering would print rounded digits as if they were exact.
  return Math.abs(v) >= 1e15 ? v.toExponential(9) : Number(v.toPrecision(10)).toString();
}

function diffNote(worked: number, runtime: number, workedIn: string, runtimeIn: string): string {
  const d = Math.abs(worked - runtime);
  if (d === 0) return 'equal';
  const rel = d / Math.max(Math.abs(worked), Math.abs(runtime), 1e-30);
  const why =
    runtimeIn.startsWith('float32') && !workedIn.startsWith('float32')
      ? ` (the runtime rounds to float32, about 7 significant digits: a relative ${rel.toExponential(1)})`
      : '';
  return `they differ by ${d.toExponential(2)}${why}`;
}

function gridText(rows: (number | null)[][], marked: [number, number][] = []): string[] {
  const isMarked = (i: number, j: number) => marked.some(([a, b]) => a === i && b === j);
  const cells = rows.map((r, i) => r.map((v, j) => (v === null ? 'pad' : num(v)) + (isMarked(i, j) ? '*' : '')));
  const width = Math.max(...cells.flat().map((c) => c.length), 1);
  return cells.map((r) => '  ' + r.map((c) => c.padStart(width)).join(' '));
}

function termText(t: SumTerm): string {
  return t.factors ? `${t.factors.map(num).join(' × ')} = ${num(t.value)}` : num(t.value);
}

function blockText(b: ExplainBlock): string[] {
  switch (b.kind) {
    case 'text':
      return [b.text];
    case 'grid':
      return [
        `${b.title}${b.marked?.length ? ' (* marks ' + (b.marked.length === 1 ? 'the cell' : 'the cells') + ')' : ''}:`,
        ...gridText(b.rows, b.marked),
      ];
    case 'sum': {
      const w = Math.max(...b.terms.map((t) => t.label.length), 1);
      const lines = [`${b.title}:`, ...b.terms.map((t, i) => `  ${i === 0 ? ' ' : '+'} ${t.label.padEnd(w)}  ${termText(t)}`)];
      if (b.zeros) lines.push(`    (${b.zeros} more term${b.zeros === 1 ? '' : 's'} equal to 0${b.zeroWhy ? ': ' + b.zeroWhy : ''})`);
      lines.push(`  = ${b.lhs} = ${full(b.total)}${b.terms.length > 1 ? ` (the sum of the ${b.terms.length} terms, in float64)` : ''}`);
      return lines;
    }
    case 'table': {
      const widths = b.header.map((h, i) => Math.max(h.length, ...b.rows.map((r) => (r[i] ?? '').length)));
      const line = (cells: string[]) =>
        '  ' +
        cells
          .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
          .join('  ')
          .trimEnd();
      return [`${b.title}:`, line(b.header), '  ' + widths.map((x) => '-'.repeat(x)).join('  '), ...b.rows.map(line)];
    }
    case 'check':
      return [
        `check, ${b.what}: worked out ${full(b.worked)} (${b.workedIn}), runtime ${full(b.runtime)} (${b.runtimeIn}); ${diffNote(b.worked, b.runtime, b.workedIn, b.runtimeIn)}`,
      ];
    case 'picture':
      return [`[picture: ${b.caption}]`];
  }
}

export function explanationText(e: Explanation): string {
  const out = [e.title, ...e.equation.map((q) => `  ${q}`), ''];
  for (const b of e.blocks) out.push(...blockText(b), '');
  return out.join('\n').trimEnd() + '\n';
}

const td = (s: string, head = false) => (head ? `<th scope="col">${escapeHtml(s)}</th>` : `<td>${escapeHtml(s)}</td>`);
const TABLE = '<table style="border-collapse:collapse;font:12px monospace;margin:4px 0" border="1" cellpadding="3">';

function gridHtml(b: Extract<ExplainBlock, { kind: 'grid' }>): string {
  const isMarked = (i: number, j: number) => b.marked?.some(([a, c]) => a === i && c === j) ?? false;
  const body = b.rows
    .map(
      (r, i) =>
        `<tr>${r.map((v, j) => (isMarked(i, j) ? `<td style="background:#fde68a"><strong>${escapeHtml(v === null ? 'pad' : num(v))}</strong></td>` : v === null ? '<td style="color:#888"><em>pad</em></td>' : td(num(v)))).join('')}</tr>`,
    )
    .join('');
  const note = b.marked?.length ? ' (bold: the marked cell' + (b.marked.length > 1 ? 's' : '') + ')' : '';
  // Grids sit side by side (window, kernel, products), each titled above rather than by a narrow caption.
  return `<div style="display:inline-block;vertical-align:top;margin:4px 16px 4px 0"><div style="font:12px sans-serif">${escapeHtml(b.title + note)}</div>${TABLE}${body}</table></div>`;
}

function blockHtml(b: ExplainBlock): string {
  switch (b.kind) {
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'grid':
      return gridHtml(b);
    case 'sum': {
      const rows = b.terms
        .map(
          (t, i) =>
            `<tr>${td(i === 0 ? '' : '+')}${td(t.label)}${td(t.factors ? t.factors.map(num).join(' × ') : '')}${td(num(t.value))}</tr>`,
        )
        .join('');
      const zeros = b.zeros
        ? `<tr><td></td><td colspan="3"><em>${escapeHtml(`${b.zeros} more terms equal to 0${b.zeroWhy ? ': ' + b.zeroWhy : ''}`)}</em></td></tr>`
        : '';
      const total = `<tr><td>=</td><td colspan="2"><strong>${escapeHtml(b.lhs)}</strong></td><td><strong>${escapeHtml(full(b.total))}</strong></td></tr>`;
      return `${TABLE}<caption style="text-align:left">${escapeHtml(b.title)}</caption><tr>${td('', true)}${td('term', true)}${td('factors', true)}${td('value', true)}</tr>${rows}${zeros}${total}</table>`;
    }
    case 'table':
      return `${TABLE}<caption style="text-align:left">${escapeHtml(b.title)}</caption><tr>${b.header.map((h) => td(h, true)).join('')}</tr>${b.rows.map((r) => `<tr>${r.map((c) => td(c)).join('')}</tr>`).join('')}</table>`;
    case 'check':
      // A one-row table: the comparison is data, and a table survives every front end's sanitiser.
      return (
        `${TABLE}<caption style="text-align:left"><strong>Check, ${escapeHtml(b.what)}</strong></caption>` +
        `<tr>${td(`worked out (${b.workedIn})`, true)}${td(`runtime (${b.runtimeIn})`, true)}${td('agreement', true)}</tr>` +
        `<tr><td><code>${escapeHtml(full(b.worked))}</code></td><td><code>${escapeHtml(full(b.runtime))}</code></td>${td(diffNote(b.worked, b.runtime, b.workedIn, b.runtimeIn))}</tr></table>`
      );
    case 'picture':
      return '';
  }
}

/** The bundle: text/plain always; text/html with the picture (if any) as a PNG, which also goes in image/png. */
export function explanationBundle(e: Explanation): MimeBundle {
  const pic = e.blocks.find((b): b is Extract<ExplainBlock, { kind: 'picture' }> => b.kind === 'picture');
  const parts = [`<h4>${escapeHtml(e.title)}</h4>`, `<pre style="white-space:pre-wrap">${escapeHtml(e.equation.join('\n'))}</pre>`];
  const bundle: MimeBundle = { 'text/plain': explanationText(e) };
  if (pic) {
    const { raster, base64 } = encoded(explainPicture(pic.panels));
    parts.push(figure(imgTag(base64, raster, pic.caption), pic.caption));
    bundle['image/png'] = base64;
  }
  for (const b of e.blocks) parts.push(blockHtml(b));
  bundle['text/html'] = `<div class="convbook-explain">${parts.join('\n')}</div>`;
  return bundle;
}
