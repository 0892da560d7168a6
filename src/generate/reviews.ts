/** shop_review: reviews of paid orders some hours earlier; reviewAt is shared with the registry and metrics. */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import type { Ctx } from './context.js';
import { shopReviewExtra } from './extras.js';
import { below, between, field, K, rowKey } from './keyed.js';
import { Order, orderAt, PAID } from './orders.js';
import type { Plan } from './plan.js';
import { reviewText } from './text.js';

export interface Review {
  /** the reviewed item of the order */
  item: number;
  rating: number;
  time: number;
}

/** Review k of hour h: the paid order it is about (left in `o`), or null when none was found (deterministically). */
export function reviewAt(plan: Plan, h: number, k: number, o: Order): Review | null {
  const d = plan.scenario.distributions;
  const key = rowKey(plan.seed, K.review, h, k);
  const maxDelay = Math.min(d.reviewDelayHours.max, h);
  if (maxDelay < d.reviewDelayHours.min) return null;
  const delay = between(key, 1, d.reviewDelayHours.min, maxDelay);
  const oh = h - delay;
  const n = at(plan.orders, oh);
  if (n === 0) return null;
  const j0 = below(key, 2, n);
  // probe forward to a paid order (after the stock pass; one refunded or returned later may be reviewed too:
  // buyers review what they send back); abandoned and failed orders get no review
  for (let t = 0; t < 16; t++) {
    orderAt(plan, oh, (j0 + t) % n, o);
    if (o.status === PAID && o.itemCount > 0) {
      const r = field(key, 3) % 100;
      const rating = r < 55 ? 5 : r < 80 ? 4 : r < 90 ? 3 : r < 95 ? 2 : 1;
      return {
        item: below(key, 4, o.itemCount),
        rating,
        time: plan.start + h * HOUR_MS + below(key, 5, HOUR_MS),
      };
    }
  }
  return null;
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
    reviewText(ctx, h, k, r.rating, o.product(r.item), o.shop).comma();
    ctx.tail(r.time, r.time, shopReviewExtra(key, r.rating));
    if (w.full) yield w.take();
  }
}
