/**
 * Which integrity checks gen verify runs on a schema gen live --retention retired hours of: those that hold on
 * the rows left (placement, ids, references into whole tables, checks of whole tables alone).
 */
import { describe, expect, it } from 'vitest';
import { listChunks } from '../../src/generate/index.js';
import { buildPlan } from '../../src/generate/plan.js';
import { POPULATION_TABLES } from '../../src/generate/slices.js';
import { TABLES, type TableName } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';
import { checksOnAPart, integrityChecks, retiredBounds } from '../../src/verify/index.js';

const W = { start: Date.UTC(2026, 10, 27), hours: 8 };
const names = (partial: Iterable<TableName>, retiredTo = new Map<TableName, number>()) => {
  const { run, left } = checksOnAPart('s', W, new Set(partial), retiredTo);
  return { run: run.map((c) => c.name), left };
};

describe('checksOnAPart', () => {
  it('with no table partial, runs every check, as integrityChecks', () => {
    const { run, left } = names([]);
    expect(left).toEqual([]);
    expect(run).toEqual(integrityChecks('s', W).map((c) => c.name));
  });

  it('a partial table leaves out the checks that need it whole, keeps those that judge its rows one by one', () => {
    const { run, left } = names(['shop_order']);
    // its rows judged alone, and what they refer to is whole
    expect(run).toEqual(
      expect.arrayContaining([
        'partition-key',
        'leaf-bounds',
        'window',
        'unique-ids',
        // the catalog's comments; it names every table, in its parameters
        'comments',
        'reference:shop_order.user_id',
      ]),
    );
    // rows referring to it could refer to a retired order; totals compare it with its items
    expect(left).toEqual(
      expect.arrayContaining([
        'reference:shop_order_item.shop_order_id',
        'reference:invoice.shop_order_id',
        'order-totals',
      ]),
    );
    expect(new Set([...run, ...left]).size).toBe(run.length + left.length);
  });

  it('with every table retention retires partial, the checks of the kept tables alone still run', () => {
    // what gen live --retention retires: everything but the population and metric tables
    const retired = TABLES.filter((t) => t.kind !== 'metric' && !POPULATION_TABLES.has(t.name)).map(
      (t) => t.name,
    );
    const { run, left } = names(retired);
    // a reference runs when what it refers to is kept, whatever the referring table
    for (const t of TABLES)
      for (const c of t.columns)
        if (c.references !== undefined)
          expect(retired.includes(c.references) ? left : run).toContain(`reference:${t.name}.${c.name}`);
    // each row of a retired table judged alone against kept tables: they run
    const againstKept = [
      'inventory-kinds',
      'expired-cards',
      'event-entities',
      'change-entities',
      'order-parties',
      'traffic-products',
      'promotions',
      'promotion-audience',
      'invoice-tax',
    ];
    expect(run).toEqual(expect.arrayContaining(againstKept));
    // any other check that runs reads no retired table, the way its SQL names them
    // (review-claims: a review judged against its order, when that is still there)
    const rowByRow = [
      'partition-key',
      'leaf-bounds',
      'window',
      'unique-ids',
      'comments',
      'review-claims',
      ...againstKept,
    ];
    for (const c of checksOnAPart('s', W, new Set(retired)).run)
      if (!c.name.startsWith('reference:') && !rowByRow.includes(c.name))
        for (const t of retired) expect(c.sql, c.name).not.toContain(`"s"."${t}"`);
    expect(run.length).toBeGreaterThan(rowByRow.length + 10);
    expect(left.length).toBeGreaterThan(10);
  });

  it('a check matching rows of the same event_time runs when its tables were retired up to the same time', () => {
    const sameTime = ['order-totals', 'reference:shop_order_item.shop_order_id'];
    const at = W.start + 3 * HOUR_MS;
    const both = (a: number, b: number) =>
      names(
        ['shop_order', 'shop_order_item'],
        new Map<TableName, number>([
          ['shop_order', a],
          ['shop_order_item', b],
        ]),
      );
    expect(both(at, at).run).toEqual(expect.arrayContaining(sameTime));
    // retired up to different times (a layout's daily items beside hourly orders), an order could lose items
    expect(both(at, at + HOUR_MS).left).toEqual(expect.arrayContaining(sameTime));
    // one of the two partial, or retired with no bound: left out
    expect(names(['shop_order'], new Map([['shop_order', at]])).left).toEqual(
      expect.arrayContaining(sameTime),
    );
    expect(names(['shop_order', 'shop_order_item']).left).toEqual(expect.arrayContaining(sameTime));
    // the invoice payment's reference to its invoice likewise; not its payment's (a payment is earlier)
    const invoices = names(
      ['invoice', 'invoice_payment', 'shop_order_payment'],
      new Map<TableName, number>([
        ['invoice', at],
        ['invoice_payment', at],
        ['shop_order_payment', at],
      ]),
    );
    expect(invoices.run).toContain('reference:invoice_payment.invoice_id');
    expect(invoices.left).toContain('reference:invoice_payment.shop_order_payment_id');
    // a check that needs another partial table whole stays out (order-status reads the payments too)
    expect(
      names(
        ['shop_order', 'shop_order_item', 'shop_order_payment'],
        new Map<TableName, number>([
          ['shop_order', at],
          ['shop_order_item', at],
          ['shop_order_payment', at],
        ]),
      ).left,
    ).toEqual(expect.arrayContaining(['order-status', 'reference:shop_order_payment.shop_order_id']));
  });

  it("retiredBounds: a table's retired hours up to a time, if they are all of its hours before it", () => {
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 8 }));
    const chunks = listChunks(plan);
    const upTo = plan.start + 3 * HOUR_MS;
    const gone = (c: (typeof chunks)[number]) =>
      ['shop_order', 'shop_order_item'].includes(c.partition.table.name) && c.partition.to <= upTo;
    expect(Object.fromEntries(retiredBounds(chunks, gone))).toEqual({
      shop_order: upTo,
      shop_order_item: upTo,
    });
    // an hour before the bound kept (a DROP that did not happen): no bound for that table
    const kept = (c: (typeof chunks)[number]) =>
      gone(c) && !(c.partition.table.name === 'shop_order' && c.partition.from === plan.start + HOUR_MS);
    expect(Object.fromEntries(retiredBounds(chunks, kept))).toEqual({ shop_order_item: upTo });
  });

  it('a check judging rows against a kept table is left out when that table is partial', () => {
    // what they judge against: a product (traffic, an order's items), a card, the registry, a user or shop
    expect(names(['shop_product']).left).toEqual(
      expect.arrayContaining(['traffic-products', 'order-parties', 'change-entities']),
    );
    expect(names(['user_payment_method']).left).toEqual(
      expect.arrayContaining(['expired-cards', 'change-entities']),
    );
    expect(names(['global_entity']).left).toContain('event-entities');
    expect(names(['users']).left).toEqual(expect.arrayContaining(['order-parties', 'change-entities']));
    expect(names(['shop_promotion']).left).toEqual(expect.arrayContaining(['promotions', 'change-entities']));
    // and run when only the table of the rows judged is
    expect(names(['request_response_log']).run).toContain('traffic-products');
    expect(names(['shop_inventory_log']).run).toContain('inventory-kinds');
    expect(names(['global_event']).run).toEqual(
      expect.arrayContaining(['event-entities', 'change-entities']),
    );
  });
});
