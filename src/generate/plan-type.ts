/** The plan's shape, apart from buildPlan (src/generate/plan.ts), so the per-row lookups can read it without a cycle. */
import type { Scenario } from '../scenario/types.js';
import { HOUR_MS } from '../time-units.js';

export interface Plan {
  scenario: Scenario;
  seed: number;
  start: number;
  hours: number;
  uuidKeys: Uint32Array;

  /** users before the window; users [0, usersBefore[h]) exist when hour h starts */
  users0: number;
  usersBefore: Float64Array;
  shops0: number;
  shopsBefore: Float64Array;
  products0: number;
  productsBefore: Float64Array;
  promotions0: number;
  promotionsBefore: Float64Array;
  orders: Int32Array;
  reviews: Int32Array;
  /** review candidates among the orders of each hour (review-slots.ts) */
  reviewCandidates: Int32Array;

  /** owner user of each initial shop */
  shopOwner0: Int32Array;
  /** initial products of shop s are [productStart0[s], productStart0[s+1]) */
  productStart0: Float64Array;
  /** shop of each product created in the window (index p - products0) */
  windowProductShop: Int32Array;
  /** per shop (all shops), the window products, CSR: windowProducts.slice(start[s], start[s+1]) ascending */
  shopWindowProductStart: Int32Array;
  shopWindowProducts: Int32Array;
  /** promotions: shop, start, end, percent; per shop CSR lists */
  promoShop: Int32Array;
  promoStart: Float64Array;
  promoEnd: Float64Array;
  promoEventTime: Float64Array;
  promoPercent: Int32Array;
  shopPromoStart: Int32Array;
  shopPromos: Int32Array;
}

/** The end of the plan's window, epoch ms (exclusive): its start and its hours. */
export function planEnd(plan: Pick<Plan, 'start' | 'hours'>): number {
  return plan.start + plan.hours * HOUR_MS;
}
