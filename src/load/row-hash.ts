/**
 * The checksum of a chunk's rows, defined on the rows and not on the wire format a load sends them in (issue 9):
 * an order-independent multiset hash of each row in PostgreSQL's binary send format, the tuple
 * `COPY (SELECT ...) TO STDOUT (FORMAT binary)` gives back for it (int16 field count, then per field an int32
 * length and the value's send form). A binary load hashes the tuples it sends (./binary-copy.ts), a CSV load
 * and gen verify's expected side the generator's CSV transcoded to those tuples (csvRowHash), gen verify's
 * database side the server's binary COPY: the same value for a binary, a CSV or a live load.
 *
 * Why tuples and not CSV lines (the first definition): the server writes binary COPY ~40% faster than CSV (no
 * timestamp, uuid or numeric text to print: request_response_log, 1.0M rows, 2.6 s against 4.5 s), which is
 * gen verify's database side; and a load writing binary has no CSV line to hash. The send forms are canonical
 * (numeric without leading or trailing zero groups, jsonb as its text, timestamps as int64 microseconds), so
 * what the loader sends is byte for byte what COPY TO returns.
 *
 * Each tuple is hashed in JavaScript (two 32-bit lanes, murmur3-style mixing with Math.imul, both over every
 * word of the tuple) and the lanes are summed mod 2^32 over the tuples, so any order of the same rows gives the
 * same value. No hash object per row: createHash('md5') per row cost ~1 us, more than the rest of the load.
 */
import { BINARY_COPY_HEADER } from './binary-fields.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const C3 = 0x85ebca77;
const C4 = 0xc2b2ae3d;
/** the signature (11 bytes), int32 flags, int32 length of the header extension that follows */
const HEADER_BYTES = BINARY_COPY_HEADER.length;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class RowHash {
  /** lines hashed */
  rows = 0;
  private sumA = 0;
  private sumB = 0;
  /** a tuple cut by a buffer boundary in addCopyBinary */
  private rest: Buffer | undefined;
  /** addCopyBinary has read the stream's header (signature, flags, extension) */
  private headerRead = false;
  /** addCopyBinary has read the stream's trailer */
  private ended = false;

  /** One row: its binary COPY tuple, bytes [start, end) of `dv`. */
  tuple(dv: DataView, start: number, end: number): void {
    let a = 0x2545f491;
    let b = 0x9e3779b9;
    let i = start;
    const words = end - 3;
    for (; i < words; i += 4) {
      const w = dv.getUint32(i, true);
      let k = Math.imul(w, C1);
      k = (k << 15) | (k >>> 17);
      a ^= Math.imul(k, C2);
      a = (a << 13) | (a >>> 19);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;
      b = Math.imul(b ^ w, C3);
      b = (b << 11) | (b >>> 21);
      b = (b + C4) | 0;
    }
    let t = 0;
    for (let s = 0; i < end; i++, s += 8) t |= dv.getUint8(i) << s;
    const len = end - start;
    a ^= Math.imul((Math.imul(t, C1) << 15) | (Math.imul(t, C1) >>> 17), C2);
    b = Math.imul(b ^ t, C3);
    a = fmix(a ^ len);
    b = fmix((b ^ len) + a);
    this.sumA = (this.sumA + a) >>> 0;
    this.sumB = (this.sumB + b) >>> 0;
    this.rows++;
  }

  /** A binary COPY stream (header, tuples, trailer) cut anywhere: a tuple cut at the end waits for the next call. */
  addCopyBinary(buf: Buffer): void {
    let data = buf;
    if (this.rest !== undefined) {
      data = Buffer.concat([this.rest, buf]);
      this.rest = undefined;
    }
    const dv = new DataView(data.buffer, data.byteOffset, data.length);
    const n = data.length;
    let p = 0;
    if (!this.headerRead) {
      for (let i = 0; i < Math.min(n, 11); i++) {
        if (data[i] !== BINARY_COPY_HEADER[i])
          throw new Error('internal: not a binary COPY stream (its signature)');
      }
      if (n < HEADER_BYTES || n < HEADER_BYTES + dv.getUint32(HEADER_BYTES - 4)) {
        this.rest = Buffer.from(data);
        return;
      }
      p = HEADER_BYTES + dv.getUint32(HEADER_BYTES - 4);
      this.headerRead = true;
    }
    while (!this.ended && p + 2 <= n) {
      const count = dv.getInt16(p);
      if (count === -1) {
        this.ended = true;
        p += 2;
        break;
      }
      let q = p + 2;
      let whole = true;
      for (let f = 0; f < count; f++) {
        if (q + 4 > n) {
          whole = false;
          break;
        }
        const len = dv.getInt32(q);
        q += 4;
        if (len > 0) q += len;
        if (q > n) {
          whole = false;
          break;
        }
      }
      if (!whole) break;
      this.tuple(dv, p, q);
      p = q;
    }
    if (this.ended && p < n) throw new Error('internal: bytes after the binary COPY trailer');
    if (p < n) this.rest = Buffer.from(data.subarray(p));
  }

  /** The two summed lanes as 16 hex digits. */
  digest(): string {
    if (this.rest !== undefined) throw new Error('internal: a binary COPY stream cut inside a tuple');
    return this.sumA.toString(16).padStart(8, '0') + this.sumB.toString(16).padStart(8, '0');
  }
}
