/**
 * Campaign tags follow the scenario's events (clients.ts campaigns): the newsletter says "black-friday" only
 * while black-friday runs, and an order's tags are its buying session's in request_response_log.
 */
import { describe, expect, it } from 'vitest';
import { campaigns } from '../../src/generate/clients.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { extraOf, tableRows } from './table-rows.js';

const rows = (plan: Plan, table: string, hours: number[]): Map<string, string>[] =>
  tableRows(plan, table, (c) => hours.includes(Math.round((c.partition.from - plan.start) / 3_600_000)));

/** the campaigns of the rows' extra_data under `key` (utm_campaign for orders, campaign for the log) */
function campaignsOf(rs: Map<string, string>[], key: string): Set<string> {
  const out = new Set<string>();
  for (const r of rs) {
    const v = extraOf(r)[key];
    if (typeof v === 'string') out.add(v);
  }
  return out;
}

describe('campaigns', () => {
  const bf = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 24, scale: 0.05 }));

  it("are the running event's: doorbusters at midnight, black-friday by day, none of them at 03:00-06:00", () => {
    // doorbusters 00-03, nothing 03-06, black-friday 06-23 (black-friday.yaml)
    const cache = new Map<string, Set<string>>();
    const byHour = (h: number | number[], table: string, key: string): Set<string> => {
      const k = `${table} ${h}`;
      const hit = cache.get(k) ?? campaignsOf(rows(bf, table, typeof h === 'number' ? [h] : h), key);
      cache.set(k, hit);
      return hit;
    };
    // the hours between the events: at this scale, one night hour's orders may have no newsletter reader's
    const between = [3, 4, 5];
    for (const [table, key] of [
      ['shop_order', 'utm_campaign'],
      ['request_response_log', 'campaign'],
    ] as const) {
      expect(byHour(1, table, key)).toContain('doorbusters');
      expect(byHour(1, table, key)).toContain('doorbusters-stories');
      expect(byHour(between, table, key)).toContain('weekly-newsletter');
      expect(byHour(12, table, key)).toContain('black-friday');
      for (const h of [1, between]) expect(byHour(h, table, key)).not.toContain('black-friday');
      expect(byHour(12, table, key)).not.toContain('weekly-newsletter');
    }
  });

  it('a scenario without events has no event campaign', () => {
    const week = buildPlan(applyOverrides(loadScenario('steady-week'), { hours: 3, scale: 0.1 }));
    const seen = campaignsOf(rows(week, 'shop_order', [0, 1, 2]), 'utm_campaign');
    expect([...seen].sort()).toEqual(['creator-deals', 'new-arrivals', 'shopping-ads', 'weekly-newsletter']);
  });

  it('come from events that raise the orders only, tagged without accents', () => {
    const tiny = applyOverrides(loadScenario('tiny'), { hours: 4 });
    const at = (h: number) => tiny.start + h * 3_600_000;
    const plan = buildPlan({
      ...tiny,
      events: [
        ...tiny.events,
        // an outage and a signups-only event are no marketing campaign
        { name: 'Payment Outage', start: at(0), hours: 4, multiplier: 0, appliesTo: ['orders'] },
        { name: 'Referral week', start: at(2), hours: 1, multiplier: 3, appliesTo: ['signups'] },
        { name: 'Fête des Mères', start: at(3), hours: 1, multiplier: 2, appliesTo: ['orders'] },
      ],
    });
    const c = campaigns(plan);
    // tiny's flash-sale (x1.5, orders) runs in hour 1
    expect(c.tags).toEqual([null, 'flash-sale', 'fete-des-meres']);
    expect([...c.byHour]).toEqual([0, 1, 0, 2]);
  });

  it("an order's campaign is its buying session's in the request log", () => {
    // hours 0-5: both campaigns of the night and the change between them; the log keeps a sample of sessions
    const hours = [0, 1, 2, 3, 4, 5];
    const orders = rows(bf, 'shop_order', hours);
    const log = rows(bf, 'request_response_log', hours);
    const bySession = new Map<string, unknown>();
    for (const r of log) {
      if (r.get('shop_order_id') === '') continue;
      const x = extraOf<{ campaign?: string }>(r);
      bySession.set(r.get('shop_order_id') ?? '', x.campaign ?? null);
    }
    let compared = 0;
    for (const o of orders) {
      const want = bySession.get(o.get('id') ?? '');
      if (want === undefined) continue;
      const x = extraOf<{ utm_campaign: string | null }>(o);
      expect(x.utm_campaign).toBe(want);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
  });
});
