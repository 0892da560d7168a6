/**
 * The frontend messages of a pipeline (src/live/pipeline.ts) or of a query of gen query's load
 * (src/query/encoded-query.ts) encoded into ONE buffer, so a round trip costs one socket write (issue 7 §3).
 * node-postgres's serializer (pg-protocol) makes a Buffer per message, and a pipeline of n statements became a
 * writev of 2n+1 chunks; its Bind converts each value through a Writer that reallocates.
 * Here the messages go into one growable scratch buffer, reused by every pipeline of the process (encoding is
 * synchronous: one pipeline at a time), and are copied out once, at the exact size, for the write.
 *
 * The bytes are pg-protocol's for the same messages (test/unit/wire.test.ts compares them): Bind with one
 * format code per parameter and one text result format, Execute of the unnamed portal with no row limit.
 *
 * A uuid or timestamptz parameter goes in binary format (16 bytes; int64 µs since 2000-01-01 UTC) when its
 * text has the generator's shape, in text otherwise: the server then parses no text for it on each Bind (uuid_in,
 * timestamptz_in: ~57 of a busy hour's ~100 parameters per transaction), which pgbench's literals, parsed once
 * at PREPARE, never cost it (issue 7 §3). The value the server stores is the same: the conversion is exact.
 * A generated row goes all in binary (one format code for the whole Bind): its CSV line transcoded as binary
 * COPY's tuples are (src/load/binary-copy.ts; the send formats of Bind and COPY are the same), never made strings.
 */

/** a Bind has at most this many parameters (its counts are 16-bit) */
export const MAX_PARAMS = 65535;

/** how a parameter goes: as text, or (when its text has the expected shape) in its column type's binary form */
export const Kind = { Text: 0, Uuid: 1, Timestamptz: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Date.UTC(2000, 0, 1): PostgreSQL's epoch for timestamps */
const PG_EPOCH_MS = 946_684_800_000;

/** a hex digit's value, or -1 */
function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** the value of n decimal digits of s from i, or -1 */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * µs since 2000-01-01 UTC of a timestamp written "YYYY-MM-DD HH:MM:SS[.f{1,6}]+00" (how the generator writes
 * them), or null for any other text (sent as text: the server's own parser decides).
 */
export function timestampUs(s: string): number | null {
  const n = s.length;
  if (n < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32) return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  if (s.charCodeAt(n - 3) !== 43 || s.charCodeAt(n - 2) !== 48 || s.charCodeAt(n - 1) !== 48) return null;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  // Date.UTC reads years 0-99 as 1900-1999
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
    return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && !leap ? 28 : (DAYS[mo - 1] ?? 0))) return null;
  let us = 0;
  if (n !== 22) {
    // a fraction: "." and 1 to 6 digits before "+00"
    const f = n - 23;
    if (s.charCodeAt(19) !== 46 || f < 1 || f > 6) return null;
    const v = digits(s, 20, f);
    if (v < 0) return null;
    us = v * 10 ** (6 - f);
  }
  return (Date.UTC(y, mo - 1, d, h, mi, sec) - PG_EPOCH_MS) * 1000 + us;
}

const EXECUTE = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
/** Describe of the unnamed portal: its RowDescription comes before its rows */
const DESCRIBE_PORTAL = Buffer.from([0x44, 0, 0, 0, 6, 0x50, 0]);
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/**
 * A growable byte buffer, reused, and the Bind parameters written into it: int16 n, n format codes (0: text, 1:
 * binary), int16 n, then each value's int32 length (-1: NULL) and bytes; what follows the statement name in a
 * Bind, up to its result format codes.
 */
class ByteWriter {
  /** never from Buffer's shared pool (allocUnsafeSlow): ParamWriter hands its whole ArrayBuffer over */
  protected buf: Buffer;
  protected off = 0;
  /** where the open parameter list's format codes start, where its count is, how many it has so far */
  private codesAt = 0;
  private countAt = 0;
  private params = 0;

  /** `reuse`, if given and big enough, is written into instead of new memory (its pages already touched) */
  constructor(size: number, reuse?: ArrayBuffer) {
    this.buf = reuse && reuse.byteLength >= size ? Buffer.from(reuse) : Buffer.allocUnsafeSlow(size);
  }

  /** room for n more bytes */
  protected ensure(n: number): void {
    const need = this.off + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const b = Buffer.allocUnsafeSlow(size);
    this.buf.copy(b, 0, 0, this.off);
    this.buf = b;
  }

  protected int32(at: number, v: number): void {
    const b = this.buf;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
  }

  protected int16(v: number): void {
    this.buf[this.off++] = v >>> 8;
    this.buf[this.off++] = v;
  }

  /** opens a parameter list of n, given next by `param`, closed by `endParams` */
  protected beginParams(n: number): void {
    if (n > MAX_PARAMS) throw new RangeError(`a Bind takes at most ${MAX_PARAMS} parameters, not ${n}`);
    this.ensure(4 + 2 * n);
    this.int16(n);
    // every parameter in text format (n zero codes) until param() sends one in binary
    this.codesAt = this.off;
    this.buf.fill(0, this.off, this.off + 2 * n);
    this.off += 2 * n;
    this.countAt = this.off;
    this.int16(n);
    this.params = 0;
  }

  /**
   * opens a list of n parameters all in binary format (one format code for all of them), given next as whole
   * rows by `fields`
   */
  protected beginBinaryParams(n: number): void {
    if (n > MAX_PARAMS) throw new RangeError(`a Bind takes at most ${MAX_PARAMS} parameters, not ${n}`);
    this.ensure(6);
    this.int16(1);
    this.int16(1);
    this.countAt = this.off;
    this.int16(n);
    this.params = 0;
  }

  /** `count` parameters' lengths and values in binary, as they go (a row's: BinaryTranscoder.fields) */
  fields(bytes: Uint8Array, count: number): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.off);
    this.off += bytes.length;
    this.params += count;
  }

  /** the open list's next parameter, of a column of that kind (in text format if not binary); null is SQL NULL */
  param(v: string | null, kind: Kind = Kind.Text): void {
    if (v !== null && kind !== Kind.Text && this.binary(v, kind)) {
      this.buf[this.codesAt + 2 * this.params + 1] = 1;
    } else if (v === null) {
      this.ensure(4);
      this.int32(this.off, -1);
      this.off += 4;
    } else {
      this.ensure(4 + v.length * 3);
      const n = this.buf.write(v, this.off + 4);
      this.int32(this.off, n);
      this.off += 4 + n;
    }
    this.params++;
  }

  /** v in binary after its length, if it has the expected shape; false (nothing written) if not */
  private binary(v: string, kind: Kind): boolean {
    this.ensure(4 + 16);
    const b = this.buf;
    const at = this.off + 4;
    if (kind === Kind.Uuid) {
      if (v.length !== 36) return false;
      let o = at;
      for (let i = 0; i < 36; ) {
        if (i === 8 || i === 13 || i === 18 || i === 23) {
          if (v.charCodeAt(i) !== 45) return false;
          i++;
          continue;
        }
        const hi = hex(v.charCodeAt(i));
        const lo = hex(v.charCodeAt(i + 1));
        if (hi < 0 || lo < 0) return false;
        b[o++] = hi * 16 + lo;
        i += 2;
      }
      this.int32(this.off, 16);
      this.off += 4 + 16;
      return true;
    }
    const us = timestampUs(v);
    if (us === null) return false;
    // int64, big-endian: the high word (signed) and the low word
    const high = Math.floor(us / 4294967296);
    this.int32(this.off, 8);
    this.int32(at, high);
    this.int32(at + 4, us - high * 4294967296);
    this.off += 4 + 8;
    return true;
  }

  /** closes the open parameter list: as many given as announced */
  protected endParams(): void {
    const b = this.buf;
    const n = (b[this.countAt] ?? 0) * 256 + (b[this.countAt + 1] ?? 0);
    if (this.params !== n) throw new Error(`internal: Bind announced ${n} parameters, got ${this.params}`);
  }
}

/**
 * Statements' Bind parameters encoded ahead, one list after another into one buffer (src/live/wire-txn.ts: a
 * generated hour's on the worker thread); `end` gives where each ends, Messages.bindParams copies one into a
 * Bind.
 */
export class ParamWriter extends ByteWriter {
  /**
   * @param size the first buffer's bytes (it doubles as needed)
   * @param reuse memory to write into if it holds `size` bytes (an hour's buffer given back: hour-worker.ts)
   */
  constructor(
    private readonly size = 1 << 20,
    reuse?: ArrayBuffer,
  ) {
    super(size, reuse);
  }

  /** opens a statement's list of n parameters, given next by `param` */
  begin(n: number): void {
    this.beginParams(n);
  }

  /** opens a statement's list of n parameters all in binary format, given next by `fields` */
  beginBinary(n: number): void {
    this.beginBinaryParams(n);
  }

  /** closes it; the offset where it ends */
  end(): number {
    this.endParams();
    return this.off;
  }

  /**
   * What was written, a view of the writer's buffer, which is handed over (not copied: an hour's is tens of MB;
   * the view's `.buffer` may be transferred); the writer starts over on a small new one (it grows as needed: a
   * writer is mostly dropped after its one take).
   */
  take(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.buf.buffer as ArrayBuffer, this.buf.byteOffset, this.off);
    this.buf = Buffer.allocUnsafeSlow(Math.min(this.size, 4096));
    this.off = 0;
    return out;
  }
}

export class Messages extends ByteWriter {
  /** where the open Bind's message starts */
  private bindAt = -1;

  constructor() {
    super(64 * 1024);
  }

  /** a string and its NUL (at most 3 UTF-8 bytes per UTF-16 unit) */
  private cstring(s: string): void {
    this.ensure(s.length * 3 + 1);
    this.off += this.buf.write(s, this.off);
    this.buf[this.off++] = 0;
  }

  /** a message's code and a placeholder for its length; returns where it starts */
  private begin(code: number): number {
    this.ensure(5);
    const at = this.off;
    this.buf[at] = code;
    this.off += 5;
    return at;
  }

  private end(at: number): void {
    this.int32(at + 1, this.off - at - 1);
  }

  parse(name: string, text: string): void {
    const at = this.begin(0x50);
    this.cstring(name);
    this.cstring(text);
    this.ensure(2);
    this.int16(0);
    this.end(at);
  }

  /** Close of a prepared statement */
  close(name: string): void {
    const at = this.begin(0x43);
    this.ensure(1);
    this.buf[this.off++] = 0x53;
    this.cstring(name);
    this.end(at);
  }

  /** the unnamed portal and the statement's name: the start of a Bind */
  private bindHead(statement: string): void {
    this.bindAt = this.begin(0x42);
    this.ensure(1);
    this.buf[this.off++] = 0;
    this.cstring(statement);
  }

  /** one result format code (text) and the Bind's length: its end */
  private bindTail(): void {
    this.ensure(4);
    this.int16(1);
    this.int16(0);
    this.end(this.bindAt);
    this.bindAt = -1;
  }

  /**
   * Opens a Bind of `statement` with n parameters (the unnamed portal), given next by `param`, closed by
   * `endBind`.
   */
  bind(statement: string, n: number): void {
    if (n > MAX_PARAMS) throw new RangeError(`a Bind takes at most ${MAX_PARAMS} parameters, not ${n}`);
    this.bindHead(statement);
    this.beginParams(n);
  }

  endBind(): void {
    this.endParams();
    this.bindTail();
  }

  /** a whole Bind of `statement` with parameters encoded ahead (ParamWriter) */
  bindParams(statement: string, params: Uint8Array): void {
    this.bindHead(statement);
    this.ensure(params.length);
    this.buf.set(params, this.off);
    this.off += params.length;
    this.bindTail();
  }

  /** Describe of the unnamed portal (what node-postgres and libpq send before Execute when rows are read) */
  describePortal(): void {
    this.ensure(DESCRIBE_PORTAL.length);
    this.off += DESCRIBE_PORTAL.copy(this.buf, this.off);
  }

  execute(): void {
    this.ensure(EXECUTE.length);
    this.off += EXECUTE.copy(this.buf, this.off);
  }

  sync(): void {
    this.ensure(SYNC.length);
    this.off += SYNC.copy(this.buf, this.off);
  }

  /** the messages so far, in a buffer of their own; the scratch is empty again */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.off);
    this.buf.copy(out, 0, 0, this.off);
    this.off = 0;
    return out;
  }

  /** drops what was encoded (a pipeline that failed to encode sends nothing) */
  reset(): void {
    this.off = 0;
    this.bindAt = -1;
  }
}
