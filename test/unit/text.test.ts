/**
 * Readable text and extra_data (issue 8 §5) on a tiny generation: no lorem ipsum, review texts of their
 * rating, extra_data filled in every table that has one, extras in jsonb's own text form.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { jsonbText } from '../../src/generate/context.js';
import { invoiceExtra } from '../../src/generate/extras-orders.js';
import { buildPlan, generateChunk, listChunks, type Plan } from '../../src/generate/index.js';
import { shopCountry, userCountry } from '../../src/generate/money.js';
import { productShop } from '../../src/generate/plan-lookup.js';
import { COUNTRY_CODES, poolsFor } from '../../src/generate/pools.js';
import { REVIEW_TITLES } from '../../src/generate/review-vocab.js';
import { productTextOf } from '../../src/generate/text.js';
import { columnNames, TABLES, type TableName } from '../../src/model/tables.js';
import { EU_VAT_AREA, REGIONS, VAT } from '../../src/model/tax.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { parseCsv } from './csv.js';

const plan: Plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));

/** every row of each table of tiny, as records by column name */
const rows = new Map<TableName, Record<string, string | null>[]>();
for (const c of listChunks(plan)) {
  const t = c.partition.table.name;
  const text = Buffer.concat([...generateChunk(plan, c, {})]).toString('utf8');
  const cols = columnNames(c.partition.table);
  const list = rows.get(t) ?? [];
  for (const fields of parseCsv(text).slice(1))
    list.push(Object.fromEntries(cols.map((n, i) => [n, fields[i] ?? null])));
  rows.set(t, list);
}
const of = (t: TableName): Record<string, string | null>[] => rows.get(t) ?? [];

const LOREM = /\b(lorem|ipsum|dolor|amet|consectetur|adipisci|tempor|incididunt|voluptas|vobis|vero)\b/i;

describe('readable text', () => {
  it('names the products of a shop differently (black-friday, a hundred shops of up to ~150 products)', () => {
    const p = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 0.1 }));
    const pools = poolsFor(p.seed);
    const names = new Map<number, Set<string>>();
    let products = 0;
    for (let q = 0; q < (p.productsBefore[p.hours] ?? 0); q++) {
      const s = productShop(p, q);
      const name = Buffer.from(productTextOf(p, pools, q, s).name).toString();
      const seen = names.get(s) ?? new Set<string>();
      expect(seen.has(name), `shop ${s}: ${name}`).toBe(false);
      seen.add(name);
      names.set(s, seen);
      products++;
    }
    expect(products).toBeGreaterThan(10_000);
    expect(Math.max(...[...names.values()].map((n) => n.size))).toBeGreaterThan(100);
  });

  it("says in a user's events the client their orders and requests show", () => {
    const channel = new Map(of('shop_order').map((o) => [o.id, JSON.parse(o.extra_data ?? '{}').channel]));
    let compared = 0;
    for (const e of of('global_event')) {
      const extra = JSON.parse(e.extra_data ?? '{}');
      if (e.entity_type !== 'shop_order' || extra.actor !== 'user') continue;
      expect(extra.client, `${e.event_type} ${e.entity_id}`).toBe(channel.get(e.entity_id ?? ''));
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('has no lorem ipsum anywhere', () => {
    for (const [t, list] of rows) {
      for (const r of list)
        for (const v of Object.values(r)) if (v && LOREM.test(v)) throw new Error(`${t}: ${v}`);
    }
  });

  it('writes review titles and bodies of their rating', () => {
    const reviews = of('shop_review');
    expect(reviews.length).toBeGreaterThan(10);
    const heads = REVIEW_TITLES.map((r) => r.map((s) => s.split('{n}')[0] ?? ''));
    for (const r of reviews) {
      const stars = Number(r.rating);
      const title = r.title ?? '';
      const own = at(heads, stars - 1).some((h) => title.startsWith(h));
      expect(own, `${stars} stars: ${title}`).toBe(true);
      // no title of the opposite end of the scale
      const far = stars <= 2 ? at(heads, 4) : stars >= 4 ? at(heads, 0) : [];
      expect(
        far.some((h) => h.length > 0 && title.startsWith(h)),
        title,
      ).toBe(false);
      expect((r.body ?? '').split('. ').length, r.body ?? '').toBeGreaterThanOrEqual(2);
    }
    // a page of reviews does not repeat its bodies
    const page = reviews.slice(0, 20).map((r) => r.body);
    expect(new Set(page).size).toBe(page.length);
  });

  it('makes usernames from the name, unique, in several shapes', () => {
    const users = of('users');
    const names = users.map((u) => u.username ?? '');
    expect(new Set(names).size).toBe(names.length);
    const shapes = new Set(names.map((n) => n.replace(/[a-z]+/g, 'a').replace(/\d+$/, '')));
    expect(shapes.size).toBeGreaterThanOrEqual(3);
    for (const u of users) {
      const last =
        (u.full_name ?? '')
          .split(' ')
          .pop()
          ?.toLowerCase()
          .replace(/[^a-z]/g, '') ?? '';
      const first =
        (u.full_name ?? '')
          .split(' ')[0]
          ?.toLowerCase()
          .replace(/[^a-z]/g, '') ?? '';
      const n = u.username ?? '';
      expect(n.includes(first) || n.includes(last), `${u.full_name} -> ${n}`).toBe(true);
    }
  });

  it("gives products names of their category's words, mostly the shop's category", () => {
    const shopCat = new Map(of('shop').map((s) => [s.id, s.category]));
    const products = of('shop_product');
    const same = products.filter((p) => shopCat.get(p.shop_id) === p.category).length;
    expect(same / products.length).toBeGreaterThan(0.7);
  });
});

describe('extra_data', () => {
  it("taxes an invoice as its sale: the shop's tax at home, the buyer's VAT inside the EU, 0% on other exports", () => {
    const bf = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 2, scale: 0.05 }));
    const schemes = new Map<string, number>();
    for (let s = 0; s < bf.shops0; s++) {
      for (let u = 0; u < 256; u++) {
        const csv = new TextDecoder().decode(invoiceExtra(bf, s, u));
        const x = JSON.parse(csv.slice(1, -1).replaceAll('""', '"'));
        const [shop, buyer] = [at(COUNTRY_CODES, shopCountry(bf, s)), at(COUNTRY_CODES, userCountry(bf, u))];
        const eu = EU_VAT_AREA.includes(shop) && EU_VAT_AREA.includes(buyer);
        const scheme = shop === buyer ? 'domestic' : eu ? 'oss' : 'export';
        schemes.set(scheme, (schemes.get(scheme) ?? 0) + 1);
        expect(x.tax_scheme, `${shop} -> ${buyer}`).toBe(scheme);
        expect(x.tax_country).toBe(scheme === 'oss' ? buyer : shop);
        if (scheme === 'export') expect(x.tax_rate).toBe(0);
        else if (shop === 'US' || shop === 'CA') expect(x.tax_region).toBeDefined();
        else expect(x.tax_rate).toBe(VAT[x.tax_country]);
        if (scheme !== 'domestic') expect(x.tax_region).toBeUndefined();
      }
    }
    expect(schemes.get('oss')).toBeGreaterThan(100);
    expect(schemes.get('export')).toBeGreaterThan(100);
  });

  it("adds the shop's state or province sales tax to a sale inside the US or Canada, and nothing elsewhere", () => {
    const shops = new Map(of('shop').map((x) => [x.id, x]));
    const buyers = new Map(of('users').map((x) => [x.id, x.country_code]));
    const cents = (v: string | null | undefined): number => Math.round(Number(v) * 100);
    let taxed = 0;
    for (const o of of('shop_order')) {
      const shop = shops.get(o.shop_id);
      const region = JSON.parse(shop?.extra_data ?? '{}').tax_region;
      const rates = REGIONS[shop?.country_code ?? ''];
      expect(region !== undefined, `tax_region of a shop in ${shop?.country_code}`).toBe(rates !== undefined);
      const rate =
        buyers.get(o.user_id) === shop?.country_code ? (rates?.find(([r]) => r === region)?.[1] ?? 0) : 0;
      const net = cents(o.subtotal) - cents(o.discount);
      // half up to the cent, in integers: rate in thousandths of a percent
      const tax = Math.floor((net * Math.round(rate * 1000) + 50_000) / 100_000);
      expect(cents(o.total), `order ${o.id}`).toBe(net + tax);
      if (tax > 0) taxed++;
    }
    expect(taxed).toBeGreaterThan(20);
    for (const i of of('invoice')) {
      const x = JSON.parse(i.extra_data ?? '{}');
      if (x.tax_scheme === 'domestic')
        expect(x.tax_region).toBe(JSON.parse(shops.get(i.shop_id)?.extra_data ?? '{}').tax_region);
    }
  });

  it('is not {} on every row of any table that has extra_data', () => {
    for (const t of TABLES) {
      if (t.kind === 'metric') continue; // extra_metrics: the metrics part's
      const list = of(t.name);
      if (list.length === 0) continue;
      expect(
        list.some((r) => r.extra_data !== '{}'),
        t.name,
      ).toBe(true);
    }
  });

  it("is jsonb's own text form: parse and re-encode give the same bytes", () => {
    for (const t of TABLES) {
      for (const r of of(t.name)) {
        const v = r.extra_data;
        if (v == null) continue;
        expect(jsonbText(JSON.parse(v))).toBe(v);
      }
    }
  });

  it('agrees with the rows: coupon = promotion code, invoice tax of the sale, locale = user country', () => {
    const codes = new Map(of('shop_promotion').map((p) => [p.id, p.code]));
    let coupons = 0;
    for (const o of of('shop_order')) {
      const x = JSON.parse(o.extra_data ?? '{}');
      if (o.shop_promotion_id) {
        const code = codes.get(o.shop_promotion_id);
        if (code) {
          expect(x.coupon_code).toBe(code);
          coupons++;
        }
      } else expect(x.coupon_code).toBeUndefined();
    }
    expect(coupons).toBeGreaterThan(0);
    const country = new Map([...of('shop'), ...of('users')].map((x) => [x.id, x.country_code]));
    for (const i of of('invoice')) {
      const x = JSON.parse(i.extra_data ?? '{}');
      const [shop, buyer] = [country.get(i.shop_id), country.get(i.user_id)];
      expect(x.tax_scheme === 'domestic').toBe(shop === buyer);
      expect(x.tax_country).toBe(x.tax_scheme === 'oss' ? buyer : shop);
    }
    for (const u of of('users'))
      expect(JSON.parse(u.extra_data ?? '{}').locale.slice(3)).toBe(u.country_code);
    const codesOf = { insufficient_funds: '51', expired_card: '54' } as Record<string, string>;
    for (const p of of('shop_order_payment')) {
      const x = JSON.parse(p.extra_data ?? '{}');
      if (p.status === 'succeeded') expect(x.response_code).toBe('00');
      else if (p.failure_reason && codesOf[p.failure_reason])
        expect(x.response_code).toBe(codesOf[p.failure_reason]);
    }
  });
});
