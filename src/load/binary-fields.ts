/**
 * The fixed-size and numeric fields of binary COPY (./binary-copy.ts), in their send formats, big-endian: the
 * output buffer and how uuid, integer, bigint/timestamp (int64) and numeric values are written into it.
 */
import { K_INT64, type Kind, putInt64, putInteger } from '../generate/binary-writer.js';
import { bad, DOT, hex2, MINUS, POW10, UUID_AT, ZERO } from './text-forms.js';

/** signature "PGCOPY\n\377\r\n\0", flags 0, no header extension */
export const BINARY_COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);

export class FieldWriter {
  protected out: Buffer = Buffer.alloc(0);
  protected ov: DataView = new DataView(new ArrayBuffer(0));
  protected pos = 0;
  /** base-10000 digits of a numeric being encoded */
  protected readonly groups = new Int32Array(16);

  protected need(n: number): void {
    if (this.pos + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + n));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
    this.ov = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
  }

  protected uuid(iv: DataView, p: number): number {
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
  protected int64(v: number): void {
    this.pos = putInt64(this.ov, this.pos, v);
  }

  protected int(iv: DataView, p: number, n: number, k: Kind): number {
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
    if (k === K_INT64 && !Number.isSafeInteger(v)) throw bad('a bigint below 2^53', p);
    this.pos = putInteger(this.ov, this.pos, k, v);
    return q;
  }

  /**
   * `-?digits[.digits]` -> numeric's send format: int16 ndigits, int16 weight, uint16 sign, uint16 dscale,
   * then base-10000 digits (groups aligned on the decimal point, leading and trailing zero groups dropped;
   * weight: the power of 10000 of the first group). dscale: the digits after the point, as written.
   */
  protected numeric(iv: DataView, p: number, n: number): number {
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
