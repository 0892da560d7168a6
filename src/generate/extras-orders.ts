/**
 * extra_data of the order tables (issue 8 §5): orders (channel, device, campaign, coupon), payment attempts
 * (gateway, ISO 8583 response code agreeing with the failure reason, 3-D Secure, risk level), invoices (tax
 * scheme, country and rate of the sale: domestic, EU OSS or export; terms), invoice payments (settlement batch), inventory movements (warehouse, reason).
 */

import { at } from '../at.js';
import { domesticRates, EU_VAT_AREA, VAT } from '../model/tax.js';
import {
  campaigns,
  HUMANS,
  REFERRER_COUNT,
  type Referrer,
  referrersIn,
  sessionKey,
  userProfile,
} from './clients.js';
import { jsonbText, jsonPool } from './context.js';
import { csvField } from './csv-writer.js';
import {
  cross,
  GATEWAYS,
  pickIn,
  shopCountry,
  shopGateway,
  shopTaxRegion,
  userCountry,
  userReferrer,
  X,
} from './extras.js';
import { field, K, rowKey } from './keyed.js';
import { FAILURE_REASONS, type Order } from './order-draw.js';
import { perPlan } from './per-plan.js';
import type { Plan } from './plan-type.js';
import { mod } from './pool-index.js';
import { COUNTRY_CODES } from './pools.js';

// ---- per-row templates: a jsonb field with one "@@" slot, filled with ascii into a scratch buffer ----

interface Template {
  pre: Uint8Array;
  post: Uint8Array;
}
const SLOT = '@@';
function template(o: object): Template {
  const b = Buffer.from(csvField(jsonbText(o)));
  const i = b.indexOf(SLOT);
  if (i < 0) throw new Error('internal: template without a slot');
  return { pre: b.subarray(0, i), post: b.subarray(i + SLOT.length) };
}
const scratch = Buffer.alloc(1024);
/** a view of the scratch per length, made once (no view per row) */
const views: Uint8Array[] = [];
let fillPos = 0;
const fillBytes = (b: Uint8Array): void => {
  scratch.set(b, fillPos);
  fillPos += b.length;
};
function fillUint(n: number, width = 1): void {
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  for (let i = digits; i < width; i++) scratch[fillPos++] = 48;
  for (let i = digits - 1, v = n; i >= 0; i--, v = Math.floor(v / 10)) scratch[fillPos + i] = 48 + (v % 10);
  fillPos += digits;
}
function filled(): Uint8Array {
  let v = views[fillPos];
  if (!v) {
    v = scratch.subarray(0, fillPos);
    views[fillPos] = v;
  }
  return v;
}

// ---- orders ----

/** campaign tags of a session's referrer: [source, medium, campaign]; null: direct traffic (no tags) */
const utmOf = (r: Referrer): [string, string, string | null] | null => {
  if (r.referrer === null) return null;
  const medium: Record<string, string> = {
    google: r.campaign ? 'cpc' : 'organic',
    bing: 'organic',
    instagram: 'social',
    facebook: 'social',
    newsletter: 'email',
    tiktok: 'paid_social',
  };
  return [r.referrer, medium[r.referrer] ?? 'referral', r.campaign ?? null];
};
/** the order's client (HUMANS) and referrer, by index client * REFERRER_COUNT + referrer */
const orderObject = ([c, r]: [(typeof HUMANS)[number], Referrer]): Record<string, unknown> => {
  const utm = utmOf(r);
  return {
    channel: c.channel,
    device: c.device,
    utm_source: utm?.[0] ?? null,
    utm_medium: utm?.[1] ?? null,
    utm_campaign: utm?.[2] ?? null,
  };
};
/** the order extra pools of these (client, referrer) pairs */
function orderPools(sessions: [(typeof HUMANS)[number], Referrer][]) {
  return {
    plain: jsonPool(sessions.map(orderObject)),
    outOfStock: jsonPool(sessions.map((cr) => ({ ...orderObject(cr), reason: 'out_of_stock' }))),
    coupon: sessions.map((cr) => template({ ...orderObject(cr), coupon_code: SLOT })),
    outOfStockCoupon: sessions.map((cr) =>
      template({ ...orderObject(cr), coupon_code: SLOT, reason: 'out_of_stock' }),
    ),
  };
}
type OrderPools = ReturnType<typeof orderPools>;
/** outside events: every (client, referrer) pair, index client * REFERRER_COUNT + referrer */
const BASE_POOLS = orderPools(cross(HUMANS, referrersIn(null)));
/** the referrers whose campaign is the running event's (the newsletter, the stories) */
const EVENT_REFERRERS = referrersIn(null).flatMap((r, i) => (r.byEvent ? [i] : []));
/** slot k of a referrer among EVENT_REFERRERS, -1 for the others */
const EVENT_SLOT = Int8Array.from({ length: REFERRER_COUNT }, (_, i) => EVENT_REFERRERS.indexOf(i));
/**
 * per plan, per campaign (clients.ts campaigns; 0, no event, has none): the pools of the event referrers only,
 * index client * EVENT_REFERRERS.length + slot (3 of the 17 referrers: about a sixth of the base pools, 0.2 MB an
 * event, estimated; freed with the plan)
 */
const eventPools = perPlan((plan: Plan): (OrderPools | undefined)[] =>
  campaigns(plan).tags.map((tag) => {
    if (tag === null) return undefined;
    const refs = referrersIn(tag);
    return orderPools(
      cross(
        HUMANS,
        EVENT_REFERRERS.map((i) => at(refs, i)),
      ),
    );
  }),
);

/**
 * extra_data of order o: channel, device and campaign tags (null for direct traffic) of the buying session that
 * placed it (request_response_log shows the same client and referrer); with a promotion, the coupon code typed
 * (the promotion's code, as shop_promotion.code); a cart that did not convert for lack of stock says so (reason
 * out_of_stock).
 */
export function shopOrderExtra(plan: Plan, o: Order, outOfStock = false): Uint8Array {
  const client = mod(userProfile(plan, o.user), HUMANS.length);
  const referrer = mod(userReferrer(plan, sessionKey(plan, o.hour, o.index), o.user), REFERRER_COUNT);
  let r = client * REFERRER_COUNT + referrer;
  let pools = BASE_POOLS;
  const slot = at(EVENT_SLOT, referrer);
  if (slot >= 0) {
    const c = campaigns(plan);
    const event = eventPools(plan)[at(c.byHour, o.hour)];
    if (event !== undefined) {
      pools = event;
      r = client * EVENT_REFERRERS.length + slot;
    }
  }
  const promotion = o.promotion;
  if (promotion < 0) return pickIn(outOfStock ? pools.outOfStock : pools.plain, r);
  const t = pickIn(outOfStock ? pools.outOfStockCoupon : pools.coupon, r);
  // the code shops.ts writes for promotion i: PROMO<i>X<keyed 0-999>
  fillPos = 0;
  fillBytes(t.pre);
  fillBytes(PROMO);
  fillUint(promotion);
  scratch[fillPos++] = 88; // X
  fillUint(field(rowKey(plan.seed, K.promotion, 0, promotion), 6) % 1000);
  fillBytes(t.post);
  return filled();
}
const PROMO = Buffer.from('PROMO');

// ---- payment attempts ----

/** ISO 8583 response codes of the failure reasons (unknown reasons: 05, do not honor) */
const RESPONSE_CODE: Record<string, string> = {
  card_declined: '05',
  do_not_honor: '05',
  insufficient_funds: '51',
  expired_card: '54',
  processing_error: '96',
  issuer_unavailable: '91',
  incorrect_cvc: '82',
  suspected_fraud: '59',
  lost_card: '41',
  stolen_card: '43',
  invalid_account: '14',
  limit_exceeded: '61',
};
const THREE_DS = [
  'authenticated',
  'authenticated',
  'frictionless',
  'frictionless',
  'frictionless',
  'not_required',
];
const RISK_OK = [
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'normal',
  'elevated',
];
const RISK_FAILED = ['normal', 'normal', 'normal', 'elevated', 'elevated', 'highest'];
const paymentPool = (code: string, risk: string[], threeDs: string[]): Uint8Array[][] =>
  GATEWAYS.map((gateway) =>
    jsonPool(
      cross(threeDs, risk).map(([three_ds, risk_level]) => ({
        gateway,
        three_ds,
        risk_level,
        response_code: code,
      })),
    ),
  );
const PAYMENT_OK = paymentPool('00', RISK_OK, THREE_DS);
/** per failure (FAILURE_REASONS order; index 0 is no failure): an expired card never reaches 3-D Secure */
const PAYMENT_FAILED = FAILURE_REASONS.map((reason) => {
  return paymentPool(
    RESPONSE_CODE[reason] ?? '05',
    RISK_FAILED,
    reason === 'expired_card' ? ['not_attempted'] : [...THREE_DS, 'failed'],
  );
});
const REFUND = GATEWAYS.map((gateway) =>
  jsonPool(
    ['requested_by_customer', 'requested_by_customer', 'item_not_received', 'defective'].map((r) => ({
      gateway,
      refund_reason: r,
      response_code: '00',
    })),
  ),
);
const RETURN = GATEWAYS.map((gateway) =>
  jsonPool(
    ['size_or_fit', 'changed_mind', 'defective', 'not_as_described'].map((r) => ({
      gateway,
      return_reason: r,
      response_code: '00',
    })),
  ),
);

/**
 * extra_data of payment attempt `attempt` of the order with row key `key` at shop s: the shop's gateway,
 * the response code of the outcome (failure: index into FAILURE_REASONS, -1 when it succeeded), 3-D Secure result
 * and risk level; refund and return rows (kind) carry their reason instead.
 */
export function shopOrderPaymentExtra(
  plan: Plan,
  s: number,
  key: number,
  attempt: number,
  failure: number,
  kind: 'attempt' | 'refund' | 'return' = 'attempt',
): Uint8Array {
  const g = shopGateway(plan, s);
  const r = field(rowKey(key, K.text, X.payment, attempt), 1);
  if (kind === 'refund') return pickIn(pickIn(REFUND, g), r);
  if (kind === 'return') return pickIn(pickIn(RETURN, g), r);
  const pools = failure < 0 ? PAYMENT_OK : pickIn(PAYMENT_FAILED, failure);
  return pickIn(pickIn(pools, g), r);
}

// ---- invoices and their payments ----

/**
 * Payment terms: an order is paid by its buyer at checkout and its invoice paid when issued, so due on receipt;
 * net_15/net_30 belong to invoiced business buyers, whom the scenarios do not have.
 */
const TERMS = { payment_terms: 'due_on_receipt', due_days: 0 };
/** the tax of a sale inside the buyer's country: the shop's state or province rate (US, CA), else its VAT */
const INVOICE_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool(
    domesticRates(cc).map(([region, rate]) => ({
      tax_scheme: 'domestic',
      tax_country: cc,
      ...(region ? { tax_region: region } : {}),
      tax_rate: rate,
      tax_included: region === null,
      ...TERMS,
    })),
  ),
);
/** the tax of a sale abroad: inside the EU, OSS at the buyer's country's VAT (by the buyer's country) */
const OSS_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool([{ tax_scheme: 'oss', tax_country: cc, tax_rate: VAT[cc] ?? 0, tax_included: true, ...TERMS }]),
);
/** ... else a zero-rated export (by the shop's country) */
const EXPORT_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool([{ tax_scheme: 'export', tax_country: cc, tax_rate: 0, tax_included: false, ...TERMS }]),
);
const IN_EU = COUNTRY_CODES.map((cc) => EU_VAT_AREA.includes(cc));

/**
 * extra_data of the invoice of an order at shop s by buyer u: at home the tax of the shop's country (and of its
 * region, which the shop's key picks), abroad OSS inside the EU, else a zero-rated export
 */
export function invoiceExtra(plan: Plan, s: number, u: number): Uint8Array {
  const c = shopCountry(plan, s);
  const b = userCountry(plan, u);
  if (COUNTRY_CODES[b] !== COUNTRY_CODES[c]) {
    return pickIn(IN_EU[b] && IN_EU[c] ? pickIn(OSS_EXTRA, b) : pickIn(EXPORT_EXTRA, c), 0);
  }
  return pickIn(pickIn(INVOICE_EXTRA, c), shopTaxRegion(plan, s));
}

const SETTLEMENT = GATEWAYS.map((gateway) => template({ gateway, settlement_batch: SLOT }));
const ymd = new Int32Array(3);
let memoDay = Number.NaN;
let memoDate = 0;
/** extra_data of an invoice payment at time t of shop s: the gateway's settlement batch, next day, by batch */
export function invoicePaymentExtra(plan: Plan, s: number, t: number): Uint8Array {
  const g = shopGateway(plan, s);
  const day = Math.floor(t / 86_400_000) + 1;
  if (day !== memoDay) {
    const d = new Date(day * 86_400_000);
    ymd[0] = d.getUTCFullYear();
    ymd[1] = d.getUTCMonth() + 1;
    ymd[2] = d.getUTCDate();
    memoDay = day;
    memoDate = (ymd[0] ?? 0) * 10_000 + (ymd[1] ?? 0) * 100 + (ymd[2] ?? 0);
  }
  const t0 = pickIn(SETTLEMENT, g);
  fillPos = 0;
  fillBytes(t0.pre);
  fillUint(memoDate, 8);
  scratch[fillPos++] = 45; // -
  // merchants settle in a few batches a day, by account
  fillUint(1 + (field(rowKey(plan.seed, K.text, X.invoice, s), 3) % 4), 2);
  fillBytes(t0.post);
  return filled();
}

// ---- inventory movements ----

const WAREHOUSES = 3;
const warehouse = (cc: string, i: number): string => `wh-${cc.toLowerCase()}-${i + 1}`;
const SALE_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool([0, 1, 2].map((i) => ({ reason: 'customer_order', warehouse: warehouse(cc, i) }))),
);
// a restock arrives restock_lead_hours after the sale that triggered it: its lead is in the rows' times, not
// claimed here (a fixed supplier_lead_days of 7 contradicted restocks arriving hours later)
const RESTOCK_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool(
    cross([0, 1, 2], ['purchase_order', 'purchase_order', 'purchase_order', 'transfer_in']).map(([i, r]) => ({
      reason: r,
      warehouse: warehouse(cc, i),
    })),
  ),
);
const RETURN_EXTRA = COUNTRY_CODES.map((cc) =>
  jsonPool(
    cross([0, 1, 2], ['resellable', 'resellable', 'resellable', 'open_box', 'damaged']).map(([i, c]) => ({
      reason: 'customer_return',
      condition: c,
      warehouse: warehouse(cc, i),
    })),
  ),
);
/** extra_data of a stock movement of shop s (key: the row's order key, i: the item): warehouse and reason */
export function shopInventoryLogExtra(
  plan: Plan,
  s: number,
  key: number,
  i: number,
  kind: 'sale' | 'restock' | 'return',
): Uint8Array {
  // a shop ships from one warehouse of its country (restocks may land in another)
  const c = shopCountry(plan, s);
  const wh = field(rowKey(plan.seed, K.text, X.inventory, s), 1) % WAREHOUSES;
  if (kind === 'sale') return pickIn(pickIn(SALE_EXTRA, c), wh);
  const r = field(rowKey(key, K.text, X.inventory, i), 2);
  const pool = pickIn(kind === 'restock' ? RESTOCK_EXTRA : RETURN_EXTRA, c);
  return pickIn(pool, wh * (pool.length / WAREHOUSES) + (r % (pool.length / WAREHOUSES)));
}
