/**
 * The generator's CSV (Postgres's own text form: the canonical rows, pinned by the golden hashes) transcoded in
 * one pass into PostgreSQL's binary COPY format, so the server skips parsing timestamps, uuids, numerics and
 * integers (issue 9: psql loading the same rows binary took 30-40% less time). The same pass counts the rows and
 * feeds the row checksum (./row-hash.ts) with each CSV line.
 *
 * Binary COPY (PostgreSQL docs, "COPY", Binary Format): an 11-byte signature, int32 flags, int32 header
 * extension length; per tuple an int16 field count, then per field an int32 length (-1 for NULL) and the value
 * in the type's send format, big-endian; an int16 -1 trailer. Only the types of src/model/columns.ts occur.
 */
import type { ColumnType } from '../model/columns.js';
import type { RowHash } from './row-hash.js';

/** signature "PGCOPY\n\377\r\n\0", flags 0, no header extension */
export const BINARY_COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const TRAILER = Buffer.from([0xff, 0xff]);

const COMMA = 44;
const NL = 10;
const QUOTE = 34;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** the type of a column as the transcoder dispatches on it */
type Kind = number;
const K_UUID = 0;
const K_TS = 1;
const K_TEXT = 2;
const K_INT16 = 3;
const K_INT32 = 4;
const K_INT64 = 5;
const K_NUMERIC = 6;
const K_BOOL = 7;
const K_JSONB = 8;

const KIND: Record<ColumnType, Kind> = {
  uuid: K_UUID,
  timestamptz: K_TS,
  text: K_TEXT,
  smallint: K_INT16,
  integer: K_INT32,
  bigint: K_INT64,
  'numeric(12,2)': K_NUMERIC,
  'numeric(14,2)': K_NUMERIC,
  boolean: K_BOOL,
  jsonb: K_JSONB,
};

/** the byte of two ASCII hex digits (read as a little-endian uint16), -1 for anything else: one lookup a byte */
const HEX2 = new DataView(new ArrayBuffer(2 * 65536));
{
  const digit = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
  for (let i = 0; i < 65536; i++) {
    const hi = digit(i & 255);
    const lo = digit(i >>> 8);
    HEX2.setInt16(2 * i, hi < 0 || lo < 0 ? -1 : (hi << 4) | lo, true);
  }
}
const hex2 = (iv: DataView, q: number): number => HEX2.getInt16(2 * iv.getUint16(q, true), true);
/** where the 16 bytes of a uuid's text start, pairs of hex digits (8-4-4-4-12) */
const UUID_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** microseconds from 1970-01-01 to Postgres's epoch, 2000-01-01 */
const PG_EPOCH_US = 946_684_800_000_000;
const HOUR_US = 3_600_000_000;
const TWO32 = 4_294_967_296;
/** 10^(6 - fraction digits): a timestamp's fraction in microseconds */
const FRAC_SCALE = [1_000_000, 100_000, 10_000, 1000, 100, 10, 1];
const PREFIX_SLOTS = 16;
const POW10 = [1, 10, 100, 1000];

/** days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil) */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const digit = (iv: DataView, q: number): number => iv.getUint8(q) - ZERO;

/** microseconds since 2000-01-01 of the hour `YYYY-MM-DD HH:` at p */
function hourMicros(iv: DataView, p: number): number {
  const y = digit(iv, p) * 1000 + digit(iv, p + 1) * 100 + digit(iv, p + 2) * 10 + digit(iv, p + 3);
  const m = digit(iv, p + 5) * 10 + digit(iv, p + 6);
  const d = digit(iv, p + 8) * 10 + digit(iv, p + 9);
  const h = digit(iv, p + 11) * 10 + digit(iv, p + 12);
  const seps =
    iv.getUint8(p + 4) === MINUS &&
    iv.getUint8(p + 7) === MINUS &&
    iv.getUint8(p + 10) === 32 &&
    iv.getUint8(p + 13) === 58;
  if (!seps || !(y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23))
    throw bad('timestamptz', p);
  return daysFromCivil(y, m, d) * 86_400_000_000 + h * HOUR_US - PG_EPOCH_US;
}

function bad(what: string, at: number): Error {
  return new Error(`internal: the generated CSV does not parse as ${what} at byte ${at}`);
}

export class BinaryTranscoder {
  /** rows encoded */
  rows = 0;
  private readonly kinds: Kind[];
  /** bytes a row's fixed-size fields may take */
  private readonly reserve: number;
  private out: Buffer = Buffer.alloc(0);
  private ov: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  /** a line cut by a buffer boundary */
  private rest: Buffer | undefined;
  /** binary bytes per CSV byte of the last buffer */
  private growth = 1.25;
  /** the current row has a newline inside a quoted text */
  private splitLine = false;
  /** "YYYY-MM-DD HH:" of recent timestamps (4 words) and its microseconds since 2000-01-01 */
  private readonly slotKey = new Uint32Array(PREFIX_SLOTS * 4).fill(0xffffffff);
  private readonly slotUs = new Float64Array(PREFIX_SLOTS);
  /** base-10000 digits of a numeric being encoded */
  private readonly groups = new Int32Array(16);

  constructor(
    types: readonly ColumnType[],
    private readonly hash?: RowHash,
  ) {
    this.kinds = types.map((t) => KIND[t]);
    this.reserve = 2 + 24 * types.length;
  }

  /** Binary tuples of the whole CSV lines in `csv` (no header line); a cut last line waits for the next call. */
  push(csv: Buffer): Buffer {
    let data = csv;
    if (this.rest !== undefined) {
      data = Buffer.concat([this.rest, csv]);
      this.rest = undefined;
    }
    // sized by the last buffer's growth (integers and NULLs grow, uuids and timestamps shrink), and never
    // below the input: a text field asks for room for the rest of the input (see text())
    const size = Math.ceil(data.length * Math.max(1, this.growth)) + 2 * this.reserve + 4096;
    this.out = Buffer.allocUnsafe(Math.max(1 << 16, size));
    this.ov = new DataView(this.out.buffer, this.out.byteOffset, this.out.length);
    this.pos = 0;
    const iv = new DataView(data.buffer, data.byteOffset, data.length);
    const n = data.length;
    // rows end at the last newline (one inside a quoted text is part of its row, found by row())
    const last = data.lastIndexOf(NL) + 1;
    let p = 0;
    while (p < last) {
      this.splitLine = false;
      let end: number;
      try {
        end = this.row(iv, p, n);
      } catch (e) {
        // a fixed-size field running past the end: a row cut by the buffer boundary
        if (!(e instanceof RangeError)) throw e;
        end = -1;
      }
      if (end < 0) break;
      if (this.hash) {
        if (this.splitLine) this.hashLines(data, iv, p, end);
        else this.hash.line(iv, p, end);
      }
      p = end + 1;
    }
    if (p < n) this.rest = Buffer.from(data.subarray(p));
    if (data.length > 0) this.growth = Math.max(0.5, this.pos / data.length);
    return this.out.subarray(0, this.pos);
  }

  /** What is left (an error if a line was cut) and the trailer. */
  end(): Buffer {
    if (this.rest !== undefined) throw bad('a whole line (the last one has no newline)', 0);
    return TRAILER;
  }

  private hashLines(data: Buffer, iv: DataView, start: number, end: number): void {
    const h = this.hash;
    if (h === undefined) return;
    // COPY TO gives a newline inside a quoted text back as it is: the checksum is of lines, not rows
    for (let nl = data.indexOf(NL, start); nl !== -1 && nl < end; nl = data.indexOf(NL, start)) {
      h.line(iv, start, nl);
      start = nl + 1;
    }
    h.line(iv, start, end);
  }

  private need(n: number): void {
    if (this.pos + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + n));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
    this.ov = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
  }

  /** One row from p: the position of its newline, or -1 when the row is cut at `n`. */
  private row(iv: DataView, p: number, n: number): number {
    const kinds = this.kinds;
    const count = kinds.length;
    const rowAt = this.pos;
    // room for every fixed-size field (at most 24 bytes each); texts ask for their bytes and this again
    this.need(this.reserve);
    this.ov.setInt16(this.pos, count);
    this.pos += 2;
    for (let c = 0; c < count; c++) {
      if (p >= n) {
        this.pos = rowAt;
        return -1;
      }
      const k = kinds[c] as Kind;
      const first = iv.getUint8(p);
      if (first === COMMA || first === NL) {
        // an empty unquoted field: NULL
        this.need(4);
        this.ov.setInt32(this.pos, -1);
        this.pos += 4;
      } else if (k === K_TEXT || k === K_JSONB) p = this.text(iv, p, n, k === K_JSONB);
      else if (k === K_TS) p = this.ts(iv, p);
      else if (k === K_UUID) p = this.uuid(iv, p);
      else if (k === K_NUMERIC) p = this.numeric(iv, p, n);
      else if (k === K_BOOL) {
        this.need(5);
        this.ov.setInt32(this.pos, 1);
        this.ov.setUint8(this.pos + 4, first === 116 ? 1 : 0);
        if (first !== 116 && first !== 102) throw bad('boolean', p);
        this.pos += 5;
        p++;
      } else p = this.int(iv, p, n, k);
      if (p >= n) {
        this.pos = rowAt;
        return -1;
      }
      const sep = iv.getUint8(p);
      if (sep !== (c === count - 1 ? NL : COMMA)) throw bad(`the end of field ${c + 1} of ${count}`, p);
      p++;
    }
    this.rows++;
    return p - 1;
  }

  /** text or jsonb, quoted or not; returns the position after the field */
  private text(iv: DataView, p: number, n: number, jsonb: boolean): number {
    // the field's bytes are at most what is left of the input
    this.need(n - p + this.reserve);
    const ov = this.ov;
    const at = this.pos;
    let o = at + (jsonb ? 5 : 4);
    if (jsonb) ov.setUint8(at + 4, 1);
    let e = p;
    if (iv.getUint8(p) !== QUOTE) {
      // 4 bytes at a time while none is a comma or a newline (SWAR: a zero byte of w ^ 0x2c2c2c2c is a comma)
      for (; e + 4 <= n; e += 4, o += 4) {
        const w = iv.getUint32(e, true);
        const x = w ^ 0x2c2c2c2c;
        const y = w ^ 0x0a0a0a0a;
        if (((x - 0x01010101) & ~x & 0x80808080) | ((y - 0x01010101) & ~y & 0x80808080)) break;
        ov.setUint32(o, w, true);
      }
      for (; e < n; e++, o++) {
        const b = iv.getUint8(e);
        if (b === COMMA || b === NL) break;
        ov.setUint8(o, b);
      }
    } else {
      // quoted: "" stands for one quote
      e++;
      for (;;) {
        for (; e + 4 <= n; e += 4, o += 4) {
          const w = iv.getUint32(e, true);
          const x = w ^ 0x22222222;
          const y = w ^ 0x0a0a0a0a;
          if (((x - 0x01010101) & ~x & 0x80808080) | ((y - 0x01010101) & ~y & 0x80808080)) break;
          ov.setUint32(o, w, true);
        }
        if (e >= n) return n;
        const b = iv.getUint8(e);
        if (b === QUOTE) {
          if (e + 1 < n && iv.getUint8(e + 1) === QUOTE) {
            ov.setUint8(o++, QUOTE);
            e += 2;
            continue;
          }
          e++;
          break;
        }
        if (b === NL) this.splitLine = true;
        ov.setUint8(o++, b);
        e++;
      }
    }
    ov.setInt32(at, o - at - 4);
    this.pos = o;
    return e;
  }

  private uuid(iv: DataView, p: number): number {
    const ov = this.ov;
    const o = this.pos;
    ov.setInt32(o, 16);
    for (let i = 0; i < 16; i += 4) {
      const a = hex2(iv, p + (UUID_AT[i] as number));
      const b = hex2(iv, p + (UUID_AT[i + 1] as number));
      const c = hex2(iv, p + (UUID_AT[i + 2] as number));
      const d = hex2(iv, p + (UUID_AT[i + 3] as number));
      if ((a | b | c | d) < 0) throw bad('uuid', p);
      ov.setUint32(o + 4 + i, ((a << 24) | (b << 16) | (c << 8) | d) >>> 0);
    }
    this.pos = o + 20;
    return p + 36;
  }

  /** `YYYY-MM-DD HH:MM:SS[.ffffff]+00` -> int64 microseconds since 2000-01-01 UTC */
  private ts(iv: DataView, p: number): number {
    const w0 = iv.getUint32(p, true);
    const w1 = iv.getUint32(p + 4, true);
    const w2 = iv.getUint32(p + 8, true);
    const w3 = iv.getUint16(p + 12, true);
    const slot = ((w2 >>> 16) ^ (w2 >>> 24) ^ w3 ^ (w3 >>> 8)) & (PREFIX_SLOTS - 1);
    const keys = this.slotKey;
    const k = slot * 4;
    let hourUs: number;
    if (keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3) {
      hourUs = this.slotUs[slot] as number;
    } else {
      hourUs = hourMicros(iv, p);
      keys[k] = w0;
      keys[k + 1] = w1;
      keys[k + 2] = w2;
      keys[k + 3] = w3;
      this.slotUs[slot] = hourUs;
    }
    const mm = (iv.getUint8(p + 14) - ZERO) * 10 + iv.getUint8(p + 15) - ZERO;
    const ss = (iv.getUint8(p + 17) - ZERO) * 10 + iv.getUint8(p + 18) - ZERO;
    let q = p + 19;
    let frac = 0;
    if (iv.getUint8(q) === DOT) {
      q++;
      let f = 0;
      let digits = 0;
      for (let b = iv.getUint8(q) - ZERO; b >= 0 && b <= 9; b = iv.getUint8(q) - ZERO) {
        f = f * 10 + b;
        digits++;
        q++;
      }
      if (digits === 0 || digits > 6) throw bad('timestamptz', p);
      frac = f * (FRAC_SCALE[digits] as number);
    }
    // the generator writes UTC; anything else is a bug, not a zone to convert
    if (iv.getUint8(q) !== 43 || iv.getUint8(q + 1) !== ZERO || iv.getUint8(q + 2) !== ZERO)
      throw bad('timestamptz in UTC (+00)', p);
    if (mm > 59 || ss > 59) throw bad('timestamptz', p);
    this.int64(hourUs + (mm * 60 + ss) * 1_000_000 + frac);
    return q + 3;
  }

  private int64(v: number): void {
    const ov = this.ov;
    const o = this.pos;
    const hi = Math.floor(v / TWO32);
    ov.setInt32(o, 8);
    ov.setInt32(o + 4, hi);
    ov.setUint32(o + 8, v - hi * TWO32);
    this.pos = o + 12;
  }

  private int(iv: DataView, p: number, n: number, k: Kind): number {
    const neg = iv.getUint8(p) === MINUS;
    let q = neg ? p + 1 : p;
    let v = 0;
    const start = q;
    for (; q < n; q++) {
      const b = iv.getUint8(q) - ZERO;
      if (b < 0 || b > 9) break;
      v = v * 10 + b;
    }
    if (q === start || q - start > 19) throw bad('an integer', p);
    if (neg) v = -v;
    const ov = this.ov;
    const o = this.pos;
    if (k === K_INT16) {
      ov.setInt32(o, 2);
      ov.setInt16(o + 4, v);
      this.pos = o + 6;
    } else if (k === K_INT32) {
      ov.setInt32(o, 4);
      ov.setInt32(o + 4, v);
      this.pos = o + 8;
    } else {
      if (!Number.isSafeInteger(v)) throw bad('a bigint below 2^53', p);
      this.int64(v);
    }
    return q;
  }

  /**
   * `-?digits[.digits]` -> numeric's send format: int16 ndigits, int16 weight, uint16 sign, uint16 dscale,
   * then base-10000 digits (groups aligned on the decimal point, leading and trailing zero groups dropped;
   * weight: the power of 10000 of the first group). dscale: the digits after the point, as written.
   */
  private numeric(iv: DataView, p: number, n: number): number {
    const neg = iv.getUint8(p) === MINUS;
    let q = neg ? p + 1 : p;
    let whole = 0;
    let wholeDigits = 0;
    for (; q < n; q++) {
      const b = iv.getUint8(q) - ZERO;
      if (b < 0 || b > 9) break;
      whole = whole * 10 + b;
      wholeDigits++;
    }
    let frac = 0;
    let scale = 0;
    if (q < n && iv.getUint8(q) === DOT) {
      for (q++; q < n; q++) {
        const b = iv.getUint8(q) - ZERO;
        if (b < 0 || b > 9) break;
        frac = frac * 10 + b;
        scale++;
      }
    }
    if (wholeDigits === 0 || wholeDigits > 15 || scale > 8) throw bad('a numeric', p);
    const g = this.groups;
    // integer part: groups of 4 digits from the point leftwards (written right to left, then moved)
    let ng = 0;
    for (let w = whole; w > 0; w = Math.floor(w / 10000)) g[ng++] = w % 10000;
    for (let i = 0, j = ng - 1; i < j; i++, j--) {
      const t = g[i] as number;
      g[i] = g[j] as number;
      g[j] = t;
    }
    let weight = ng - 1;
    // fraction: padded on the right to whole groups (at most 2 groups: scale <= 8)
    const fracGroups = (scale + 3) >> 2;
    if (fracGroups > 0) {
      let f = frac * (POW10[fracGroups * 4 - scale] as number);
      if (fracGroups === 2) {
        g[ng++] = Math.floor(f / 10000);
        f %= 10000;
      }
      g[ng++] = f;
    }
    let first = 0;
    while (first < ng && g[first] === 0) {
      first++;
      weight--;
    }
    while (ng > first && g[ng - 1] === 0) ng--;
    const digits = ng - first;
    this.need(12 + 2 * digits);
    const ov = this.ov;
    let o = this.pos;
    ov.setInt32(o, 8 + 2 * digits);
    ov.setInt16(o + 4, digits);
    ov.setInt16(o + 6, digits === 0 ? 0 : weight);
    ov.setUint16(o + 8, neg && digits > 0 ? 0x4000 : 0);
    ov.setUint16(o + 10, scale);
    o += 12;
    for (let i = first; i < ng; i++, o += 2) ov.setInt16(o, g[i] as number);
    this.pos = o;
    return q;
  }
}
