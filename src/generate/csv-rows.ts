/**
 * The generator's CSV read back into rows, and rows written as CSV again: the live mode (issue 7) inserts the
 * bulk path's own rows one business transaction at a time, so it reads them from the chunks the bulk load
 * COPYs. CSV as COPY reads it: an unquoted empty field is NULL, a quoted one is text ("" is an empty string).
 */

/** One row's fields in column order; null = SQL NULL. */
export type Row = (string | null)[];

const QUOTE = 34;
const COMMA = 44;
const NL = 10;
const CR = 13;

/** Every row of CSV text (no header), fields in order. */
export function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  let row: Row = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let value: string | null;
    if (text.charCodeAt(i) === QUOTE) {
      // quoted: up to the next lone quote, doubled quotes are one
      let out = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('internal: unterminated quoted CSV field');
        if (text.charCodeAt(q + 1) === QUOTE) {
          out += text.slice(from, q + 1);
          i = q + 2;
          from = i;
          continue;
        }
        out += text.slice(from, q);
        i = q + 1;
        break;
      }
      value = out;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === NL || c === CR) break;
        j++;
      }
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(value);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CR) i++;
    if (i < n && text.charCodeAt(i) !== NL) throw new Error(`internal: bad CSV at offset ${i}`);
    i++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** One row as a CSV line (with its newline), quoted where COPY needs it. */
export function csvLine(row: Row): string {
  let s = '';
  for (let k = 0; k < row.length; k++) {
    if (k > 0) s += ',';
    const v = row[k];
    if (v === null || v === undefined) continue;
    if (v === '' || /[",\r\n]/.test(v) || v === '\\.') s += `"${v.replace(/"/g, '""')}"`;
    else s += v;
  }
  return `${s}\n`;
}

/** epoch ms of a timestamp as the CSV writer writes it: `2026-11-27 13:05:09.12+00` (fraction trimmed) */
export function tsMs(text: string): number {
  const whole = Date.parse(`${text.slice(0, 10)}T${text.slice(11, 19)}Z`);
  let ms = 0;
  if (text.charCodeAt(19) === 46) {
    const frac = text.slice(20, text.indexOf('+', 20));
    ms = Number(frac.padEnd(3, '0').slice(0, 3));
  }
  if (Number.isNaN(whole) || Number.isNaN(ms)) throw new Error(`internal: bad timestamp ${text}`);
  return whole + ms;
}

/**
 * The lines of a chunk buffer split by whether their event_time (the second field, after the unquoted id) is
 * `at` (its CSV text): zero-copy runs of whole lines. Hour 0's chunks start with the population before the
 * window, which live mode loads by COPY, not as transactions.
 */
export function splitAt(buf: Buffer, at: Buffer): { at: Buffer[]; other: Buffer[] } {
  const out = { at: [] as Buffer[], other: [] as Buffer[] };
  let runStart = 0;
  let runAt: boolean | null = null;
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const comma = buf.indexOf(44, i);
    const isAt =
      comma >= 0 &&
      buf.compare(at, 0, at.length, comma + 1, comma + 1 + at.length) === 0 &&
      buf[comma + 1 + at.length] === 44;
    // the end of the line: quoted fields may hold newlines, so walk quotes
    let j = comma + 1;
    let quoted = false;
    for (; j < n; j++) {
      const c = buf[j];
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) break;
    }
    if (runAt === null) runAt = isAt;
    else if (isAt !== runAt) {
      (runAt ? out.at : out.other).push(buf.subarray(runStart, i));
      runStart = i;
      runAt = isAt;
    }
    i = j + 1;
  }
  if (runAt !== null && runStart < n) (runAt ? out.at : out.other).push(buf.subarray(runStart, n));
  return out;
}
