/**
 * A promotion for the newsletter's readers (extra_data audience `newsletter`) goes only to buyers whose
 * users.extra_data has marketing_opt_in true; read off the rows as a user would join them.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { extraOf, tableRows } from './table-rows.js';

/** tiny over three days with many promotions running, so every audience is used */
function promoted() {
  const s = applyOverrides(loadScenario('tiny'), { hours: 72 });
  return buildPlan({
    ...s,
    population: { ...s.population, promotions: 40 },
    rates: { ...s.rates, promotions: 6 },
  });
}

describe('promotion audience', () => {
  it("gives a newsletter promotion and the newsletter's links only to users with marketing_opt_in", () => {
    const plan = promoted();
    const audience = new Map(
      tableRows(plan, 'shop_promotion').map((r) => [r.get('id'), extraOf(r).audience]),
    );
    const optedIn = new Map(tableRows(plan, 'users').map((r) => [r.get('id'), extraOf(r).marketing_opt_in]));
    const used = new Map<unknown, { in: number; out: number }>();
    const orders = tableRows(plan, 'shop_order');
    for (const o of orders) {
      const p = o.get('shop_promotion_id') ?? '';
      if (p === '') continue;
      const a = audience.get(p);
      expect(a, `promotion ${p}`).toBeDefined();
      const n = used.get(a) ?? { in: 0, out: 0 };
      const opt = optedIn.get(o.get('user_id'));
      expect(typeof opt, `user ${o.get('user_id')}`).toBe('boolean');
      if (opt === true) n.in++;
      else n.out++;
      used.set(a, n);
    }
    // and no signed-in user who did not opt in comes from the newsletter: the orders' tags, the log's sessions
    // (anonymous visitors may: whoever clicked is not known)
    const fromNewsletter = { in: 0, out: 0 };
    const tally = (user: string | undefined): void => {
      if (optedIn.get(user) === true) fromNewsletter.in++;
      else fromNewsletter.out++;
    };
    for (const o of orders) if (extraOf(o).utm_source === 'newsletter') tally(o.get('user_id'));
    for (const r of tableRows(plan, 'request_response_log')) {
      if (extraOf(r).referrer === 'newsletter' && (r.get('user_id') ?? '') !== '') tally(r.get('user_id'));
    }
    expect(fromNewsletter.in).toBeGreaterThan(20);
    expect(fromNewsletter.out).toBe(0);
    const readers = used.get('newsletter');
    expect(readers?.in).toBeGreaterThan(20);
    expect(readers?.out).toBe(0);
    // the other audiences are labels: users who did not opt in get them too (about 6 in 10 of their orders)
    const all = used.get('all');
    expect(all?.out).toBeGreaterThan(all?.in ?? 0);
  });
});
