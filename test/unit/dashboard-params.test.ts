/**
 * The dashboards' clock-relative parameters, without a database: every query of the suite has a rule, each
 * time range ends at the clock ("last hour", "today so far", "yesterday"), ids come from the samples given,
 * and a client's picks are repeatable.
 */
import { describe, expect, it } from 'vitest';
import { picker, RULES, type RuleContext } from '../../src/query/dashboard-params.js';
import { loadSuite, valuesOf } from '../../src/query/suite.js';

const NOW = Date.parse('2026-11-28T13:45:30.250Z');
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  now: NOW,
  pop: { shops: ['s1', 's2'], users: ['u1'], entities: ['e1'] },
  orders: [{ t: '2026-11-28T13:10:00.123456Z', id: 'o1' }],
  lastHours: 2,
  pick: () => 0,
  ...over,
});
const rule = (name: string) => {
  const r = RULES[name];
  if (r === undefined) throw new Error(`no rule ${name}`);
  return r;
};

describe('dashboard parameters', () => {
  it('has a rule for every query of the suite, giving every parameter it declares', () => {
    const suite = loadSuite();
    expect(Object.keys(RULES).sort()).toEqual(suite.map((q) => q.name).sort());
    for (const q of suite) {
      const p = rule(q.name)(ctx());
      expect(p, q.name).toBeDefined();
      if (p !== undefined) expect(valuesOf(q, p).length, q.name).toBe(q.params.length);
    }
  });

  it('ends each time range at the clock, or at the last closed day for the daily metrics', () => {
    expect(rule('shop-orders-hour')(ctx())).toEqual({
      shop_id: 's1',
      from: '2026-11-28T12:45:30.250Z',
      to: '2026-11-28T13:45:30.250Z',
    });
    expect(rule('shop-revenue-day')(ctx({ pick: (n) => n - 1 }))).toEqual({
      shop_id: 's2',
      from: '2026-11-28T00:00:00.000Z',
      to: '2026-11-28T13:45:30.250Z',
    });
    expect(rule('top-products-day')(ctx())).toEqual({
      from: '2026-11-27T00:00:00.000Z',
      to: '2026-11-28T00:00:00.000Z',
      top: 10,
    });
    expect(rule('api-error-rate')(ctx({ lastHours: 3 }))).toEqual({
      from: '2026-11-28T10:45:30.250Z',
      to: '2026-11-28T13:45:30.250Z',
    });
    expect(rule('order-detail')(ctx())).toEqual({
      event_time: '2026-11-28T13:10:00.123456Z',
      id: 'o1',
      to: '2026-11-28T14:00:00.000Z',
    });
  });

  it('asks nothing when there is no id to ask about yet', () => {
    expect(rule('order-detail')(ctx({ orders: [] }))).toBeUndefined();
    expect(rule('shop-orders-hour')(ctx({ pop: { shops: [], users: [], entities: [] } }))).toBeUndefined();
  });

  it('picks repeatably per (seed, client), within bounds, differently across clients', () => {
    const draw = (seed: number, client: number) => {
      const p = picker(seed, client);
      return Array.from({ length: 50 }, () => p(300));
    };
    expect(draw(7, 0)).toEqual(draw(7, 0));
    expect(draw(7, 0)).not.toEqual(draw(7, 1));
    expect(draw(7, 0)).not.toEqual(draw(8, 0));
    expect(draw(7, 0).every((x) => Number.isInteger(x) && x >= 0 && x < 300)).toBe(true);
    expect(new Set(draw(7, 0)).size).toBeGreaterThan(30);
  });
});
