/**
 * The metric tables of `tiny`, read back from their CSV: daily rows are the rollups of the hourly ones (sums,
 * min/max), shops add up their products, min <= max, the levels are never negative, every row says its
 * currency. (The SQL checks compare them with the operational rows on a loaded schema.)
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { buildPlan, generateChunk, listChunks } from '../../src/generate/index.js';
import {
  METRIC_FAMILIES,
  METRIC_KEYS,
  METRIC_TABLES,
  METRIC_VALUES,
  type MetricFamily,
  rollupOf,
} from '../../src/model/metrics.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { parseCsv } from './csv.js';

const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));

/** every row of every table, as objects by column name */
const tables = new Map<string, Record<string, string>[]>();
for (const c of listChunks(plan)) {
  const rows = parseCsv(Buffer.concat([...generateChunk(plan, c)]).toString('utf8'));
  const header = rows.shift() ?? [];
  const list = tables.get(c.partition.table.name) ?? [];
  for (const r of rows) list.push(Object.fromEntries(header.map((h, i) => [h, at(r, i)])));
  tables.set(c.partition.table.name, list);
}
const rowsOf = (name: string): Record<string, string>[] => {
  const rows = tables.get(name);
  if (!rows || rows.length === 0) throw new Error(`test setup: no rows of ${name}`);
  return rows;
};
const field = (r: Record<string, string>, c: string): string => {
  const v = r[c];
  if (v === undefined) throw new Error(`test setup: no column ${c}`);
  return v;
};
/** a numeric field in hundredths (money) or units, exact: money is compared in integer cents */
const num = (v: string): number => Math.round(Number(v) * 100);
const day = (ts: string): string => new Date(Date.parse(ts)).toISOString().slice(0, 10);

describe('metric tables of tiny', () => {
  it.each(METRIC_FAMILIES)(
    '%s: the daily rows are the rollups of the hourly rows of the day',
    (f: MetricFamily) => {
      const keys = METRIC_KEYS[f].map((k) => k.name);
      const cols = METRIC_VALUES[f].filter((c) => ['sum', 'min', 'max'].includes(rollupOf(c)));
      const expected = new Map<string, Map<string, number | null>>();
      for (const h of rowsOf(METRIC_TABLES[f].hourly)) {
        const k = [...keys.map((c) => field(h, c)), day(field(h, 'event_time'))].join('|');
        const acc = expected.get(k) ?? new Map<string, number | null>();
        for (const c of cols) {
          const v = field(h, c.name) === '' ? null : num(field(h, c.name));
          const was = acc.has(c.name) ? (acc.get(c.name) ?? null) : undefined;
          const r = rollupOf(c);
          if (was === undefined) acc.set(c.name, v);
          else if (r === 'sum') acc.set(c.name, (was ?? 0) + (v ?? 0));
          else if (v !== null)
            acc.set(c.name, was === null ? v : r === 'min' ? Math.min(was, v) : Math.max(was, v));
        }
        expected.set(k, acc);
      }
      const daily = rowsOf(METRIC_TABLES[f].daily);
      expect(daily.length).toBe(expected.size);
      for (const d of daily) {
        const k = [...keys.map((c) => field(d, c)), day(field(d, 'event_time'))].join('|');
        const acc = expected.get(k);
        expect(acc, k).toBeDefined();
        for (const c of cols) {
          const v = field(d, c.name) === '' ? null : num(field(d, c.name));
          expect(v, `${k} ${c.name}`).toBe(acc?.get(c.name));
        }
      }
    },
  );

  it('min_unit_price <= max_unit_price, both NULL exactly when nothing sold; stock is never negative', () => {
    let priced = 0;
    for (const g of ['hourly', 'daily'] as const)
      for (const r of rowsOf(METRIC_TABLES.product[g])) {
        const min = field(r, 'min_unit_price');
        const max = field(r, 'max_unit_price');
        expect(min === '', `${r.id} min`).toBe(field(r, 'units_sold') === '0');
        expect(max === '', `${r.id} max`).toBe(field(r, 'units_sold') === '0');
        if (min !== '') {
          priced++;
          expect(Number(min)).toBeLessThanOrEqual(Number(max));
          expect(Number(min)).toBeGreaterThan(0);
        }
        expect(Number(field(r, 'inventory_on_hand'))).toBeGreaterThanOrEqual(0);
        expect(Number(field(r, 'unit_price'))).toBeGreaterThan(0);
      }
    expect(priced).toBeGreaterThan(0);
    for (const g of ['hourly', 'daily'] as const)
      for (const r of rowsOf(METRIC_TABLES.shop[g]))
        expect(Number(field(r, 'inventory_value'))).toBeGreaterThanOrEqual(0);
  });

  it("a shop's revenue, units, page views and cart adds are the sums of its products', per bucket", () => {
    for (const g of ['hourly', 'daily'] as const) {
      const sums = new Map<string, number[]>();
      const cols = ['revenue', 'units_sold', 'page_views', 'cart_adds'];
      for (const p of rowsOf(METRIC_TABLES.product[g])) {
        const k = `${field(p, 'shop_id')}|${field(p, 'event_time')}`;
        const s = sums.get(k) ?? cols.map(() => 0);
        cols.forEach((c, i) => {
          s[i] = (s[i] ?? 0) + num(field(p, c));
        });
        sums.set(k, s);
      }
      for (const s of rowsOf(METRIC_TABLES.shop[g])) {
        const k = `${field(s, 'shop_id')}|${field(s, 'event_time')}`;
        const expected = sums.get(k) ?? cols.map(() => 0);
        expect(
          cols.map((c) => num(field(s, c))),
          `${g} ${k}`,
        ).toEqual(expected);
        sums.delete(k);
      }
      // no product row without its shop's row
      expect([...sums.keys()]).toEqual([]);
    }
  });

  it('orders_count means paid orders in every family: users, shops and products agree with shop_order', () => {
    // paid: the payment succeeded, whether the order was refunded or returned since
    const paid = rowsOf('shop_order').filter((o) =>
      ['paid', 'refunded', 'returned'].includes(field(o, 'status')),
    ).length;
    expect(rowsOf('shop_order').some((o) => field(o, 'status') === 'refunded')).toBe(true);
    const total = (name: string): number =>
      rowsOf(name).reduce((n, r) => n + Number(field(r, 'orders_count')), 0);
    expect(total('user_metrics_hourly')).toBe(paid);
    expect(total('shop_metrics_hourly')).toBe(paid);
    const carts = rowsOf('shop_order').filter((o) => field(o, 'status') === 'abandoned').length;
    expect(rowsOf('user_metrics_hourly').reduce((n, r) => n + Number(field(r, 'carts_abandoned')), 0)).toBe(
      carts,
    );
    // every paid order has at least one item: products count it once per product
    expect(total('shop_product_metrics_hourly')).toBeGreaterThanOrEqual(paid);
  });

  it('every metric row says its currency and the log sample rate behind its traffic columns', () => {
    for (const f of METRIC_FAMILIES)
      for (const g of ['hourly', 'daily'] as const)
        for (const r of rowsOf(METRIC_TABLES[f][g]))
          expect(JSON.parse(field(r, 'extra_metrics'))).toEqual({
            currency: plan.scenario.reportingCurrency,
            log_sample_rate: plan.scenario.distributions.logSampleRate,
          });
  });
});
