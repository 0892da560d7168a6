/**
 * The generator's CSV (Postgres's own text form: the canonical rows, pinned by the golden hashes) transcoded in
 * one pass into PostgreSQL's binary COPY format, so the server skips parsing timestamps, uuids, numerics and
 * integers (issue 9: psql loading the same rows binary took 30-40% less time). The same pass counts the rows and
 * feeds the row checksum (./row-hash.ts) with each tuple it writes.
 *
 * Binary COPY (PostgreSQL docs, "COPY", Binary Format): an 11-byte signature, int32 flags, int32 header
 * extension length; per tuple an int16 field count, then per field an int32 length (-1 for NULL) and the value
 * in the type's send format, big-endian; an int16 -1 trailer. Only the types of src/model/columns.ts occur.
 */

import {
  K_BOOL,
  K_JSONB,
  K_NUMERIC,
  K_TEXT,
  K_TS,
  K_UUID,
  KIND,
  type Kind,
} from '../generate/binary-writer.js';
import type { ColumnType } from '../model/columns.js';
import { BINARY_COPY_HEADER, FieldWriter } from './binary-fields.js';
import { RowHash } from './row-hash.js';
import { bad, COMMA, DOT, FRAC_SCALE, hourMicros, NL, QUOTE, ZERO } from './text-forms.js';

export { BINARY_COPY_HEADER };

/** the end of a binary COPY stream: a tuple of -1 fields */
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);
/** hour prefixes of timestamps kept (a power of two) */
const PREFIX_SLOTS = 16;

export class BinaryTranscoder extends FieldWriter {
  /** rows encoded */
  rows = 0;
  private readonly kinds: Kind[];
  /** bytes a row's fixed-size fields may take */
  private readonly reserve: number;
  /** a line cut by a buffer boundary */
  private rest: Buffer | undefined;
  /** binary bytes per CSV byte of the last buffer */
  private growth = 1.25;
  /** "YYYY-MM-DD HH:" of recent timestamps (4 words) and its microseconds since 2000-01-01 */
  private readonly slotKey = new Uint32Array(PREFIX_SLOTS * 4).fill(0xffffffff);
  private readonly slotUs = new Float64Array(PREFIX_SLOTS);
  /** the memory of the last line fields() read, and a view of all of it */
  private lineBuffer: ArrayBufferLike | undefined;
  private lineView: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    types: readonly ColumnType[],
    private readonly hash?: RowHash,
    /** the memory each push() encodes into (./copy-buffers.ts); fresh by default */
    private readonly alloc: (size: number) => Buffer = Buffer.allocUnsafe,
  ) {
    super();
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
    this.out = this.alloc(Math.max(1 << 16, size));
    this.ov = new DataView(this.out.buffer, this.out.byteOffset, this.out.length);
    this.pos = 0;
    const iv = new DataView(data.buffer, data.byteOffset, data.length);
    const n = data.length;
    // rows end at the last newline (one inside a quoted text is part of its row, found by row())
    const last = data.lastIndexOf(NL) + 1;
    let p = 0;
    while (p < last) {
      const at = this.pos;
      let end: number;
      try {
        end = this.row(iv, p, n);
      } catch (e) {
        // a fixed-size field running past the end: a row cut by the buffer boundary (after a newline inside a
        // quoted text), its fields written so far dropped
        if (!(e instanceof RangeError)) throw e;
        this.pos = at;
        end = -1;
      }
      if (end < 0) break;
      this.hash?.tuple(this.ov, at, this.pos);
      p = end + 1;
    }
    if (p < n) this.rest = Buffer.from(data.subarray(p));
    if (data.length > 0) this.growth = Math.max(0.5, this.pos / data.length);
    return this.out.subarray(0, this.pos);
  }

  /**
   * One row's fields without the tuple's field count: what a Bind of the row's values takes, all in binary
   * format (the live mode's INSERTs, src/live/wire-txn.ts). `line` is one whole CSV line, newline included; the
   * result is a view of a scratch buffer, valid until the next call.
   */
  fields(line: Uint8Array): Uint8Array {
    if (line.buffer !== this.lineBuffer) {
      this.lineBuffer = line.buffer;
      this.lineView = new DataView(line.buffer);
    }
    const room = 2 * line.length + 2 * this.reserve;
    if (this.out.length < room) {
      this.out = Buffer.allocUnsafe(Math.max(room, 1 << 12));
      this.ov = new DataView(this.out.buffer, this.out.byteOffset, this.out.length);
    }
    this.pos = 0;
    const start = line.byteOffset;
    const end = start + line.length;
    if (this.row(this.lineView, start, end) !== end - 1) throw bad('one whole line', start);
    return this.out.subarray(2, this.pos);
  }

  /** What is left (an error if a line was cut) and the trailer. */
  end(): Buffer {
    if (this.rest !== undefined) throw bad('a whole line (the last one has no newline)', 0);
    return BINARY_TRAILER;
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
        ov.setUint8(o++, b);
        e++;
      }
    }
    ov.setInt32(at, o - at - 4);
    this.pos = o;
    return e;
  }

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
}

/**
 * The row checksum (./row-hash.ts) of the generator's CSV (no header line), buffer by buffer, for a table of
 * these column types: its rows transcoded to the binary tuples a binary load sends and `COPY ... TO (FORMAT
 * binary)` returns, into one scratch buffer (the tuples are only hashed).
 */
export class CsvRowHash {
  private readonly hash = new RowHash();
  private scratch = Buffer.alloc(0);
  private readonly tx: BinaryTranscoder;

  constructor(types: readonly ColumnType[]) {
    this.tx = new BinaryTranscoder(types, this.hash, (size) => {
      if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size);
      return this.scratch;
    });
  }

  /** rows hashed so far */
  get rows(): number {
    return this.hash.rows;
  }

  push(csv: Buffer): void {
    this.tx.push(csv);
  }

  /** the checksum of every row pushed (an error if the last line was cut) */
  digest(): string {
    this.tx.end();
    return this.hash.digest();
  }
}

/** The row checksum and row count of the generator's CSV (no header line): see CsvRowHash. */
export function csvRowHash(
  csv: Iterable<Buffer>,
  types: readonly ColumnType[],
): { rows: number; checksum: string } {
  const h = new CsvRowHash(types);
  for (const b of csv) h.push(b);
  const checksum = h.digest();
  return { rows: h.rows, checksum };
}
