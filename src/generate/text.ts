/**
 * Readable text (issue 8 §5): shop and product names that fit their department, usernames that follow the
 * person's name, review titles and bodies that agree with the rating. All picks are keyed (K.text) from the
 * pools of the seed (pools.ts): no faker call and no allocation per row.
 */
import { at } from '../at.js';
import { HOUR_MS } from '../time-units.js';
import type { Ctx } from './context.js';
import type { CsvWriter } from './csv-writer.js';
import { field, K, permuteBelow, rowKey, unit } from './keyed.js';
import { productOrdinal } from './plan-lookup.js';
import type { Plan } from './plan-type.js';
import { mod } from './pool-index.js';
import { type Pools, PRODUCT_NAMES, type ProductText, type ShopText } from './pools.js';
import {
  REVIEW_AFTER_REFUND,
  REVIEW_CLOSERS,
  REVIEW_DELIVERY,
  REVIEW_DETAILS,
  REVIEW_MIN_HOURS,
  REVIEW_OPENERS,
  REVIEW_TITLE_ENDS,
  REVIEW_TITLES,
} from './review-vocab.js';

/** K.text sub-namespaces (the `hi` word of the text keys); extras.ts uses 16 and up */
const T = { shop: 1, product: 2, review: 3, user: 4, productName: 5 } as const;

/** share of a shop's products in the shop's own department (the rest: marketplaces sell a bit of anything) */
const OWN_DEPT = 0.85;

function pickIn<T>(xs: readonly T[], r: number): T {
  const v = xs[mod(r, xs.length)];
  if (v === undefined) throw new Error('internal: pick from an empty text pool');
  return v;
}

/** department of shop s */
export function shopDept(plan: Plan, pools: Pools, s: number): number {
  return pools.deptByByte[field(rowKey(plan.seed, K.text, T.shop, s), 1) & 255] ?? 0;
}

/** name and category of shop s: a name that fits the shop's department */
export function shopText(ctx: Ctx, s: number): ShopText {
  const { plan, pools } = ctx;
  const dept = shopDept(plan, pools, s);
  return pickIn(pickIn(pools.shopTexts, dept), field(rowKey(plan.seed, K.text, T.shop, s), 2));
}

/**
 * name and category of product p of shop s, picked together: mostly the shop's department, and a name made
 * of that department's words. Extras (attributes, item variants) follow the same entry.
 */
export function productText(ctx: Ctx, p: number, s: number): ProductText {
  return productTextOf(ctx.plan, ctx.pools, p, s);
}

export function productTextOf(plan: Plan, pools: Pools, p: number, s: number): ProductText {
  const key = rowKey(plan.seed, K.text, T.product, p);
  const dept =
    unit(key, 1) < OWN_DEPT ? shopDept(plan, pools, s) : (pools.deptByByte[field(key, 2) & 255] ?? 0);
  // the shop's i-th product takes entry i of a keyed order of the names: distinct names in a shop (up to
  // PRODUCT_NAMES products; then the order starts again, another one)
  const i = productOrdinal(plan, p, s);
  const round = Math.floor(i / PRODUCT_NAMES);
  const order = rowKey(rowKey(plan.seed, K.text, T.productName, s), K.text, T.productName, round);
  const entry = permuteBelow(order, i % PRODUCT_NAMES, PRODUCT_NAMES);
  return pickIn(pickIn(pools.productTexts, dept), entry);
}

/**
 * The username of user u, from the slugs of first name fi and last name li: first.last, firstlast, f_last,
 * first_last, lastfirst, first, firstl, each followed by the user number. Names are letters only, so the
 * trailing digits are exactly u: unique by construction.
 */
export function username(ctx: Ctx, u: number, fi: number, li: number): CsvWriter {
  const { pools, w } = ctx;
  // fi and li index the name pools (users.ts reduced them): read directly
  const first = at(pools.firstNameSlugs, fi);
  const last = at(pools.lastNameSlugs, li);
  const initial = at(pools.firstInitials, fi);
  const lastInitial = at(pools.lastInitials, li);
  switch (field(rowKey(ctx.plan.seed, K.text, T.user, u), 1) % 8) {
    case 0:
    case 1:
      w.bytes(first).ascii('.').bytes(last);
      break;
    case 2:
      w.bytes(first).bytes(last);
      break;
    case 3:
      w.bytes(initial).ascii('_').bytes(last);
      break;
    case 4:
      w.bytes(first).ascii('_').bytes(last);
      break;
    case 5:
      w.bytes(last).bytes(first);
      break;
    case 6:
      w.bytes(first);
      break;
    default:
      w.bytes(first).bytes(lastInitial);
  }
  return w.uint(u);
}

/** A sentence with at most one `{n}` slot, encoded once: before and after the product noun. */
interface Part {
  pre: Uint8Array;
  /** null: no slot */
  post: Uint8Array | null;
  /** the part has a comma: the CSV field needs quotes */
  comma: boolean;
}

function part(s: string): Part {
  // the vocabulary has no double quotes, so only commas decide quoting (csvField's rule, asserted here)
  if (s.includes('"') || s.includes('\n')) throw new Error(`internal: review text needs escaping: ${s}`);
  const i = s.indexOf('{n}');
  return {
    pre: Buffer.from(i < 0 ? s : s.slice(0, i)),
    post: i < 0 ? null : Buffer.from(s.slice(i + 3)),
    comma: s.includes(','),
  };
}
const parts = (xs: readonly (readonly string[])[]): Part[][] => xs.map((r) => r.map(part));

/** per rating, per phrase: the least ms after its order a review may say it (0: any time; -1: after a refund) */
const whenSayable = (xs: readonly (readonly string[])[]): number[][] =>
  xs.map((r) => r.map((x) => (REVIEW_AFTER_REFUND.includes(x) ? -1 : (REVIEW_MIN_HOURS[x] ?? 0) * HOUR_MS)));
const TITLES = parts(REVIEW_TITLES);
const TITLES_WHEN = whenSayable(REVIEW_TITLES);
const OPENERS_WHEN = whenSayable(REVIEW_OPENERS);
const DELIVERY_WHEN = whenSayable(REVIEW_DELIVERY);
const TITLE_ENDS = parts(REVIEW_TITLE_ENDS);
const OPENERS = parts(REVIEW_OPENERS);
const DETAILS = parts(REVIEW_DETAILS);
const DELIVERY = parts(REVIEW_DELIVERY);
const CLOSERS = parts(REVIEW_CLOSERS);
const SPACE_PART: Part = { pre: Buffer.from(' '), post: null, comma: false };

const sayable = (when: number, afterMs: number, refunded: boolean): boolean =>
  when < 0 ? refunded : when <= afterMs;

/** the phrase of rating r's `pools` at keyed index i, or the next one a review of that time may say */
function sayableAt(
  pools: readonly (readonly Part[])[],
  when: readonly (readonly number[])[],
  r: number,
  i: number,
  afterMs: number,
  refunded: boolean,
): Part {
  const pool = at(pools, r);
  const start = mod(i, pool.length);
  for (let k = 0; k < pool.length; k++) {
    const j = (start + k) % pool.length;
    if (sayable(at(at(when, r), j), afterMs, refunded)) return at(pool, j);
  }
  throw new Error('internal: a review pool without a phrase that can always be said');
}

function writePart(w: CsvWriter, p: Part, noun: Uint8Array): void {
  w.bytes(p.pre);
  if (p.post) w.bytes(noun).bytes(p.post);
}

/** scratch of the picked parts (no array per row) */
const picked: Part[] = [];

function writeField(w: CsvWriter, n: number, noun: Uint8Array): void {
  let quote = false;
  for (let i = 0; i < n; i++) if (picked[i]?.comma) quote = true;
  if (quote) w.ascii('"');
  for (let i = 0; i < n; i++) {
    const p = picked[i];
    if (p) writePart(w, p, noun);
  }
  if (quote) w.ascii('"');
}

/**
 * title and body of review (h, k) of product p (shop s) with `rating` stars, as two CSV fields with the comma
 * between them: the title from the rating's own phrases, the body an opener naming the product, a detail, a
 * delivery remark (sometimes none) and a closer, all of that rating. ~10^4 bodies per rating. Written `afterMs`
 * after the order, whose refund or return came before it or not (`refunded`): nothing in it claims more time than
 * that (REVIEW_MIN_HOURS) or a refund that did not happen (REVIEW_AFTER_REFUND).
 */
export function reviewText(
  ctx: Ctx,
  h: number,
  k: number,
  rating: number,
  p: number,
  s: number,
  afterMs: number,
  refunded: boolean,
): CsvWriter {
  const { plan, w } = ctx;
  const key = rowKey(plan.seed, K.text, T.review, rowKey(h, K.review, 0, k));
  const r = Math.min(5, Math.max(1, rating)) - 1;
  const noun = productTextOf(plan, ctx.pools, p, s).noun;
  picked[0] = sayableAt(TITLES, TITLES_WHEN, r, field(key, 1), afterMs, refunded);
  picked[1] = pickIn(pickIn(TITLE_ENDS, r), field(key, 2));
  writeField(w, 2, noun);
  w.comma();
  picked[0] = sayableAt(OPENERS, OPENERS_WHEN, r, field(key, 3), afterMs, refunded);
  picked[1] = SPACE_PART;
  picked[2] = pickIn(pickIn(DETAILS, r), field(key, 4));
  let n = 3;
  const remarks = at(DELIVERY, r);
  const remark = mod(field(key, 5), remarks.length);
  const delivery = at(remarks, remark);
  if (delivery.pre.length > 0 && sayable(at(at(DELIVERY_WHEN, r), remark), afterMs, refunded)) {
    picked[n++] = SPACE_PART;
    picked[n++] = delivery;
  }
  picked[n++] = SPACE_PART;
  picked[n++] = pickIn(pickIn(CLOSERS, r), field(key, 6));
  writeField(w, n, noun);
  return w;
}
