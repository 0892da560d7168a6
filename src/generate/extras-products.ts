/**
 * extra_data of products (attributes by category: material or feature, colours, sizes, weight, format) and of
 * order items (the variant bought, from the product's own colours and sizes; gift wrap). Both follow the
 * product's text entry (pools.ts), so the attributes agree with the name ("Merino Wool Sweater": merino wool).
 * The pools are built once per seed, lazily, per entry.
 */
import type { Ctx } from './context.js';
import { EMPTY_JSON, jsonbField } from './context.js';
import { cross, pickIn, X } from './extras.js';
import { field, K, rowKey, unit } from './keyed.js';
import type { Plan } from './plan-type.js';
import type { Pools, ProductText } from './pools.js';
import { DEPT_WORDS } from './pools.js';
import { productTextOf } from './text.js';
import { APPAREL_SIZES, COLOURS, DEPTS, SHOE_SIZES } from './text-vocab.js';

const MATERIALS = new Set(
  'Cotton|Organic Cotton|Linen|Merino Wool|Fleece|Denim|Muslin|Bamboo|Ceramic|Galvanized Steel|Cedar|Recycled Plastic|Velvet|Oak|Sterling Silver|14k Gold|Rose Gold|Pearl|Leather|Suede|Canvas|Knit|Vegan Leather|Wooden|Stainless Steel|Nylon|Foam'.split(
    '|',
  ),
);
/** departments whose products are not returnable once opened */
const FINAL_SALE = new Set(['Grocery', 'Beauty', 'Health']);

interface Entry {
  product: Uint8Array;
  /** item variants without and with gift wrap */
  items: Uint8Array[];
  wrapped: Uint8Array[];
}

function entryOf(seed: number, t: ProductText): Entry {
  const d = DEPTS[t.dept];
  const words = DEPT_WORDS[t.dept];
  if (!d || !words) throw new Error(`internal: no department ${t.dept}`);
  const key = rowKey(seed, K.text, X.product, t.dept * 4096 + t.index);
  const attrs: Record<string, unknown> = {};
  const q = words.qualifiers[t.qualifier];
  if (q) attrs[MATERIALS.has(q) ? 'material' : 'feature'] = q.toLowerCase();
  if (d.titles) {
    const name = t.name.toString();
    const noun = words.nouns.find((n) => name.endsWith(n)) ?? '';
    attrs.format = noun.replace(/[()]/g, '').toLowerCase();
  }
  const [lo, hi] = d.grams;
  attrs.weight_g = Math.round(lo + (hi - lo) * unit(key, 1) ** 2);
  attrs.returnable = !FINAL_SALE.has(d.name);
  let colours: string[] = [];
  if (d.colours) {
    const n = 1 + (field(key, 2) % 4);
    const from = field(key, 3) % COLOURS.length;
    colours = Array.from({ length: n }, (_, i) => COLOURS[(from + i * 3) % COLOURS.length] ?? 'black');
    attrs.colours = colours;
  }
  let sizes: string[] = [];
  if (d.sizing !== 'none') {
    const all = d.sizing === 'apparel' ? APPAREL_SIZES : SHOE_SIZES;
    const first = field(key, 4) % 2;
    sizes = all.slice(first, all.length - (field(key, 5) % 2));
    attrs.sizes = sizes;
  }
  return { product: jsonbField(attrs), ...variantsOf(sizes, colours) };
}

/**
 * The item variants of a product's sizes and colours, as CSV fields, without and with gift wrap. Entries share
 * them: a few hundred distinct lists among the ~3,700 entries, made of ~400 distinct fields (encoding up to 88
 * fields per entry was most of the cost of the entries, paid in shop_product's chunks).
 */
const variantLists = new Map<string, Pick<Entry, 'items' | 'wrapped'>>();
function variantsOf(sizes: string[], colours: string[]): Pick<Entry, 'items' | 'wrapped'> {
  const k = `${sizes.join(',')}|${colours.join(',')}`;
  let hit = variantLists.get(k);
  if (hit) return hit;
  const variants: [string?, string?][] =
    sizes.length > 0 && colours.length > 0
      ? cross(sizes, colours)
      : sizes.length > 0
        ? sizes.map((size) => [size])
        : colours.length > 0
          ? colours.map((colour) => [undefined, colour])
          : [[]];
  hit = {
    items: variants.map(([size, colour]) => variantField(size, colour, false)),
    wrapped: variants.map(([size, colour]) => variantField(size, colour, true)),
  };
  variantLists.set(k, hit);
  return hit;
}

const variantFields = new Map<string, Uint8Array>();
/** the CSV field of one variant: {size, colour} with what the product has, gift_wrap when wrapped */
function variantField(size: string | undefined, colour: string | undefined, wrapped: boolean): Uint8Array {
  const k = `${size ?? ''}|${colour ?? ''}|${wrapped}`;
  let f = variantFields.get(k);
  if (!f) {
    const v: Record<string, unknown> = {};
    if (size !== undefined) v.size = size;
    if (colour !== undefined) v.colour = colour;
    if (wrapped) v.gift_wrap = true;
    f = Object.keys(v).length === 0 ? EMPTY_JSON : jsonbField(v);
    variantFields.set(k, f);
  }
  return f;
}

const cache = new WeakMap<Pools, (Entry | undefined)[][]>();
function entry(plan: Plan, pools: Pools, p: number, s: number): Entry {
  return entryOfText(plan, pools, productTextOf(plan, pools, p, s));
}

function entryOfText(plan: Plan, pools: Pools, t: ProductText): Entry {
  let byDept = cache.get(pools);
  if (!byDept) {
    byDept = pools.productTexts.map(() => []);
    cache.set(pools, byDept);
  }
  const list = pickIn(byDept, t.dept);
  let e = list[t.index];
  if (!e) {
    e = entryOf(plan.seed, t);
    list[t.index] = e;
  }
  return e;
}

/** extra_data of a product: the attributes of its text entry (productText: the row has it already) */
export function shopProductExtra(ctx: Ctx, t: ProductText): Uint8Array {
  return entryOfText(ctx.plan, ctx.pools, t).product;
}

/** share of items bought gift-wrapped */
const GIFT_WRAP = 0.06;

/** extra_data of item i (product p, shop s) of the order with row key `key`: the variant, sometimes gift wrap */
export function shopOrderItemExtra(ctx: Ctx, p: number, s: number, key: number, i: number): Uint8Array {
  const e = entry(ctx.plan, ctx.pools, p, s);
  const k = rowKey(key, K.text, X.item, i);
  return pickIn(unit(k, 1) < GIFT_WRAP ? e.wrapped : e.items, field(k, 2));
}
