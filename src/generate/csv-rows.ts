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

/**
 * One row as the generator wrote it: its CSV line, newline included, a view of the chunk's buffer (the live mode
 * keeps rows so, never as strings: src/live/wire-txn.ts encodes the line's bytes for the wire).
 */
export type CsvLine = Uint8Array;

/** Every line of CSV text (no header) as views of `buf`, newline included; newlines in quoted texts are inside. */
export function csvLines(buf: Uint8Array): CsvLine[] {
  const out: CsvLine[] = [];
  const n = buf.length;
  const dv = new DataView(buf.buffer, buf.byteOffset, n);
  let start = 0;
  let quoted = false;
  let i = 0;
  while (i < n) {
    // 4 bytes at a time while none is a quote or a newline (a zero byte of w ^ 0x22222222 is a quote)
    for (; i + 4 <= n; i += 4) {
      const w = dv.getUint32(i, true);
      const x = w ^ 0x22222222;
      const y = w ^ 0x0a0a0a0a;
      if (((x - 0x01010101) & ~x & 0x80808080) | ((y - 0x01010101) & ~y & 0x80808080)) break;
    }
    // then byte by byte up to and past the first of them
    for (const end = Math.min(n, i + 4); i < end; i++) {
      const c = buf[i];
      if (c === QUOTE) quoted = !quoted;
      else if (c === NL && !quoted) {
        out.push(buf.subarray(start, i + 1));
        start = i + 1;
      }
    }
  }
  if (start < n) throw new Error('internal: CSV text ends inside a line');
  return out;
}

/** The fields of one line (csvLines) as text; null = SQL NULL. */
export function lineValues(line: CsvLine): Row {
  const rows = parseCsv(Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8'));
  const row = rows[0];
  if (rows.length !== 1 || !row) throw new Error('internal: not one CSV line');
  return row;
}

/** field k (0-based) of a line as text, null for NULL: a walk over the fields before it */
export function lineField(line: CsvLine, k: number): string | null {
  let i = 0;
  const n = line.length;
  for (let f = 0; f < k; f++) {
    let quoted = false;
    for (; i < n; i++) {
      const c = line[i];
      if (c === QUOTE) quoted = !quoted;
      else if (!quoted && (c === COMMA || c === NL)) break;
    }
    if (line[i] !== COMMA) throw new Error(`internal: a CSV line without field ${k + 1}`);
    i++;
  }
  if (line[i] !== QUOTE) {
    let j = i;
    while (j < n && line[j] !== COMMA && line[j] !== NL) j++;
    return j === i ? null : Buffer.from(line.buffer, line.byteOffset + i, j - i).toString('utf8');
  }
  let j = i + 1;
  for (; j < n; j++) if (line[j] === QUOTE && line[++j] !== QUOTE) break;
  return parseCsv(Buffer.from(line.buffer, line.byteOffset + i, j - i).toString('utf8'))[0]?.[0] ?? '';
}

const digits = (line: CsvLine, i: number, n: number): number => {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = (line[k] ?? 0) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
};

/**
 * epoch ms of the timestamp at byte i of a line, as the CSV writer writes it (`2026-11-27 13:05:09.12+00`);
 * no string made
 */
export function lineTsMs(line: CsvLine, i: number): number {
  let ms = Date.UTC(
    digits(line, i, 4),
    digits(line, i + 5, 2) - 1,
    digits(line, i + 8, 2),
    digits(line, i + 11, 2),
    digits(line, i + 14, 2),
    digits(line, i + 17, 2),
  );
  let j = i + 19;
  if (line[j] === 46) {
    let f = 0;
    let scale = 100;
    for (j++; (line[j] ?? 0) >= 48 && (line[j] ?? 0) <= 57; j++, scale /= 10)
      f += ((line[j] ?? 0) - 48) * scale;
    ms += Math.round(f);
  }
  if (Number.isNaN(ms) || line[j] !== 43)
    throw new Error(`internal: bad timestamp at byte ${i} of a CSV line`);
  return ms;
}

/** the first field of a line, unquoted ASCII (an id), as text */
export function lineId(line: CsvLine, length: number): string {
  if (line[length] !== COMMA)
    throw new Error(`internal: a CSV line whose first field is not ${length} bytes`);
  return Buffer.from(line.buffer, line.byteOffset, length).toString('latin1');
}
