import { UserError } from '../errors.js';

import { HOUR_MS } from '../time-units.js';

export { HOUR_MS };

const EXPECTED_TIME = 'an hour-aligned UTC time like 2026-11-27T00:00:00Z, or a date like 2026-11-27';

// Explicit grammar instead of Date.parse: Date.parse reads a time without offset as *local* time and
// silently rolls over impossible dates (2026-02-30 becomes March 2), both of which would move a window.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads an ISO date or timestamp into epoch ms. Returns the reason as `expected ...` text when it is not
 * acceptable, so callers can put it into their own one-line message (file + line, or flag).
 */
export function parseInstant(value: unknown): number | { expected: string } {
  if (value instanceof Date) {
    // Only reachable with a `%YAML 1.1` document, whose schema turns timestamps into Dates.
    const ms = value.getTime();
    if (!Number.isFinite(ms)) return { expected: EXPECTED_TIME };
    return ms % HOUR_MS === 0 ? ms : { expected: alignedHint(ms) };
  }
  if (typeof value !== 'string') return { expected: EXPECTED_TIME };
  const m = ISO.exec(value.trim());
  if (!m) return { expected: EXPECTED_TIME };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined && zone === undefined) {
    return { expected: `${EXPECTED_TIME} (a time needs an offset: add Z for UTC)` };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth)
    return { expected: EXPECTED_TIME };
  if (hour > 23 || minute > 59 || second > 59) return { expected: EXPECTED_TIME };
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return { expected: EXPECTED_TIME };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  // Partitions are hourly: a start inside an hour would split the first hour across two partitions.
  if (ms % HOUR_MS !== 0 || (frac !== undefined && /[1-9]/.test(frac))) return { expected: alignedHint(ms) };
  return ms;
}

function alignedHint(ms: number): string {
  const floor = new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString().replace('.000Z', 'Z');
  return `an hour-aligned UTC time (minutes and seconds 0), like ${floor}`;
}

/** Shows a value in a message: strings quoted, long structures cut, never more than one line. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (value instanceof Date)
    return Number.isFinite(value.getTime()) ? value.toISOString() : 'an invalid date';
  if (typeof value === 'number') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // An alias inside its own anchor (`rhythm: &r [1, *r]`) reads as a structure that contains itself.
    return 'a value that contains itself (a YAML alias inside its own anchor)';
  }
  // JSON escapes \n and \r, but not the other characters a terminal or an editor may break a line at.
  text = text.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Parses a `--start`-like value: `2026-11-27` or `2026-11-27T00:00:00Z`, hour-aligned, into epoch ms UTC.
 * `what` names the flag or field in the error.
 */
export function parseStart(iso: string, what: string): number {
  const r = parseInstant(iso);
  if (typeof r === 'number') return r;
  throw new UserError(`${what}: ${show(iso)} is not allowed; expected ${r.expected}`);
}
