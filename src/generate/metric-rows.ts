/**
 * The six metric tables: per family (user, shop, product) one writer that walks the aggregate of each bucket
 * (hour or day, ./metric-agg.ts) in key order and writes the model's value columns in the model's order
 * (src/model/metrics.ts). A column added there is written from its aggregate slot (which metric-agg.ts fills;
 * the verify recomputation fails until it does), or, for a level at the bucket's end (rollup 'value'), fails
 * to compile here until `own` says where it comes from.
 */
import { METRIC_VALUES, type MetricFamily, rollupOf } from '../model/metrics.js';
import { type ChunkGen, type Ctx, jsonbField } from './context.js';
import { fixedFieldOf } from './csv-writer.js';
import { K } from './keyed.js';
import { buckets } from './metric-agg.js';
import { shopCurrency, toReporting } from './money.js';
import type { Plan } from './plan.js';
import { productShop } from './plan-lookup.js';
import { inventoryValueAt, priceAtHourEnd, stockAtHourEnd } from './stock.js';

/** the value columns of a family that are the entity's own value, not an aggregate (rollup 'value') */
type OwnValueColumn<F extends MetricFamily> = Extract<
  (typeof METRIC_VALUES)[F][number],
  { rollup: 'value' }
>['name'];

/** a level of the entity at the end of the bucket: its last window hour and its end (epoch ms, exclusive) */
type OwnValue = (plan: Plan, entity: number, lastHour: number, end: number) => number;

/** unit_price: the list price just before the bucket's end (that of its last hour), in the reporting currency */
const unitPrice: OwnValue = (plan, p, h) =>
  toReporting(plan, priceAtHourEnd(plan, h, p), shopCurrency(plan, productShop(plan, p)));

/**
 * inventory_value: the shop's products existing at the bucket's end (the initial ones, then the window ones
 * created before it), stock x price each, converted per product, summed: kept per shop by the stock cursor
 * (./stock-cursor.ts), O(1) per row.
 */
const inventoryValue: OwnValue = (plan, s, h) => inventoryValueAt(plan, h, s);

interface FamilyRows<F extends MetricFamily> {
  family: F;
  /** key kinds of the hourly and the daily rows' own ids */
  kinds: [number, number];
  /** writes the reference columns (the family's METRIC_KEYS), each followed by its comma */
  keys: (ctx: Ctx, entity: number) => void;
  own: Record<OwnValueColumn<F>, OwnValue>;
}

const USER: FamilyRows<'user'> = {
  family: 'user',
  kinds: [K.userMetricHour, K.userMetricDay],
  keys: (ctx, u) => {
    ctx.id(K.user, 0, u).comma();
  },
  own: {},
};

const SHOP: FamilyRows<'shop'> = {
  family: 'shop',
  kinds: [K.shopMetricHour, K.shopMetricDay],
  keys: (ctx, s) => {
    ctx.id(K.shop, 0, s).comma();
  },
  own: { inventory_value: inventoryValue },
};

const PRODUCT: FamilyRows<'product'> = {
  family: 'product',
  kinds: [K.productMetricHour, K.productMetricDay],
  keys: (ctx, p) => {
    ctx.id(K.product, 0, p).comma();
    ctx.id(K.shop, 0, productShop(ctx.plan, p)).comma();
  },
  own: {
    unit_price: unitPrice,
    inventory_on_hand: (plan, p, h) => stockAtHourEnd(plan, h, p),
  },
};

/**
 * How each value column is written: from its aggregate slot or the entity's own value, as money or integer;
 * a slot that stayed infinite (the min/max of nothing) is NULL.
 */
interface ValueWriter {
  slot: number;
  money: boolean;
  own: OwnValue | null;
}

/**
 * extra_metrics of every row of a plan: what the numbers are in (the reporting currency of the money columns,
 * the log sample rate behind the traffic columns), encoded once per plan.
 */
const extras = new WeakMap<Plan, Uint8Array>();
function extraMetrics(plan: Plan): Uint8Array {
  let e = extras.get(plan);
  if (!e) {
    const { reportingCurrency, distributions } = plan.scenario;
    e = jsonbField({ currency: reportingCurrency, log_sample_rate: distributions.logSampleRate });
    extras.set(plan, e);
  }
  return e;
}

function valueWriters<F extends MetricFamily>(spec: FamilyRows<F>): ValueWriter[] {
  const own: Record<string, OwnValue | undefined> = spec.own;
  return METRIC_VALUES[spec.family].map((c, slot) => {
    const fn = rollupOf(c) === 'value' ? own[c.name] : null;
    if (fn === undefined) throw new Error(`internal: no value for ${spec.family} metric ${c.name}`);
    return { slot, money: c.type.startsWith('numeric'), own: fn };
  });
}

function metricRows<F extends MetricFamily>(
  spec: FamilyRows<F>,
  daily: boolean,
): (ctx: Ctx, firstHour: number, only?: number) => Generator<Buffer> {
  const values = valueWriters(spec);
  // `only`: the rows of that one window hour's bucket (live mode inserts each hour's rows when it closes)
  return function* rows(ctx: Ctx, firstHour: number, only?: number): Generator<Buffer> {
    const { plan, w } = ctx;
    const extra = extraMetrics(plan);
    const row = new Float64Array(values.length);
    for (const b of buckets(ctx, firstHour, daily, spec.kinds, spec.family, only)) {
      // the columns every row of the bucket repeats, encoded once: event_time and partition_key after the own
      // id; created_time and updated_time (the bucket's end) and extra_metrics at the end (ctx.tail's columns)
      const head = ctx.afterOwnId(b.time);
      const tail = fixedFieldOf((t) => t.ts(b.end).comma().ts(b.end).comma().field(extra));
      const rows = b.rows.reader();
      while (rows.left > 0) {
        const e = rows.key;
        rows.take(row);
        ctx.ownId(b.kind, b.hi, e).fixed(head);
        spec.keys(ctx, e);
        for (const v of values) {
          const x = v.own === null ? (row[v.slot] ?? 0) : v.own(plan, e, b.last, b.end);
          if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) w.comma();
          else if (v.money) w.money(x).comma();
          else w.int(x).comma();
        }
        w.fixed(tail).end();
        if (w.full) yield w.take();
      }
    }
  };
}

/** The writers of each family's hourly and daily table (src/model/metrics.ts METRIC_TABLES). */
export const METRIC_ROWS = {
  user: { hourly: metricRows(USER, false), daily: metricRows(USER, true) },
  shop: { hourly: metricRows(SHOP, false), daily: metricRows(SHOP, true) },
  product: { hourly: metricRows(PRODUCT, false), daily: metricRows(PRODUCT, true) },
} satisfies Record<MetricFamily, { hourly: ChunkGen; daily: ChunkGen }>;
