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
  if (year < 1970) return { expected: `${EXPECTED_TIME}, from 1970-01-01 on` };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return { expected: EXPECTED_TIME };
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

const RELATIVE_FORMS = 'now (the current UTC hour), or now-72h, now-3d, now+2h (whole hours h or days d)';
/** The forms --start accepts, for its error messages. */
const START_FORMS = `an hour-aligned UTC time like 2026-11-27T00:00:00Z, a date like 2026-11-27, ${RELATIVE_FORMS}`;

/** --start as given: an instant, or an offset from the current UTC hour that is resolved once (issue 7). */
export type StartFlag =
  | { kind: 'instant'; ms: number }
  | {
      kind: 'now';
      /** as written, trimmed and lower-cased: recorded in the load ledger */
      expression: string;
      offsetHours: number;
    };

// 100 years either way is more than any window needs; the window itself must still fit 1970..9999
const MAX_OFFSET_HOURS = 876_000;
const RELATIVE = /^now(?:([+-])(\d{1,9})([hd]))?$/;

/** The offset in hours of a `now`-relative start, or null when the text is not one. */
export function relativeStartHours(value: string): number | null {
  const m = RELATIVE.exec(value.trim().toLowerCase());
  if (!m) return null;
  const [, sign, n, unit] = m;
  if (sign === undefined) return 0;
  const hours = Number(n) * (unit === 'd' ? 24 : 1);
  if (hours > MAX_OFFSET_HOURS) return null;
  return sign === '-' && hours !== 0 ? -hours : hours;
}

/**
 * Reads a `--start`-like value: an instant (see parseStart), `now`, or `now` plus or minus whole hours or days.
 * Nothing here reads the clock: a relative start is resolved by resolveStart with the time given to it.
 */
export function parseStartFlag(value: string, what: string): StartFlag {
  const hours = relativeStartHours(value);
  if (hours !== null) return { kind: 'now', expression: value.trim().toLowerCase(), offsetHours: hours };
  const r = parseInstant(value);
  if (typeof r === 'number') return { kind: 'instant', ms: r };
  // a generic miss lists every form; a near miss (10:30, no offset) keeps its precise hint
  const expected = r.expected === EXPECTED_TIME ? START_FORMS : `${r.expected}; or ${RELATIVE_FORMS}`;
  throw new UserError(`${what}: ${show(value)} is not allowed; expected ${expected}`);
}

/** The window start in epoch ms: `now` is the UTC hour that contains nowMs (10:59 -> 10:00), plus the offset. */
export function resolveStart(start: StartFlag, nowMs: number): number {
  if (start.kind === 'instant') return start.ms;
  return Math.floor(nowMs / HOUR_MS) * HOUR_MS + start.offsetHours * HOUR_MS;
}
