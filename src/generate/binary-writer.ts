/**
 * The generator's rows straight in PostgreSQL's binary COPY format (issue 9: the load's client encodes into the
 * wire format, no CSV written and parsed again). A CsvWriter whose typed fields (uuid, timestamptz, integers,
 * numeric, boolean) are written in their send forms when the column is of that type; text and jsonb columns
 * receive the same CSV text the CSV writer writes, made binary when the field ends (its quotes removed, its
 * length written), except pooled fields (field()) and fields made of pieces (piece()), whose text is written
 * as it is. So every row writer in this folder writes both formats without knowing which, and the
 * tuples are byte for byte what src/load/binary-copy.ts makes of the CSV (test/unit/binary-writer.test.ts).
 *
 * Per tuple: int16 field count, then per field an int32 length (-1: NULL) and the value, big-endian.
 */
import type { ColumnType } from '../model/columns.js';
import { CsvWriter, type FixedField, pooledText, type TextPiece } from './csv-writer.js';

/** the type of a column as the binary writers dispatch on it (this one and src/load/binary-copy.ts) */
export type Kind = number;
export const K_UUID = 0;
export const K_TS = 1;
export const K_TEXT = 2;
export const K_INT16 = 3;
export const K_INT32 = 4;
export const K_INT64 = 5;
export const K_NUMERIC = 6;
export const K_BOOL = 7;
export const K_JSONB = 8;
export const KIND: Record<ColumnType, Kind> = {
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

/** nothing written yet for the current column */
const FRESH = 0;
/** the current column's field is whole (a typed value) */
const DONE = 1;
/** the current column is a text or jsonb field receiving CSV text (its length written when it ends) */
const TEXT = 2;

const QUOTE = 34;
const COMMA = 44;
/** milliseconds from 1970-01-01 to Postgres's epoch, 2000-01-01 */
const PG_EPOCH_MS = 946_684_800_000;
const TWO32 = 4_294_967_296;

/** An int64 field (bigint, timestamptz's microseconds) at p: its length 8 and the value; returns the end. */
export function putInt64(dv: DataView, p: number, v: number): number {
  const hi = Math.floor(v / TWO32);
  dv.setInt32(p, 8);
  dv.setInt32(p + 4, hi);
  dv.setUint32(p + 8, v - hi * TWO32);
  return p + 12;
}

/**
 * An integer field of kind K_INT16, K_INT32 or K_INT64 at p: its length and the value; returns the end, or -1
 * when `kind` is not an integer one (nothing written).
 */
export function putInteger(dv: DataView, p: number, kind: Kind, v: number): number {
  if (kind === K_INT32) {
    dv.setInt32(p, 4);
    dv.setInt32(p + 4, v);
    return p + 8;
  }
  if (kind === K_INT64) return putInt64(dv, p, v);
  if (kind === K_INT16) {
    dv.setInt32(p, 2);
    dv.setInt16(p + 4, v);
    return p + 6;
  }
  return -1;
}

/** What fixed() of a FixedField wrote, once: replayed as bytes while it starts from the same column and state. */
interface Replay {
  col: number;
  st: number;
  counted: boolean;
  bytes: Uint8Array;
  endCol: number;
  endSt: number;
  /** TEXT at the end: where the open field's length goes, from the start of `bytes` */
  lenAt: number;
  /** TEXT at the end: the open field started with a piece's text */
  plain: boolean;
}

export class BinaryWriter extends CsvWriter {
  private readonly kinds: Uint8Array;
  private col = 0;
  private st = FRESH;
  /** the row's field count is written */
  private counted = false;
  /** TEXT: where the field's int32 length goes */
  private lenPos = 0;
  /** TEXT: the field started with a piece's text (piece()), not with CSV: no quotes to undo when it ends */
  private plain = false;
  private readonly replays = new WeakMap<FixedField, Replay>();

  constructor(
    types: readonly ColumnType[],
    size?: number,
    reuse = false,
    alloc: (size: number) => Buffer = Buffer.allocUnsafe,
  ) {
    super(size, reuse, alloc);
    this.kinds = Uint8Array.from(types, (t) => KIND[t]);
  }

  private wrong(what: string): Error {
    return new Error(
      `internal: binary row writer got ${what} in column ${this.col + 1} of ${this.kinds.length}`,
    );
  }

  /** The current column's kind, for a typed value written whole now (undefined: write it as text). */
  private fresh(): number | undefined {
    if (this.st !== FRESH) {
      if (this.st === DONE) throw this.wrong('a second value');
      return undefined;
    }
    if (!this.counted) {
      this.dv.setInt16(this.pos, this.kinds.length);
      this.pos += 2;
      this.counted = true;
    }
    return this.kinds[this.col];
  }

  /** A value of `kind` written whole now (true), or as text when the column is a text one (false). */
  private typed(kind: number): boolean {
    if (this.st === FRESH && this.fresh() === kind) return true;
    this.text();
    return false;
  }

  /** The current column as a text field receiving CSV text. */
  private text(): void {
    if (this.st === TEXT) return;
    const k = this.fresh();
    if (k !== K_TEXT && k !== K_JSONB) throw this.wrong('text');
    this.lenPos = this.pos;
    this.pos += 4;
    if (k === K_JSONB) this.buf[this.pos++] = 1;
    this.st = TEXT;
    this.plain = false;
  }

  /** The current field ends: NULL if nothing was written, a text's quotes undone and its length written. */
  private close(): void {
    const st = this.st;
    if (st === DONE) {
      this.st = FRESH;
      return;
    }
    if (st === FRESH) {
      this.fresh();
      this.dv.setInt32(this.pos, -1);
      this.pos += 4;
      return;
    }
    this.st = FRESH;
    const buf = this.buf;
    const lp = this.lenPos;
    const start = lp + (this.kinds[this.col] === K_JSONB ? 5 : 4);
    const end = this.pos;
    if (end === start) {
      // an empty unquoted CSV field is NULL
      this.dv.setInt32(lp, -1);
      this.pos = lp + 4;
      return;
    }
    if (!this.plain && buf[start] === QUOTE) this.pos = unquote(buf, this.dv, start, end);
    this.dv.setInt32(lp, this.pos - lp - 4);
  }

  /** a uuid field, not a uuid inside a text (a jsonb's session id): again() copies fields */
  override get copies(): boolean {
    return this.st !== TEXT;
  }

  override get at(): number {
    this.fresh();
    if (this.st !== FRESH) throw this.wrong('a position inside a field');
    return this.pos;
  }

  override take(last = false): Buffer {
    if (this.col !== 0 || this.st !== FRESH || this.counted)
      throw this.wrong('a buffer handed out inside a row');
    return super.take(last);
  }

  override takeText(): string {
    throw new Error('internal: a binary row writer has no text to take');
  }

  override comma(): this {
    this.close();
    this.col++;
    return this;
  }

  override nul(): this {
    return this;
  }

  override end(): void {
    this.close();
    if (this.col !== this.kinds.length - 1) throw this.wrong('the end of the row');
    this.col = 0;
    this.counted = false;
    this.rows++;
  }

  override bytes(b: Uint8Array): this {
    this.text();
    return super.bytes(b);
  }

  /** a piece of a text field made of pieces: its text (so the field has no CSV quotes to undo when it ends) */
  override piece(p: TextPiece): this {
    if (this.st !== TEXT) {
      this.text();
      this.plain = true;
    }
    return super.bytes(p.text);
  }

  /** A pooled field's text written whole (length, jsonb's version, text): its CSV quotes are not undone per row. */
  override field(f: Uint8Array): this {
    const text = pooledText(f);
    if (text === undefined || text.length === 0 || this.st !== FRESH) return this.bytes(f);
    const k = this.fresh();
    if (k !== K_TEXT && k !== K_JSONB) throw this.wrong('text');
    const n = text.length;
    let p = this.pos;
    if (k === K_JSONB) {
      this.dv.setInt32(p, n + 1);
      this.buf[p + 4] = 1;
      p += 5;
    } else {
      this.dv.setInt32(p, n);
      p += 4;
    }
    this.pos = p;
    super.bytes(text);
    this.st = DONE;
    return this;
  }

  override ascii(s: string): this {
    this.text();
    return super.ascii(s);
  }

  /** The uuid field written at `from` (a position `at` gave) again; `length` is its text's. */
  override again(from: number, length: number): this {
    if (this.fresh() !== K_UUID || length !== 36) throw this.wrong('a copied field');
    const dv = this.dv;
    const p = this.pos;
    for (let i = 0; i < 20; i += 4) dv.setUint32(p + i, dv.getUint32(from + i));
    this.pos = p + 20;
    this.st = DONE;
    return this;
  }

  override uint(n: number): this {
    return this.integer(n) ? this : super.uint(n);
  }

  override int(n: number): this {
    return this.integer(n) ? this : super.int(n);
  }

  override uintPadded(n: number, width: number): this {
    return this.integer(n) ? this : super.uintPadded(n, width);
  }

  /** n written whole when the column is an integer one (false: text wants its digits) */
  private integer(n: number): boolean {
    const end = this.st === FRESH ? putInteger(this.dv, this.pos, this.fresh() ?? -1, n) : -1;
    if (end < 0) {
      this.text();
      return false;
    }
    this.pos = end;
    this.st = DONE;
    return true;
  }

  private int64(v: number): void {
    this.pos = putInt64(this.dv, this.pos, v);
  }

  override ts(ms: number): this {
    if (!this.typed(K_TS)) return super.ts(ms);
    this.int64((ms - PG_EPOCH_MS) * 1000);
    this.st = DONE;
    return this;
  }

  override uuid(w: Uint32Array): this {
    if (!this.typed(K_UUID)) return super.uuid(w);
    const dv = this.dv;
    const p = this.pos;
    dv.setInt32(p, 16);
    dv.setUint32(p + 4, w[0] as number);
    dv.setUint32(p + 8, w[1] as number);
    dv.setUint32(p + 12, w[2] as number);
    dv.setUint32(p + 16, w[3] as number);
    this.pos = p + 20;
    this.st = DONE;
    return this;
  }

  override bool(b: boolean): this {
    if (!this.typed(K_BOOL)) return super.bool(b);
    this.dv.setInt32(this.pos, 1);
    this.buf[this.pos + 4] = b ? 1 : 0;
    this.pos += 5;
    this.st = DONE;
    return this;
  }

  /**
   * Integer cents as numeric's send format with dscale 2: int16 ndigits, int16 weight, uint16 sign, uint16
   * dscale, then base-10000 digits without leading or trailing zero groups (the server's own normal form).
   */
  override money(cents: number): this {
    if (!this.typed(K_NUMERIC)) return super.money(cents);
    const neg = cents < 0;
    const c = neg ? -cents : cents;
    const whole = Math.floor(c / 100);
    // groups most significant first: at most 3 whole groups (numeric(14,2)) and the fraction's
    const g0 = Math.floor(whole / 100_000_000);
    const g1 = Math.floor(whole / 10_000) % 10_000;
    const g2 = whole % 10_000;
    const g3 = (c - whole * 100) * 100;
    let first = g0 > 0 ? 0 : g1 > 0 ? 1 : g2 > 0 ? 2 : 3;
    let last = g3 > 0 ? 3 : g2 > 0 ? 2 : g1 > 0 ? 1 : 0;
    if (c === 0) {
      first = 0;
      last = -1;
    }
    const digits = last - first + 1;
    const dv = this.dv;
    let p = this.pos;
    dv.setInt32(p, 8 + 2 * digits);
    dv.setInt16(p + 4, digits);
    dv.setInt16(p + 6, digits === 0 ? 0 : 2 - first);
    dv.setUint16(p + 8, neg && digits > 0 ? 0x4000 : 0);
    dv.setUint16(p + 10, 2);
    p += 12;
    for (let i = first; i <= last; i++, p += 2)
      dv.setInt16(p, i === 0 ? g0 : i === 1 ? g1 : i === 2 ? g2 : g3);
    this.pos = p;
    this.st = DONE;
    return this;
  }

  /**
   * A fixed field (see fixedField, fixedFieldOf): its binary form is written once, by replaying what made it
   * (or reading its CSV text field by field), then copied while it is met at the same column.
   */
  override fixed(f: FixedField): this {
    const r = this.replays.get(f);
    if (r !== undefined && r.col === this.col && r.st === this.st && r.counted === this.counted) {
      const p = this.pos;
      this.buf.set(r.bytes, p);
      this.pos = p + r.bytes.length;
      this.col = r.endCol;
      this.st = r.endSt;
      this.counted = true;
      if (r.endSt === TEXT) {
        this.lenPos = p + r.lenAt;
        this.plain = r.plain;
      }
      return this;
    }
    const start = this.pos;
    const col = this.col;
    const st = this.st;
    const counted = this.counted;
    // a field in progress as text cannot be replayed: its start lies before the copy
    const replayable = st !== TEXT;
    if (f.write !== undefined) f.write(this);
    else this.fields(f);
    if (replayable && (this.st !== TEXT || this.lenPos >= start)) {
      this.replays.set(f, {
        col,
        st,
        counted,
        bytes: new Uint8Array(this.buf.subarray(start, this.pos)),
        endCol: this.col,
        endSt: this.st,
        lenAt: this.lenPos - start,
        plain: this.plain,
      });
    }
    return this;
  }

  /** CSV text of text fields and the commas between them (a fixedField's bytes) */
  private fields(f: FixedField): void {
    const words = new DataView(f.words.buffer, f.words.byteOffset, f.words.byteLength);
    let quoted = false;
    let from = 0;
    for (let i = 0; i < f.length; i++) {
      const b = words.getUint8(i);
      if (b === QUOTE) quoted = !quoted;
      else if (b === COMMA && !quoted) {
        if (i > from) this.bytes(new Uint8Array(words.buffer, words.byteOffset + from, i - from));
        this.comma();
        from = i + 1;
      }
    }
    if (f.length > from) this.bytes(new Uint8Array(words.buffer, words.byteOffset + from, f.length - from));
  }
}

/** A quoted CSV field's text at [start, end) in place, its quotes undone (`""` is one); returns its new end. */
function unquote(buf: Buffer, dv: DataView, start: number, end: number): number {
  let r = start + 1;
  let o = start;
  for (;;) {
    // 4 bytes at a time while none is a quote (SWAR: a zero byte of w ^ 0x22222222 is a quote)
    while (r + 4 <= end) {
      const w = dv.getUint32(r, true);
      const x = w ^ 0x22222222;
      if ((x - 0x01010101) & ~x & 0x80808080) break;
      dv.setUint32(o, w, true);
      r += 4;
      o += 4;
    }
    if (r >= end) throw new Error('internal: a quoted CSV field without its closing quote');
    const b = buf[r] as number;
    if (b === QUOTE) {
      if (r + 1 < end && buf[r + 1] === QUOTE) {
        buf[o++] = QUOTE;
        r += 2;
        continue;
      }
      if (r + 1 !== end) throw new Error('internal: text after the closing quote of a CSV field');
      return o;
    }
    buf[o++] = b;
    r++;
  }
}
