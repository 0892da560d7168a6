/**
 * When in its hour things fall (issue 8 §3: traffic behaves like a real shop platform's).
 *
 * Orders (orderTime). An hour's n
 * orders were spread evenly, order j at (j + u) / n of the hour: every minute of an hour held the same count to
 * one order, and the rate changed in steps at each hour's start. Now the hour is cut in halves, 12 times
 * (4,096 slices of ~0.88 s), and each cut splits the orders of its part by a keyed binomial draw: the counts of
 * a Poisson process given the hour's total, so minutes vary as they do in a shop (a peak hour's 250 a minute
 * by about +-16). The chance of each half follows the rhythm drawn as a line through the hours' middles
 * (rhythm[h - 1] at the hour's start side, rhythm[h + 1] at its end side): an evening ramp rises within its
 * hours instead of by steps; an event's multiplier stays a step at the hour it starts (a launch at midnight).
 * Within a slice the orders are spread evenly. Index order stays time order (the stock pass and live mode
 * replay an hour's orders by index).
 *
 * An hour's slice counts are tabled once (at most 4,095 draws, fewer for a quiet hour) and kept for the last
 * 32 hours asked (16 kB each); an order's time is a binary search in them.
 *
 * Everything else that arrives at a keyed time of its hour (sign-ups, new shops and products, browsing sessions
 * and bots: timeInHour) falls by the same line, one keyed uniform through its inverse.
 */
import { HOUR_MS } from '../time-units.js';
import { K, normal, rowKey, unit } from './keyed.js';
import type { Plan } from './plan-type.js';

const DEPTH = 12;
const SLICES = 1 << DEPTH;
/** below this many orders a cut draws the binomial exactly (inversion), above it by its normal approximation */
const EXACT = 48;
const CACHED = 32;

/** the cache: per entry its plan and hour, and the prefix counts of its slices (SLICES + 1) */
const cachePlan: (Plan | undefined)[] = new Array(CACHED).fill(undefined);
const cacheHour = new Int32Array(CACHED).fill(-1);
const cacheStarts: Int32Array[] = Array.from({ length: CACHED }, () => new Int32Array(SLICES + 1));

/** keyed binomial(c, p) draw */
function binomial(key: number, c: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return c;
  if (c < EXACT) {
    const u = unit(key, 1);
    let pmf = (1 - p) ** c;
    let cdf = pmf;
    let k = 0;
    const r = p / (1 - p);
    while (cdf <= u && k < c) {
      pmf *= ((c - k) / (k + 1)) * r;
      k++;
      cdf += pmf;
    }
    return k;
  }
  const k = Math.round(c * p + Math.sqrt(c * p * (1 - p)) * normal(key, 2));
  return Math.min(c, Math.max(0, k));
}

/**
 * The rhythm's line over hour h at fraction x in [0, 1]: through rhythm[h - 1] at x = -0.5, rhythm[h] at 0.5 and
 * rhythm[h + 1] at 1.5 (UTC hours of day); integrated from 0 to x.
 */
function rampIntegral(a: number, b: number, c: number, x: number): number {
  // first half: a + (b - a)(x + 0.5) ; second half: b + (c - b)(x - 0.5)
  const first = (y: number) => (a + (b - a) * 0.5) * y + ((b - a) * y * y) / 2;
  if (x <= 0.5) return first(x);
  const d = x - 0.5;
  return first(0.5) + b * d + ((c - b) * d * d) / 2;
}

/** the rhythm's three points around window hour h: [before, at, after] (UTC hours of day), never negative */
function around(plan: Plan, h: number): [number, number, number] {
  const rhythm = plan.scenario.rhythm;
  const hod = new Date(plan.start + h * HOUR_MS).getUTCHours();
  const r = (k: number) => Math.max(0, rhythm[(k + 24) % 24] ?? 1);
  return [r(hod - 1), r(hod), r(hod + 1)];
}

/**
 * A point of window hour h, ms from its start in [0, HOUR_MS), for a keyed uniform u in [0, 1): the x where
 * the rhythm's line (rampIntegral) has a u share of the hour's mass, by solving its quadratic.
 */
export function timeInHour(plan: Plan, h: number, u: number): number {
  const [a, b, c] = around(plan, h);
  const total = rampIntegral(a, b, c, 1);
  let x = u;
  if (total > 0) {
    const m = u * total;
    const half = rampIntegral(a, b, c, 0.5);
    // each half: mass(y) = v0 y + k y^2 / 2 from its start, density v0 at its start and slope k
    const solve = (v0: number, k: number, rest: number): number =>
      Math.abs(k) < 1e-12
        ? v0 > 0
          ? rest / v0
          : 0
        : (Math.sqrt(Math.max(0, v0 * v0 + 2 * k * rest)) - v0) / k;
    x = m <= half ? solve((a + b) / 2, b - a, m) : 0.5 + solve(b, c - b, m - half);
  }
  return Math.min(HOUR_MS - 1, Math.max(0, Math.floor(x * HOUR_MS)));
}

/** fill starts[0..SLICES] with the first order index of each slice of window hour h (starts[SLICES] = n) */
function table(plan: Plan, h: number, starts: Int32Array): void {
  const n = plan.orders[h] ?? 0;
  const [a, b, c] = around(plan, h);
  const mass = (x: number) => rampIntegral(a, b, c, x);
  const flat = mass(1) <= 0;
  const base = rowKey(plan.seed, K.orderTime, h, 0);
  starts[0] = 0;
  // depth-first over the halving tree: node (level, i) holds slices [i << (DEPTH - level), (i + 1) << ...)
  const split = (level: number, i: number, first: number, count: number): void => {
    const width = 1 << (DEPTH - level);
    const lo = i * width;
    if (count === 0 || level === DEPTH) {
      for (let s = lo + 1; s <= lo + width; s++) starts[s] = first + count;
      return;
    }
    const x0 = lo / SLICES;
    const xm = (lo + width / 2) / SLICES;
    const x1 = (lo + width) / SLICES;
    const whole = mass(x1) - mass(x0);
    const p = flat || whole <= 0 ? 0.5 : (mass(xm) - mass(x0)) / whole;
    const left = binomial(rowKey(base, level, i, count), count, p);
    split(level + 1, 2 * i, first, left);
    split(level + 1, 2 * i + 1, first + left, count - left);
  };
  split(0, 0, 0, n);
}

function startsOf(plan: Plan, h: number): Int32Array {
  const e = h & (CACHED - 1);
  const starts = cacheStarts[e] as Int32Array;
  if (cachePlan[e] !== plan || cacheHour[e] !== h) {
    table(plan, h, starts);
    cachePlan[e] = plan;
    cacheHour[e] = h;
  }
  return starts;
}

/** The time of order j of window hour h (its key `key`): in its slice, spread evenly; never the hour's start. */
export function orderTime(plan: Plan, h: number, j: number, key: number): number {
  const starts = startsOf(plan, h);
  // the slice s with starts[s] <= j < starts[s + 1]
  let lo = 0;
  let hi = SLICES - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= j) lo = mid;
    else hi = mid - 1;
  }
  const first = starts[lo] as number;
  const count = (starts[lo + 1] as number) - first;
  const sliceMs = HOUR_MS / SLICES;
  const t = (lo + (j - first + unit(key, 1)) / Math.max(1, count)) * sliceMs;
  return plan.start + h * HOUR_MS + Math.max(1, Math.floor(t));
}
