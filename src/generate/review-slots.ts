/**
 * Which orders get a review, and when (shop_review): each order is reviewed at most once. The orders of hour s
 * have R_s review candidates (scenario review_rate of them, a keyed rounding), the first R_s ranks of a keyed
 * permutation of the hour's orders; the candidates are split over the delays review_delay_hours in rank order,
 * each delay's share the scenario rhythm of the UTC hour of day it falls in (people write reviews when they are
 * awake, as they shop), so the reviews of hour h are, for each delay dl, a run of ranks of hour h - dl: O(delays)
 * to count an hour's reviews (plan.ts) and to find review k of an hour (reviews.ts), no per-order scan. A
 * candidate that is not paid in the end (abandoned, failed, out of stock) is not reviewed, so review_rate is the
 * share of paid orders reviewed.
 */
import { at } from '../at.js';
import type { Scenario } from '../scenario/types.js';
import { K, permuteBelow, rowKey, unit } from './keyed.js';

export interface ReviewSlots {
  /** review candidates among the orders of each hour (reviewCandidates) */
  candidates: Int32Array;
  delay: { min: number; max: number };
  /** UTC hour of day of hour 0 */
  hod0: number;
  /** the rhythm's weights, integers (hundredths), summed: along[a * 25 + r] = w(a) + ... + w(a + r - 1), mod 24 */
  along: Float64Array;
  /** the weights of a whole day */
  day: number;
}

/**
 * The review slot inputs of a scenario. Integer weights keep the split exact while a sum of weights (at most
 * 8,760 hours x 10,000) times an hour's candidates stays below 2^53 (up to ~10^8 candidates an hour at the
 * longest delays); beyond, a rank may move by one, but the split stays monotone and its ends exact (firstRank),
 * so every candidate still falls due once.
 */
export function reviewSlots(s: Scenario, candidates: Int32Array): ReviewSlots {
  const w = s.rhythm.map((r) => Math.round(r * 100));
  const along = new Float64Array(24 * 25);
  for (let a = 0; a < 24; a++) {
    for (let r = 0; r < 24; r++) along[a * 25 + r + 1] = at(along, a * 25 + r) + at(w, (a + r) % 24);
  }
  return {
    candidates,
    delay: s.distributions.reviewDelayHours,
    hod0: new Date(s.start).getUTCHours(),
    along,
    day: at(along, 24),
  };
}

/** Review candidates among the orders of each hour: scenario review_rate of them, a keyed rounding. */
export function reviewCandidates(seed: number, orders: Int32Array, reviewRate: number): Int32Array {
  return Int32Array.from(orders, (n, s) => {
    const x = reviewRate * n;
    const whole = Math.floor(x);
    return Math.min(n, whole + (unit(rowKey(seed, K.plan, 9, s), 2) < x - whole ? 1 : 0));
  });
}

/** The weight of the first j delays of hour s's candidates: the rhythm of the hours s + min ... s + min + j - 1. */
function weightBefore(p: ReviewSlots, s: number, j: number): number {
  const a = (p.hod0 + s + p.delay.min) % 24;
  return Math.floor(j / 24) * p.day + at(p.along, a * 25 + (j % 24));
}

/** The first rank of the candidates of hour s reviewed dl hours later (the next delay's first is the end). */
export function firstRank(p: ReviewSlots, s: number, dl: number): number {
  const span = p.delay.max - p.delay.min + 1;
  const j = dl - p.delay.min;
  const c = at(p.candidates, s);
  // the ends exact whatever the rounding between them: the last delay's run ends at the last candidate
  if (j >= span) return c;
  if (j <= 0) return 0;
  const all = weightBefore(p, s, span);
  // every hour the delays reach at rhythm 0: an even split
  if (all === 0) return Math.floor((j * c) / span);
  return Math.floor((weightBefore(p, s, j) * c) / all);
}

/** Reviews in hour h: for each delay, the ranks of hour h - delay that fall due then (hours before 0: none). */
export function reviewsIn(p: ReviewSlots, h: number, each?: (dl: number, count: number) => void): number {
  let sum = 0;
  for (let dl = p.delay.min; dl <= Math.min(p.delay.max, h); dl++) {
    const count = firstRank(p, h - dl, dl + 1) - firstRank(p, h - dl, dl);
    each?.(dl, count);
    sum += count;
  }
  return sum;
}

/** Rank r's order index among the n orders of hour s: a keyed bijection of [0, n). */
export function rankedOrder(seed: number, s: number, r: number, n: number): number {
  return permuteBelow(rowKey(seed, K.review, -1, s), r, n);
}
