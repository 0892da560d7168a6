/**
 * The frontend messages of a pipeline (src/live/pipeline.ts) encoded into ONE buffer, so a round trip costs one
 * socket write (issue 7 §3). node-postgres's serializer (pg-protocol) makes a Buffer per message, and a pipeline
 * of n statements became a writev of 2n+1 chunks; its Bind converts each value through a Writer that reallocates.
 * Here the messages go into one growable scratch buffer, reused by every pipeline of the process (encoding is
 * synchronous: one pipeline at a time), and are copied out once, at the exact size, for the write.
 *
 * The bytes are pg-protocol's for the same messages (test/unit/live-wire.test.ts compares them): Bind with one
 * text format code per parameter and one text result format, Execute of the unnamed portal with no row limit.
 */

/** a Bind has at most this many parameters (its counts are 16-bit) */
export const MAX_PARAMS = 65535;

const EXECUTE = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

export class Messages {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private off = 0;
  /** where the open Bind's message starts, where its parameter count is, how many parameters it has so far */
  private bindAt = -1;
  private countAt = 0;
  private params = 0;

  /** room for n more bytes */
  private ensure(n: number): void {
    const need = this.off + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.off);
    this.buf = b;
  }

  private int32(at: number, v: number): void {
    const b = this.buf;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
  }

  private int16(v: number): void {
    this.buf[this.off++] = v >>> 8;
    this.buf[this.off++] = v;
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

  /**
   * Opens a Bind of `statement` with n parameters (the unnamed portal), given next by `param`, closed by
   * `endBind`.
   */
  bind(statement: string, n: number): void {
    if (n > MAX_PARAMS) throw new RangeError(`a Bind takes at most ${MAX_PARAMS} parameters, not ${n}`);
    this.bindAt = this.begin(0x42);
    this.ensure(1);
    this.buf[this.off++] = 0;
    this.cstring(statement);
    this.ensure(4 + 2 * n);
    this.int16(n);
    // every parameter in text format: n zero codes
    this.buf.fill(0, this.off, this.off + 2 * n);
    this.off += 2 * n;
    this.countAt = this.off;
    this.int16(n);
    this.params = 0;
  }

  /** the open Bind's next parameter, in text format; null is SQL NULL */
  param(v: string | null): void {
    if (v === null) {
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

  endBind(): void {
    const b = this.buf;
    const n = (b[this.countAt] ?? 0) * 256 + (b[this.countAt + 1] ?? 0);
    if (this.params !== n) throw new Error(`internal: Bind announced ${n} parameters, got ${this.params}`);
    this.ensure(4);
    // one result format code: text
    this.int16(1);
    this.int16(0);
    this.end(this.bindAt);
    this.bindAt = -1;
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
