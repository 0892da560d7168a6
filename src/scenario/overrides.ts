/** --hours/--scale/--seed/--start on top of a loaded scenario: same bounds as the file, messages name the flag. */
import { UserError } from '../errors.js';
import { HOUR_MS } from '../time-units.js';
import { type Bounds, describeBounds } from './fields.js';
import {
  about,
  busiestHourOver,
  iso,
  MAX_ARRIVALS_PER_HOUR,
  MAX_ENTITIES,
  oversizedEntities,
} from './limits.js';
import { MAX_HOURS, UINT32_MAX } from './scenario-schema.js';
import { show } from './time.js';
import type { Scenario, ScenarioOverrides } from './types.js';

/** The latest start a file can give (a 4-digit year); --start may not go further. */
const LATEST_START = Date.UTC(9999, 11, 31, 23);
/** the end a window may reach: its last day's partition then ends by 9999-12-31 (a 4-digit year) */
const WINDOW_END_LIMIT = Date.UTC(9999, 11, 31);

function checkFlag(flag: string, value: number, b: Bounds): number {
  const ok =
    Number.isFinite(value) &&
    (!b.integer || Number.isSafeInteger(value)) &&
    (b.min === undefined || (b.minExclusive ? value > b.min : value >= b.min)) &&
    (b.max === undefined || (b.maxExclusive ? value < b.max : value <= b.max));
  if (!ok) throw new UserError(`${flag}: ${show(value)} is not allowed; expected ${describeBounds(b)}`);
  return value;
}

/**
 * Applies --hours/--scale/--seed/--start to a loaded scenario (returns a new one). A new start moves the
 * events by the same amount, so "doorbusters in the first 3 hours" stays in the first 3 hours.
 */
export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out = structuredClone(s);
  if (o.hours !== undefined)
    out.hours = checkFlag('--hours', o.hours, { integer: true, min: 1, max: MAX_HOURS });
  if (o.scale !== undefined) {
    out.scale = checkFlag('--scale', o.scale, { min: 0, minExclusive: true, max: 1000 });
  }
  if (o.seed !== undefined)
    out.seed = checkFlag('--seed', o.seed, { integer: true, min: 0, max: UINT32_MAX });
  if (o.start !== undefined) {
    // Date can only show |ms| <= 8.64e15; beyond that print the number itself.
    const at = Math.abs(o.start) <= 8.64e15 ? iso(Math.trunc(o.start)) : show(o.start);
    const shown = o.startFrom === undefined ? at : `${o.startFrom} (${at})`;
    if (!Number.isSafeInteger(o.start) || o.start < 0 || o.start % HOUR_MS !== 0) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time like 2026-11-27T00:00:00Z`,
      );
    }
    // A later start would put the window (and its timestamps) past what a Date, and a file, can hold.
    if (o.start > LATEST_START) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time up to ${iso(LATEST_START)}`,
      );
    }
    const shift = o.start - s.start;
    out.start = o.start;
    if (o.startFrom !== undefined) out.startFrom = o.startFrom;
    out.events = out.events.map((e) => ({ ...e, start: e.start + shift }));
  }
  // past it, partition names and timestamps take a fifth digit of year: the CSV files were written with broken
  // timestamps, and a bound of 10000-01-01 is not a timestamp PostgreSQL reads (a file's window too)
  if (out.start + out.hours * HOUR_MS > WINDOW_END_LIMIT) {
    const flag = o.hours !== undefined ? '--hours' : o.start !== undefined ? '--start' : `scenario ${s.name}`;
    const value = o.hours !== undefined ? String(out.hours) : iso(out.start);
    const room = Math.max(0, (WINDOW_END_LIMIT - out.start) / HOUR_MS);
    throw new UserError(
      `${flag}: ${value} is not allowed: the window from ${iso(out.start)} for ${out.hours} hours ends after ${iso(WINDOW_END_LIMIT)}, where the partitions' bounds run out of 4-digit years; expected a window that ends by then${room > 0 ? ` (at most ${room === 1 ? '1 hour' : `${room} hours`} from this start)` : ''}`,
    );
  }
  // A larger scale (or a window moved or stretched onto busier hours) can overflow the plan's hourly counts.
  const over = busiestHourOver(out);
  if (over) {
    const [flag, value] =
      o.scale !== undefined || (o.hours === undefined && o.start === undefined)
        ? ['--scale', String(out.scale)]
        : o.hours !== undefined
          ? ['--hours', String(out.hours)]
          : [
              '--start',
              out.startFrom === undefined ? iso(out.start) : `${out.startFrom} (${iso(out.start)})`,
            ];
    throw new UserError(
      `${flag}: ${value} is not allowed; expected a value at which rates.${over.rate} stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals per hour (rate x scale x rhythm x events); it would reach ${Math.round(over.arrivals)} at ${iso(over.at)}`,
    );
  }
  const big = oversizedEntities(out);
  if (big) {
    const flag =
      o.hours !== undefined && o.scale === undefined ? `--hours: ${out.hours}` : `--scale: ${out.scale}`;
    throw new UserError(
      `${flag}: ${big.what} would reach ${about(big.n)}; expected at most ${MAX_ENTITIES.toLocaleString('en-US')} (lower --scale, --hours or the population in ${s.file})`,
    );
  }
  return out;
}
