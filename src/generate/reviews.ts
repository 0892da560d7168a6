/**
 * shop_review: reviews of paid orders some hours earlier, each order at most once (review-slots.ts); reviewAt is
 * shared with the registry and metrics.
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import type { Ctx } from './context.js';
import { shopReviewExtra } from './extras.js';
import { below, field, K, rowKey } from './keyed.js';
import { Order, orderAt, PAID } from './orders.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan.js';
import { firstRank, rankedOrder, reviewSlots, reviewsIn } from './review-slots.js';
import { reviewText } from './text.js';

export interface Review {
  /** the reviewed item of the order */
  item: number;
  rating: number;
  time: number;
}

/** rating by a draw below 100: most reviews are 5 stars; of an order sent back, 1 or 2 (80%) */
const ratings = (shares: number[]): Uint8Array =>
  Uint8Array.from({ length: 100 }, (_, r) => {
    let sum = 0;
    for (let i = 0; i < shares.length; i++) {
      sum += at(shares, i);
      if (r < sum) return 5 - i;
    }
    return 1;
  });
const USUAL = ratings([55, 25, 10, 5, 5]);
const LOW = ratings([0, 5, 15, 30, 50]);

/** The plan's review slot inputs (review-slots.ts), once per plan. */
const slotsOf = perPlan((plan: Plan) => reviewSlots(plan.scenario, plan.reviewCandidates));

/** The hour whose delays are in `delays`/`starts`: review k is of delay delays[i] for the last starts[i] <= k. */
let memoPlan: Plan | undefined;
let memoHour = -1;
let delays: number[] = [];
let starts: number[] = [];

/** Review k of hour h: the paid order it is about (left in `o`), or null when its order was not paid. */
export function reviewAt(plan: Plan, h: number, k: number, o: Order): Review | null {
  const slots = slotsOf(plan);
  if (plan !== memoPlan || h !== memoHour) {
    delays = [];
    starts = [];
    let sum = 0;
    reviewsIn(slots, h, (dl, count) => {
      if (count === 0) return;
      delays.push(dl);
      starts.push(sum);
      sum += count;
    });
    memoPlan = plan;
    memoHour = h;
  }
  // the delay whose run holds k (binary search: largest i with starts[i] <= k)
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(starts, mid) <= k) lo = mid;
    else hi = mid - 1;
  }
  const dl = at(delays, lo);
  const oh = h - dl;
  const rank = firstRank(slots, oh, dl) + k - at(starts, lo);
  orderAt(plan, oh, rankedOrder(plan.seed, oh, rank, at(plan.orders, oh)), o);
  // abandoned and failed orders get no review; one refunded or returned later may be (buyers review what they
  // send back, and rate it low)
  if (o.status !== PAID || o.itemCount === 0) return null;
  const key = rowKey(plan.seed, K.review, h, k);
  const r = field(key, 3) % 100;
  // refunded or returned (in this window or after it: the same rating whatever the window's length): rated low
  const rating = at(o.refundTime !== 0 ? LOW : USUAL, r);
  return {
    item: below(key, 4, o.itemCount),
    rating,
    time: plan.start + h * HOUR_MS + below(key, 5, HOUR_MS),
  };
}

export function* reviews(ctx: Ctx, h: number): Generator<Buffer> {
  const { plan, w } = ctx;
  const o = new Order();
  const count = at(plan.reviews, h);
  for (let k = 0; k < count; k++) {
    const r = reviewAt(plan, h, k, o);
    if (!r) continue;
    const key = rowKey(plan.seed, K.review, h, k);
    ctx.head(K.review, h, k, r.time);
    ctx.id(K.user, 0, o.user).comma();
    ctx.id(K.shop, 0, o.shop).comma();
    ctx.id(K.product, 0, o.product(r.item)).comma();
    ctx.id(K.order, o.hour, o.index).comma();
    w.uint(r.rating).comma();
    const refunded = o.refundTime !== 0 && o.refundTime <= r.time;
    reviewText(ctx, h, k, r.rating, o.product(r.item), o.shop, r.time - o.time, refunded).comma();
    ctx.tail(r.time, r.time, shopReviewExtra(key, r.rating));
    if (w.full) yield w.take();
  }
}
