/**
 * Readers of the text forms the generator writes (Postgres's own, as `COPY ... TO` prints them), for the binary
 * COPY encoder (./binary-copy.ts): byte constants, hex digit pairs, civil dates to microseconds.
 */
export const COMMA = 44;
export const NL = 10;
export const QUOTE = 34;
export const MINUS = 45;
export const DOT = 46;
export const ZERO = 48;

/** the byte of two ASCII hex digits (read as a little-endian uint16), -1 for anything else: one lookup a byte */
export const HEX2 = new DataView(new ArrayBuffer(2 * 65536));
{
  const digit = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
  for (let i = 0; i < 65536; i++) {
    const hi = digit(i & 255);
    const lo = digit(i >>> 8);
    HEX2.setInt16(2 * i, hi < 0 || lo < 0 ? -1 : (hi << 4) | lo, true);
  }
}
export const hex2 = (iv: DataView, q: number): number => HEX2.getInt16(2 * iv.getUint16(q, true), true);
/** where the 16 bytes of a uuid's text start, pairs of hex digits (8-4-4-4-12) */
export const UUID_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** microseconds from 1970-01-01 to Postgres's epoch, 2000-01-01 */
export const PG_EPOCH_US = 946_684_800_000_000;
export const HOUR_US = 3_600_000_000;
/** 10^(6 - fraction digits): a timestamp's fraction in microseconds */
export const FRAC_SCALE = [1_000_000, 100_000, 10_000, 1000, 100, 10, 1];
export const POW10 = [1, 10, 100, 1000];

/** days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil) */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export const digit = (iv: DataView, q: number): number => iv.getUint8(q) - ZERO;

/** microseconds since 2000-01-01 of the hour `YYYY-MM-DD HH:` at p */
export function hourMicros(iv: DataView, p: number): number {
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

export function bad(what: string, at: number): Error {
  return new Error(`internal: the generated CSV does not parse as ${what} at byte ${at}`);
}
