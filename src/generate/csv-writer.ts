/**
 * Writes CSV rows straight into Buffers (measured: building row strings and joining them is ~4.5x slower,
 * V8 cons-string ropes). Fields are written in model column order; `take()` hands out the filled part.
 *
 * CSV as COPY reads it: unquoted empty field = NULL, quoted strings escaped by doubling quotes.
 */

const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, '0');
  HEX[i * 2] = s.charCodeAt(0);
  HEX[i * 2 + 1] = s.charCodeAt(1);
}
const DIGITS2 = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS2[i * 2] = 48 + Math.floor(i / 10);
  DIGITS2[i * 2 + 1] = 48 + (i % 10);
}

/** the two digits of 0-99 as one little-endian 16-bit store */
const DIGITS2_16 = new Uint16Array(100);
for (let i = 0; i < 100; i++) DIGITS2_16[i] = DIGITS2[i * 2]! | (DIGITS2[i * 2 + 1]! << 8);

/** "MM:SS" of every second of an hour */
const MMSS = new Uint8Array(3600 * 5);
for (let i = 0; i < 3600; i++) {
  const t = `${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  for (let k = 0; k < 5; k++) MMSS[i * 5 + k] = t.charCodeAt(k);
}
/**
 * Milliseconds as Postgres prints them, then the zone: trailing zeros dropped, no fraction at all for whole
 * seconds (`.5+00`, `+00`), so `COPY ... TO` of a loaded partition gives back these very bytes (gen verify
 * relies on it). 8 bytes per entry, FRAC_LEN[ms] of them used.
 */
const FRAC = new Uint8Array(8000);
const FRAC_LEN = new Uint8Array(1000);
for (let i = 0; i < 1000; i++) {
  const t = `${i === 0 ? '' : `.${String(i).padStart(3, '0')}`.replace(/0+$/, '')}+00`;
  FRAC_LEN[i] = t.length;
  for (let k = 0; k < t.length; k++) FRAC[i * 8 + k] = t.charCodeAt(k);
}

/** bytes i..i+3 of a table as a little-endian uint32, for DataView stores */
function le32(t: Uint8Array, i: number): number {
  return (t[i]! | (t[i + 1]! << 8) | (t[i + 2]! << 16) | (t[i + 3]! << 24)) >>> 0;
}
const MMSS_4 = new Uint32Array(3600);
for (let i = 0; i < 3600; i++) MMSS_4[i] = le32(MMSS, i * 5);
const FRAC_4 = new Uint32Array(2000);
for (let i = 0; i < 2000; i++) FRAC_4[i] = le32(FRAC, i * 4);

/** two hex digits of a byte as one little-endian 16-bit store */
const HEX16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX16[i] = HEX[i * 2]! | (HEX[i * 2 + 1]! << 8);

/**
 * four hex digits of a 16-bit value. DataView stores: V8 compiles them to single unaligned machine stores,
 * the byte-by-byte version was a tenth of all generation time.
 */
function hex16(dv: DataView, p: number, v: number): number {
  dv.setUint16(p, HEX16[v >>> 8]!, true);
  dv.setUint16(p + 2, HEX16[v & 255]!, true);
  return p + 4;
}

const COMMA = 44;
/** hour prefixes kept by ts() (a power of two) */
const PREFIX_SLOTS = 8;
/**
 * "YYYY-MM-DD " of days kept by ts() when the hour is not among its prefixes (a power of two): the population's
 * creation times spread over years, one civil date computation per row otherwise (a third of global_entity)
 */
const DAY_SLOTS = 2048;
const NL = 10;

/** Encode a string as one CSV field (quoted when it needs to be). */
export function csvField(s: string): Uint8Array {
  // Postgres's COPY CSV output rule: quote on delimiter, quote, CR or LF, and the empty string (vs NULL)
  const needs = /[",\n\r]/.test(s) || s.length === 0;
  return Buffer.from(needs ? `"${s.replace(/"/g, '""')}"` : s, 'utf8');
}

/** the fields pooledField made: each one text, its quotes undone (what the field holds) */
const POOLED = new WeakMap<Uint8Array, Uint8Array>();

/**
 * csvField of a value that rows pick from a pool (an extra_data), made once and never changed: a binary writer
 * writes its text whole instead of copying the CSV and undoing its quotes per row (CsvWriter.field). A buffer
 * refilled per row (a template's scratch) must not be made here: what a writer took from it would be stale.
 */
export function pooledField(s: string): Uint8Array {
  const f = csvField(s);
  POOLED.set(f, Buffer.from(s, 'utf8'));
  return f;
}

/** the text of a field pooledField made, undefined for any other bytes */
export function pooledText(f: Uint8Array): Uint8Array | undefined {
  return POOLED.get(f);
}

/**
 * A piece of a quoted text field that rows build from several pieces (request_response_log's extra_data): its
 * CSV bytes (the field's opening or closing quote included where it has one, inner quotes doubled) and the
 * text they stand for. A binary writer writes the text, so the field is not unquoted per row; every piece of
 * such a field must be one of these (or text without quotes, such as a uuid).
 */
export interface TextPiece {
  readonly csv: Uint8Array;
  readonly text: Uint8Array;
}

/**
 * days since 1970-01-01 -> civil date [year, month 1-12, day] (Howard Hinnant's algorithm): no Date objects in
 * the hot path.
 */
export function civil(days: number, out: Int32Array): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

/** bytes written whole by CsvWriter.fixed(): padded to 32-bit words (the padding is overwritten later) */
export interface FixedField {
  readonly words: Uint32Array;
  readonly length: number;
  /** what wrote the bytes (fixedFieldOf): a binary writer replays it in its own format (./binary-writer.ts) */
  readonly write?: (w: CsvWriter) => void;
}

/** A fixed field of `bytes` (at most 128: rows are < 4 KiB, the writer keeps that much room). */
export function fixedField(bytes: Uint8Array): FixedField {
  if (bytes.length > 128) throw new Error(`internal: fixed field of ${bytes.length} bytes`);
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const words = new Uint32Array(padded.length / 4);
  const dv = new DataView(padded.buffer);
  for (let i = 0; i < words.length; i++) words[i] = dv.getUint32(i * 4, true);
  return { words, length: bytes.length };
}

/**
 * The bytes `write` puts in a writer, as a fixed field: columns that many rows repeat (a metric bucket's
 * times and extra_metrics), written once instead of per row.
 */
export function fixedFieldOf(write: (w: CsvWriter) => void): FixedField {
  const w = new CsvWriter(8192, true);
  write(w);
  return { ...fixedField(w.take()), write };
}

export class CsvWriter {
  protected buf: Buffer;
  /** view of `buf` for multi-byte stores */
  protected dv: DataView;
  protected pos = 0;
  private readonly size: number;
  /**
   * each handed-out buffer is written over by the rows after it (the consumer is done with a buffer when it
   * asks for the next one): no fresh 256 KiB per take()
   */
  private readonly reuse: boolean;
  /** rows written (end() calls) since the writer was made: every row ends with end() */
  rows = 0;
  /**
   * take() and takeText() calls so far: a position in the buffer (`at`) still holds what was written there
   * while this has not changed (see again())
   */
  takes = 0;
  /**
   * "YYYY-MM-DD HH:" of recently written hours, direct-mapped by hour: rows alternate between two or three
   * hours (metric rows: bucket start and end; created vs event time), one slot would miss on every call
   */
  private readonly slotHour = new Float64Array(PREFIX_SLOTS).fill(Number.NaN);
  private readonly prefix = new DataView(new ArrayBuffer(16 * PREFIX_SLOTS));
  private readonly ymd = new Int32Array(3);
  /** days since 1970 of each day slot, and its "YYYY-MM-DD " in 12 bytes (the 12th unused) */
  private readonly slotDay = new Float64Array(DAY_SLOTS).fill(Number.NaN);
  private readonly dayText = new DataView(new ArrayBuffer(12 * DAY_SLOTS));

  /** where a fresh buffer comes from (a loader may hand memory its socket has written: src/load/copy-buffers.ts) */
  private readonly alloc: (size: number) => Buffer;

  constructor(size = 1 << 18, reuse = false, alloc: (size: number) => Buffer = Buffer.allocUnsafe) {
    this.size = size;
    this.reuse = reuse;
    this.alloc = alloc;
    this.buf = alloc(size);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** true when the buffer should be handed out before the next row (rows are < 4 KiB) */
  get full(): boolean {
    return this.pos > this.size - 4096;
  }

  get length(): number {
    return this.pos;
  }

  /** What was written, as text (Latin-1: ids, times and amounts are ASCII), and the same buffer reused. */
  takeText(): string {
    const s = this.buf.toString('latin1', 0, this.pos);
    this.pos = 0;
    this.takes++;
    return s;
  }

  /**
   * Hand out what was written and start a fresh buffer (the old one now belongs to the caller), or, when the
   * writer reuses its buffer, the same one again from its start (the caller is done with what it was handed).
   * `last`: nothing more will be written.
   */
  take(last = false): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.takes++;
    // after the last rows no new memory: the allocator's may be pooled (src/load/copy-buffers.ts)
    if (!this.reuse && !last) {
      this.buf = this.alloc(this.size);
      this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    }
    this.pos = 0;
    return out;
  }

  /** A whole field's CSV (the field starts and ends with it): one of pooledField's is written faster in binary. */
  field(f: Uint8Array): this {
    return this.bytes(f);
  }

  /** a piece of a text field made of pieces: its CSV bytes here */
  piece(p: TextPiece): this {
    return this.bytes(p.csv);
  }

  bytes(b: Uint8Array): this {
    const buf = this.buf;
    let p = this.pos;
    const n = b.length;
    // measured (node 20): the loop costs ~1.5 ns a byte, TypedArray#set ~17 ns a call whatever the length
    if (n < 10) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
    return this;
  }

  /** whether a value written now can be written again by again() (a binary writer's text fields: no) */
  get copies(): boolean {
    return true;
  }

  /** where the next byte goes: again() can copy from here until the next take() (see `takes`) */
  get at(): number {
    return this.pos;
  }

  /** `length` (<= 36) bytes written earlier at `from` (since the last take()), again */
  again(from: number, length: number): this {
    const dv = this.dv;
    const p = this.pos;
    // whole words: the bytes past `length` are overwritten by what follows, and the copied ones lie before p
    for (let i = 0; i < length; i += 4) dv.setUint32(p + i, dv.getUint32(from + i, true), true);
    this.pos = p + length;
    return this;
  }

  /** a field of fixed bytes (see fixedField), as word stores: no TypedArray#set call per row */
  fixed(f: FixedField): this {
    const dv = this.dv;
    const words = f.words;
    const p = this.pos;
    for (let i = 0; i < words.length; i++) dv.setUint32(p + i * 4, words[i]!, true);
    this.pos = p + f.length;
    return this;
  }

  /** ASCII text known to need no quoting */
  ascii(s: string): this {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
    return this;
  }

  comma(): this {
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** NULL (an empty unquoted field) */
  nul(): this {
    return this;
  }

  end(): void {
    this.buf[this.pos++] = NL;
    this.rows++;
  }

  /** non-negative integer */
  uint(n: number): this {
    if (n < 10000) {
      this.upTo4(n);
      return this;
    }
    if (n < 100_000_000) {
      // the top 1-4 digits, then 4 zero-padded ones: int32 divisions by constants (no float division loop,
      // which made the 5- to 8-digit amounts and counts ~3x the cost of a short one)
      const hi = (n / 10000) | 0;
      const lo = n - hi * 10000;
      this.upTo4(hi);
      const a = (lo / 100) | 0;
      const dv = this.dv;
      const p = this.pos;
      dv.setUint16(p, DIGITS2_16[a]!, true);
      dv.setUint16(p + 2, DIGITS2_16[lo - a * 100]!, true);
      this.pos = p + 4;
      return this;
    }
    // digits right to left
    const buf = this.buf;
    let len = 0;
    for (let t = n; t >= 1; t = Math.floor(t / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
    return this;
  }

  /** an integer in [0, 10000): one or two digit pairs, no division loop (counts, cents, latencies) */
  private upTo4(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    if (n < 100) {
      this.dv.setUint16(this.pos, DIGITS2_16[n]!, true);
      this.pos += 2;
      return;
    }
    const hi = (n / 100) | 0;
    let p = this.pos;
    if (hi < 10) buf[p++] = 48 + hi;
    else {
      this.dv.setUint16(p, DIGITS2_16[hi]!, true);
      p += 2;
    }
    this.dv.setUint16(p, DIGITS2_16[n - hi * 100]!, true);
    this.pos = p + 2;
  }

  /** non-negative integer, zero-padded to `width` digits (as String(n).padStart(width, '0')) */
  uintPadded(n: number, width: number): this {
    let len = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
    for (; len < width; len++) this.buf[this.pos++] = 48;
    return this.uint(n);
  }

  int(n: number): this {
    if (n < 0) {
      this.buf[this.pos++] = 45;
      return this.uint(-n);
    }
    return this.uint(n);
  }

  /** integer cents as a decimal with two places */
  money(cents: number): this {
    if (cents < 0) {
      this.buf[this.pos++] = 45;
      cents = -cents;
    }
    const whole = Math.floor(cents / 100);
    const c = cents - whole * 100;
    this.uint(whole);
    const p = this.pos;
    this.buf[p] = 46;
    this.dv.setUint16(p + 1, DIGITS2[c * 2]! | (DIGITS2[c * 2 + 1]! << 8), true);
    this.pos = p + 3;
    return this;
  }

  bool(b: boolean): this {
    this.buf[this.pos++] = b ? 116 : 102;
    return this;
  }

  /** uuid text from 4 words: 8-4-4-4-12 hex digits */
  uuid(w: Uint32Array): this {
    const buf = this.buf;
    const dv = this.dv;
    let p = this.pos;
    const a = w[0]!;
    const b = w[1]!;
    const c = w[2]!;
    const d = w[3]!;
    p = hex16(dv, p, a >>> 16);
    p = hex16(dv, p, a & 0xffff);
    buf[p++] = 45;
    p = hex16(dv, p, b >>> 16);
    buf[p++] = 45;
    p = hex16(dv, p, b & 0xffff);
    buf[p++] = 45;
    p = hex16(dv, p, c >>> 16);
    buf[p++] = 45;
    p = hex16(dv, p, c & 0xffff);
    p = hex16(dv, p, d >>> 16);
    p = hex16(dv, p, d & 0xffff);
    this.pos = p;
    return this;
  }

  /** timestamptz as Postgres prints it with TimeZone UTC: `YYYY-MM-DD HH:MM:SS[.fff]+00` */
  ts(ms: number): this {
    const hour = Math.floor(ms / 3_600_000);
    const buf = this.buf;
    let p = this.pos;
    const slot = hour & (PREFIX_SLOTS - 1);
    const pre = this.prefix;
    const dv = this.dv;
    const o = slot * 16;
    if (hour === this.slotHour[slot]) {
      dv.setUint32(p, pre.getUint32(o, true), true);
      dv.setUint32(p + 4, pre.getUint32(o + 4, true), true);
      dv.setUint32(p + 8, pre.getUint32(o + 8, true), true);
      dv.setUint16(p + 12, pre.getUint16(o + 12, true), true);
    } else {
      this.writeHourPrefix(hour, p);
      this.slotHour[slot] = hour;
      pre.setUint32(o, dv.getUint32(p, true), true);
      pre.setUint32(o + 4, dv.getUint32(p + 4, true), true);
      pre.setUint32(o + 8, dv.getUint32(p + 8, true), true);
      pre.setUint16(o + 12, dv.getUint16(p + 12, true), true);
    }
    p += 14;
    // times are whole milliseconds: the rest of the hour fits an int32
    const r = (ms - hour * 3_600_000) | 0;
    const sec = (r / 1000) | 0;
    const milli = r - sec * 1000;
    dv.setUint32(p, MMSS_4[sec]!, true);
    buf[p + 4] = MMSS[sec * 5 + 4]!;
    p += 5;
    // fraction and "+00" in one table entry, written whole (bytes past the end are overwritten later)
    dv.setUint32(p, FRAC_4[milli * 2]!, true);
    dv.setUint32(p + 4, FRAC_4[milli * 2 + 1]!, true);
    this.pos = p + FRAC_LEN[milli]!;
    return this;
  }

  /** "YYYY-MM-DD HH:" of an hour number, straight into the buffer (no strings: rows of the population before
   * the window have creation times spread over years, a cache miss each) */
  private writeHourPrefix(hour: number, p: number): void {
    const days = Math.floor(hour / 24);
    const h = hour - days * 24;
    const buf = this.buf;
    const dv = this.dv;
    const text = this.dayText;
    const slot = days & (DAY_SLOTS - 1);
    const o = slot * 12;
    if (this.slotDay[slot] !== days) {
      this.writeDay(days, p);
      this.slotDay[slot] = days;
      text.setUint32(o, dv.getUint32(p, true), true);
      text.setUint32(o + 4, dv.getUint32(p + 4, true), true);
      text.setUint32(o + 8, dv.getUint32(p + 8, true), true);
    } else {
      dv.setUint32(p, text.getUint32(o, true), true);
      dv.setUint32(p + 4, text.getUint32(o + 4, true), true);
      dv.setUint32(p + 8, text.getUint32(o + 8, true), true);
    }
    buf[p + 10] = 32;
    buf[p + 11] = DIGITS2[h * 2]!;
    buf[p + 12] = DIGITS2[h * 2 + 1]!;
    buf[p + 13] = 58;
  }

  /** "YYYY-MM-DD " of a day number at p (12 bytes written: the 12th is overwritten by the caller) */
  private writeDay(days: number, p: number): void {
    civil(days, this.ymd);
    const y = this.ymd[0]!;
    const m = this.ymd[1]!;
    const d = this.ymd[2]!;
    const buf = this.buf;
    const hi = Math.floor(y / 100);
    const lo = y - hi * 100;
    buf[p] = DIGITS2[hi * 2]!;
    buf[p + 1] = DIGITS2[hi * 2 + 1]!;
    buf[p + 2] = DIGITS2[lo * 2]!;
    buf[p + 3] = DIGITS2[lo * 2 + 1]!;
    buf[p + 4] = 45;
    buf[p + 5] = DIGITS2[m * 2]!;
    buf[p + 6] = DIGITS2[m * 2 + 1]!;
    buf[p + 7] = 45;
    buf[p + 8] = DIGITS2[d * 2]!;
    buf[p + 9] = DIGITS2[d * 2 + 1]!;
    buf[p + 10] = 32;
    buf[p + 11] = 0;
  }
}
