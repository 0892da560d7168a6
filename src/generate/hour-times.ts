/**
 * When in its hour things fall (issue 8 §3: traffic behaves like a real shop platform's).
 *
 * Orders (orderTime). An hour's n orders were spread evenly, order j at (j + u) / n of the hour: every minute of
 * an hour held the same count to one order, and the rate changed in steps at each hour's start. Now the hour is
 * cut in halves, 12 times (4,096 slices of ~0.88 s), and each cut splits the orders of its part by a keyed
 * binomial draw: the counts of a Poisson process given the hour's total, so minutes vary as they do in a shop (a
 * peak hour's 250 a minute by about +-16). The chance of each half follows the rhythm drawn as a line through the
 * hours' middles (rhythm[h - 1] at the hour's start side, rhythm[h + 1] at its end side): an evening ramp rises
 * within its hours instead of by steps; an event's multiplier stays a step at the hour it starts (a launch at
 * midnight). Within a slice the orders are spread evenly. Index order stays time order (the stock pass and live
 * mode replay an hour's orders by index).
 *
 * An hour's slice counts are tabled once (at most 4,095 draws, fewer for a quiet hour) and kept per plan in 32
 * slots by hour (h mod 32: 16 kB each); an order's time is a binary search in them.
 *
 * Everything else that arrives at a keyed time of its hour (sign-ups, new shops and products, browsing sessions
 * and bots: timeInHour) falls by the same line, one keyed uniform through its inverse.
 */
import { HOUR_MS } from '../time-units.js';
import { K, normal, rowKey, unit } from './keyed.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';

const DEPTH = 12;
const SLICES = 1 << DEPTH;
/** below this many orders a cut draws the binomial exactly (inversion), above it by its normal approximation */
const EXACT = 48;
const CACHED = 32;

/** per plan: slot e holds hour hours[e]'s prefix counts of its slices (SLICES + 1), -1 while none */
const slotsOf = perPlan(() => ({
  hours: new Int32Array(CACHED).fill(-1),
  starts: Array.from({ length: CACHED }, () => new Int32Array(SLICES + 1)),
}));

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

/**
 * The y >= 0 where v0 y + k y^2 / 2 = m (a half hour's mass from its start: density v0 there, slope k), in the
 * form that keeps its precision when k is small against v0; 0 when the half has no mass.
 */
function solveHalf(v0: number, k: number, m: number): number {
  const d = v0 + Math.sqrt(Math.max(0, v0 * v0 + 2 * k * m));
  return d > 0 ? (2 * m) / d : 0;
}

/**
 * A point of window hour h, ms from its start in [0, HOUR_MS), for a keyed uniform u in [0, 1): the x where
 * the rhythm's line (rampIntegral) has a u share of the hour's mass. No allocation: the arrivals' lifecycle
 * lookups call it per order and session.
 */
export function timeInHour(plan: Plan, h: number, u: number): number {
  const lines = linesOf(plan);
  const i = lineAt(plan, h);
  const a = lines[i] ?? 1;
  const b = lines[i + 1] ?? 1;
  const c = lines[i + 2] ?? 1;
  const half = lines[i + 3] ?? 0;
  const total = lines[i + 4] ?? 0;
  let x = u;
  if (total > 0) {
    const m = u * total;
    x = m <= half ? solveHalf((a + b) / 2, b - a, m) : 0.5 + solveHalf(b, c - b, m - half);
  }
  return Math.min(HOUR_MS - 1, Math.max(0, Math.floor(x * HOUR_MS)));
}

/**
 * Per UTC hour of day (LINE numbers each): the rhythm's line around it, rhythm[hod - 1], rhythm[hod] and
 * rhythm[hod + 1] (never negative), its mass over the first half and over the whole hour (rampIntegral).
 */
const LINE = 5;
const linesOf = perPlan((plan: Plan): Float64Array => {
  const rhythm = plan.scenario.rhythm;
  const r = (k: number) => Math.max(0, rhythm[(k + 24) % 24] ?? 1);
  const out = new Float64Array(24 * LINE);
  for (let hod = 0; hod < 24; hod++) {
    const a = r(hod - 1);
    const b = r(hod);
    const c = r(hod + 1);
    out.set([a, b, c, rampIntegral(a, b, c, 0.5), rampIntegral(a, b, c, 1)], hod * LINE);
  }
  return out;
});

/** index into linesOf of window hour h (the window starts on a whole UTC hour) */
const lineAt = (plan: Plan, h: number): number =>
  ((((Math.floor(plan.start / HOUR_MS) + h) % 24) + 24) % 24) * LINE;

/** fill starts[0..SLICES] with the first order index of each slice of window hour h (starts[SLICES] = n) */
function table(plan: Plan, h: number, starts: Int32Array): void {
  const n = plan.orders[h] ?? 0;
  const lines = linesOf(plan);
  const l = lineAt(plan, h);
  const a = lines[l] ?? 1;
  const b = lines[l + 1] ?? 1;
  const c = lines[l + 2] ?? 1;
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
  const slots = slotsOf(plan);
  const e = h & (CACHED - 1);
  const starts = slots.starts[e] as Int32Array;
  if (slots.hours[e] !== h) {
    slots.hours[e] = -1;
    table(plan, h, starts);
    slots.hours[e] = h;
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
  return plan.start + h * HOUR_MS + Math.min(HOUR_MS - 1, Math.max(1, Math.floor(t)));
}
