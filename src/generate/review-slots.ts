/**
 * Which orders get a review, and when (shop_review): each order is reviewed at most once. The orders of hour s
 * have R_s review candidates (scenario review_rate of them, a keyed rounding), the first R_s ranks of a keyed
 * permutation of the hour's orders; the candidates are split evenly over the delays review_delay_hours, rank
 * order, so the reviews of hour h are, for each delay dl, a run of ranks of hour h - dl: O(delays) to count an
 * hour's reviews (plan.ts) and to find review k of an hour (reviews.ts), no per-order scan. A candidate that is
 * not paid in the end (abandoned, failed, out of stock) is not reviewed, so review_rate is the share of paid
 * orders reviewed.
 */
import { at } from '../at.js';
import { K, permuteBelow, rowKey, unit } from './keyed.js';

interface ReviewInputs {
  /** review candidates among the orders of each hour (reviewCandidates) */
  candidates: Int32Array;
  delay: { min: number; max: number };
}

/** Review candidates among the orders of each hour: scenario review_rate of them, a keyed rounding. */
export function reviewCandidates(seed: number, orders: Int32Array, reviewRate: number): Int32Array {
  return Int32Array.from(orders, (n, s) => {
    const x = reviewRate * n;
    const whole = Math.floor(x);
    return Math.min(n, whole + (unit(rowKey(seed, K.plan, 9, s), 2) < x - whole ? 1 : 0));
  });
}

/** The first rank of the candidates of hour s reviewed dl hours later (the next delay's first is the end). */
export function firstRank(p: ReviewInputs, s: number, dl: number): number {
  const span = p.delay.max - p.delay.min + 1;
  return Math.floor(((dl - p.delay.min) * at(p.candidates, s)) / span);
}

/** Reviews in hour h: for each delay, the ranks of hour h - delay that fall due then (hours before 0: none). */
export function reviewsIn(p: ReviewInputs, h: number, each?: (dl: number, count: number) => void): number {
  let sum = 0;
  const span = p.delay.max - p.delay.min + 1;
  for (let dl = p.delay.min; dl <= Math.min(p.delay.max, h); dl++) {
    const c = at(p.candidates, h - dl);
    const j = dl - p.delay.min;
    const count = Math.floor(((j + 1) * c) / span) - Math.floor((j * c) / span);
    each?.(dl, count);
    sum += count;
  }
  return sum;
}

/** Rank r's order index among the n orders of hour s: a keyed bijection of [0, n). */
export function rankedOrder(seed: number, s: number, r: number, n: number): number {
  return permuteBelow(rowKey(seed, K.review, -1, s), r, n);
}
