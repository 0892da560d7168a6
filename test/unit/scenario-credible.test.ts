/**
 * The scenario fields of issue 8 (credible data): each is read from a file under its snake_case name, takes its
 * default when left out, is refused out of its bounds with a message naming it, and is documented; the
 * cross-field rule refund_rate + return_rate <= 1; reporting_currency; and the shipped scenarios' choices
 * (populations sized so that most buyers order once or twice, tiny exercising every new behaviour).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { CURRENCY_CODES } from '../../src/model/currencies.js';
import {
  defaults,
  listScenarios,
  loadScenario,
  SCENARIO_DIR,
  type Scenario,
} from '../../src/scenario/index.js';
import { ScenarioFile } from '../../src/scenario/scenario-schema.js';
import type { Distributions } from '../../src/scenario/types.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'scenario-credible-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = `description: credible data fields
seed: 1
window: { start: 2026-11-27T00:00:00Z, hours: 3 }
population:
  users: 100
  shop_owners: 5
  shops_per_owner: { min: 1, max: 2 }
  products_per_shop: { min: 1, max: 5 }
  payment_methods_per_user: { min: 1, max: 2 }
  promotions: 0
rates: { signups: 1, new_shops: 0, new_products: 1, orders: 10, promotions: 0 }
`;

let counter = 0;
function load(text: string): Scenario {
  const file = join(dir, `s-${++counter}.yaml`);
  writeFileSync(file, text);
  return loadScenario(file);
}

/** BASE with these lines under `distributions:` (and `top` at the top level). */
const withDistributions = (lines: string, top = '') => `${BASE}${top}distributions:\n${lines}`;

function errorOf(text: string): string {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UserError, but the file loaded');
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The fields issue 8 added, with a value other than the default for each (as written in a file). */
const NEW_FIELDS: Partial<Record<keyof Distributions, unknown>> = {
  userChurnRate: 0.5,
  userBanRate: 2,
  shopPauseRate: 0.25,
  shopPauseDays: { min: 2, max: 3 },
  productDraftHours: { min: 0, max: 5 },
  productArchiveRate: 6,
  promotionLeadHours: { min: 1, max: 3 },
  refundRate: 0.3,
  returnRate: 0.7,
  refundDelayHours: { min: 1, max: 2 },
  repricingRate: 0.5,
  repricingPercent: { min: 1, max: 90 },
  initialStock: { min: 0, max: 3 },
  reorderPoint: 0,
  restockLeadHours: { min: 2, max: 9 },
  conversionRate: 0.5,
  anonymousShare: 0.9,
  botShare: 2.5,
  productViewsPerSession: { min: 1, max: 1 },
  cartAddRate: 0.35,
  searchRate: 0,
  logSampleRate: 1,
  apiCapacityPerHour: 12_345,
  repeatCustomerShare: 0.6,
};

/** Each new field: a value its bounds refuse, and what the message says is allowed. */
const OUT_OF_BOUNDS: [field: string, value: string, expected: string][] = [
  ['user_churn_rate', '-0.1', 'a number from 0 to 100'],
  ['user_ban_rate', '101', 'a number from 0 to 100'],
  ['shop_pause_rate', '1e3', 'a number from 0 to 100'],
  ['shop_pause_days', '{ min: 0, max: 3 }', 'an integer from 1 to 365'],
  ['product_draft_hours', '{ min: -1, max: 3 }', 'an integer from 0 to 8760'],
  ['product_archive_rate', '-1', 'a number from 0 to 100'],
  ['promotion_lead_hours', '{ min: 0, max: 8761 }', 'an integer from 0 to 8760'],
  ['refund_rate', '1.5', 'a number from 0 to 1'],
  ['return_rate', '-0.5', 'a number from 0 to 1'],
  ['refund_delay_hours', '{ min: 0, max: 2 }', 'an integer from 1 to 8760'],
  ['repricing_rate', '2', 'a number from 0 to 1'],
  ['repricing_percent', '{ min: 5, max: 100 }', 'an integer from 1 to 90'],
  ['initial_stock', '{ min: 0, max: 1.5 }', 'an integer from 0 to 1000000'],
  ['reorder_point', '-1', 'an integer from 0 to 1000000'],
  ['restock_lead_hours', '{ min: 0, max: 1 }', 'an integer from 1 to 8760'],
  ['conversion_rate', '0', 'a number > 0 and < 1'],
  ['conversion_rate', '1', 'a number > 0 and < 1'],
  ['anonymous_share', '1.01', 'a number from 0 to 1'],
  ['bot_share', '11', 'a number from 0 to 10'],
  ['product_views_per_session', '{ min: 0, max: 4 }', 'an integer from 1 to 100'],
  ['cart_add_rate', '-0.01', 'a number from 0 to 1'],
  ['search_rate', 'often', 'a number from 0 to 1'],
  ['log_sample_rate', '0', 'a number > 0 and <= 1'],
  ['log_sample_rate', '1.1', 'a number > 0 and <= 1'],
  ['api_capacity_per_hour', '-5', 'a number from 0 to 1000000000000'],
  ['repeat_customer_share', '2', 'a number from 0 to 1'],
];

describe('the fields of credible data', () => {
  it('a file without them gets every default, and USD as the reporting currency', () => {
    const s = load(BASE);
    expect(s.distributions).toEqual(defaults.distributions);
    expect(s.reportingCurrency).toBe('USD');
  });

  it('reads each one under its snake_case name', () => {
    const lines = Object.entries(NEW_FIELDS)
      .map(([k, v]) => `  ${snake(k)}: ${JSON.stringify(v)}\n`)
      .join('');
    const s = load(withDistributions(lines));
    for (const [k, v] of Object.entries(NEW_FIELDS)) {
      expect(s.distributions[k as keyof Distributions], k).toEqual(v);
      expect(v, `${k}: the test value must differ from the default`).not.toEqual(
        defaults.distributions[k as keyof Distributions],
      );
    }
  });

  it('every field of Distributions has a schema property with a title and the default of defaults.ts', () => {
    const props = ScenarioFile.properties.distributions.properties as Record<
      string,
      { title?: string; default?: unknown }
    >;
    const weights = new Set(['items_per_order', 'quantity_per_item']);
    for (const key of Object.keys(defaults.distributions)) {
      const prop = props[snake(key)];
      expect(prop, `distributions.${snake(key)}`).toBeDefined();
      expect(prop?.title, snake(key)).toBeTruthy();
      if (!weights.has(snake(key))) {
        expect(prop?.default, snake(key)).toEqual(defaults.distributions[key as keyof Distributions]);
      }
    }
    expect(Object.keys(props).sort()).toEqual(Object.keys(defaults.distributions).map(snake).sort());
  });

  it.each(OUT_OF_BOUNDS)('%s: %s is refused, naming the field', (field, value, expected) => {
    const message = errorOf(withDistributions(`  ${field}: ${value}\n`));
    expect(message).toMatch(new RegExp(`:\\d+: distributions\\.${field}(\\.(min|max))?: `));
    expect(message).toContain(`expected ${expected}`);
  });

  it.each([
    'shop_pause_days',
    'product_draft_hours',
    'promotion_lead_hours',
    'refund_delay_hours',
    'repricing_percent',
    'initial_stock',
    'restock_lead_hours',
    'product_views_per_session',
  ])('%s: max below min is refused', (field) => {
    expect(errorOf(withDistributions(`  ${field}: { min: 5, max: 4 }\n`))).toMatch(
      new RegExp(
        `:13: distributions\\.${field}\\.max: 4 is not allowed; expected an integer from min \\(5\\) to \\d+$`,
      ),
    );
  });

  it('accepts the edges: rates above 1 per 30 days, 0 draft and lead hours, 0 stock, a full log', () => {
    const s = load(
      withDistributions(
        '  product_archive_rate: 100\n  product_draft_hours: { min: 0, max: 0 }\n' +
          '  initial_stock: { min: 0, max: 0 }\n  log_sample_rate: 1\n  conversion_rate: 0.999\n',
      ),
    );
    expect(s.distributions.productArchiveRate).toBe(100);
    expect(s.distributions.productDraftHours).toEqual({ min: 0, max: 0 });
    expect(s.distributions.initialStock).toEqual({ min: 0, max: 0 });
    expect(s.distributions.logSampleRate).toBe(1);
  });
});

describe('refund_rate + return_rate <= 1', () => {
  it('accepts a sum of exactly 1', () => {
    const s = load(withDistributions('  refund_rate: 0.3\n  return_rate: 0.7\n'));
    expect(s.distributions.refundRate + s.distributions.returnRate).toBe(1);
  });

  it('names return_rate when the file sets both, with the room refund_rate leaves', () => {
    expect(errorOf(withDistributions('  refund_rate: 0.7\n  return_rate: 0.5\n'))).toMatch(
      /:14: distributions\.return_rate: 0\.5 is not allowed; expected a number from 0 to 0\.3 \(refund_rate \+ return_rate <= 1; refund_rate is 0\.7\)$/,
    );
  });

  it('names the field the file sets when the other is the default', () => {
    expect(errorOf(withDistributions('  refund_rate: 0.99\n'))).toMatch(
      /:13: distributions\.refund_rate: 0\.99 is not allowed; expected a number from 0 to 0\.96 \(.*return_rate is 0\.04\)$/,
    );
    expect(errorOf(withDistributions('  return_rate: 0.99\n'))).toMatch(
      /:13: distributions\.return_rate: 0\.99 is not allowed; expected a number from 0 to 0\.98 \(.*refund_rate is 0\.02\)$/,
    );
  });
});

describe('reporting_currency', () => {
  it.each(CURRENCY_CODES)('accepts %s', (code) => {
    expect(load(`${BASE}reporting_currency: ${code}\n`).reportingCurrency).toBe(code);
  });

  it('refuses an unknown code on one line listing the allowed ones', () => {
    const message = errorOf(`${BASE}reporting_currency: EURO\n`);
    expect(message).toMatch(
      /:12: reporting_currency: "EURO" is not allowed; expected one of: USD, EUR, GBP,/,
    );
    expect(message).toContain(CURRENCY_CODES.join(', '));
    expect(message).toContain('did you mean "EUR"?');
    expect(errorOf(`${BASE}reporting_currency: 978\n`)).toContain('reporting_currency: 978 is not allowed');
  });
});

describe('the shipped scenarios', () => {
  it.each(listScenarios())('%s documents every field it sets in scenarios/README.md', (name) => {
    const readme = readFileSync(join(SCENARIO_DIR, 'README.md'), 'utf8');
    const props = ScenarioFile.properties.distributions.properties;
    for (const field of [...Object.keys(props), 'reporting_currency']) {
      expect(readme, field).toContain(`| \`${field}\` |`);
    }
    expect(loadScenario(name).name).toBe(name);
  });

  /**
   * The buyer model the scenario files compute in their comments (issue 8 §3): active users = population x
   * the share not churned or banned before the window (users lived up to 730 days, exponential at the
   * default rates) + half the signups; (1 - repeat share) of orders uniformly, the rest from the 5% regulars;
   * orders per user Poisson. Returns the share of buyers with 1 or 2 orders in the window.
   */
  function buyersWithOneOrTwo(s: Scenario): number {
    const d = s.distributions;
    const x = ((d.userChurnRate + d.userBanRate) * 730) / 30;
    const signups = arrivals(s, 'signups');
    const active = s.population.users * ((1 - Math.exp(-x)) / x) + signups / 2;
    const orders = arrivals(s, 'orders');
    const anyone = ((1 - d.repeatCustomerShare) * orders) / active;
    const regular = anyone + (d.repeatCustomerShare * orders) / (0.05 * active);
    const buys = (l: number) => 1 - Math.exp(-l);
    const oneOrTwo = (l: number) => Math.exp(-l) * (l + (l * l) / 2);
    const buyers = 0.95 * buys(anyone) + 0.05 * buys(regular);
    return (0.95 * oneOrTwo(anyone) + 0.05 * oneOrTwo(regular)) / buyers;
  }

  function arrivals(s: Scenario, rate: 'orders' | 'signups'): number {
    let total = 0;
    for (let h = 0; h < s.hours; h++) {
      const t = s.start + h * HOUR;
      let m = s.rhythm[new Date(t).getUTCHours()] ?? Number.NaN;
      for (const e of s.events)
        if (e.appliesTo.includes(rate) && t >= e.start && t < e.start + e.hours * HOUR) m *= e.multiplier;
      total += s.rates[rate] * m;
    }
    return total;
  }

  it.each(listScenarios())('%s: most buyers order once or twice (85-91%)', (name) => {
    const share = buyersWithOneOrTwo(loadScenario(name));
    expect(share).toBeGreaterThan(0.85);
    expect(share).toBeLessThan(0.91);
  });

  it('the buyer model fails the populations of data version 3 (40,000 users for ~192,000 orders)', () => {
    const s = loadScenario('black-friday');
    s.population.users = 40_000;
    expect(buyersWithOneOrTwo(s)).toBeLessThan(0.4);
  });

  it('black-friday: deal-day funnel, sampled log, fewer regulars, at most 2x the rows of data version 3', () => {
    const s = loadScenario('black-friday');
    const d = s.distributions;
    expect(d.conversionRate).toBe(0.035);
    expect(d.logSampleRate).toBe(0.05);
    expect(d.repeatCustomerShare).toBeLessThan(defaults.distributions.repeatCustomerShare);
    // scenarios/README.md "Sizing", as the file's header computes it
    const orders = arrivals(s, 'orders');
    const log = (orders / d.conversionRate) * (1 + d.botShare) * d.logSampleRate * 6;
    const users = s.population.users + arrivals(s, 'signups');
    const methods = (s.population.paymentMethodsPerUser.min + s.population.paymentMethodsPerUser.max) / 2;
    // each with its global_entity row; ~3,250 shops and ~167,000 products, as data version 3 counted them
    const population = 2 * (users * (1 + methods) + 3_250 + 167_000);
    const rows = 21 * orders + log + population;
    expect(rows).toBeGreaterThan(8_000_000);
    expect(rows).toBeLessThan(2 * 6_190_000);
  });

  it('tiny exercises every new behaviour inside its 3 hours', () => {
    const s = loadScenario('tiny');
    const d = s.distributions;
    const hours = s.hours;
    // refunds and returns of hours 0 and 1 land inside the window
    expect(d.refundRate).toBeGreaterThan(0);
    expect(d.returnRate).toBeGreaterThan(0);
    expect(d.refundDelayHours).toEqual({ min: 1, max: 2 });
    // a few repricings and archivals expected among ~120 products
    expect(120 * d.repricingRate * (hours / 24)).toBeGreaterThan(5);
    expect(120 * d.productArchiveRate * (hours / 720)).toBeGreaterThan(2);
    // products listed in the window go active in it; promotions announced ahead start in it
    expect(d.productDraftHours.max).toBeLessThan(hours);
    expect(d.promotionLeadHours.max).toBeLessThan(hours);
    // popular products sell out: stock far below the units a popular product sells in 3 hours
    expect(d.initialStock.max).toBeLessThanOrEqual(10);
    expect(d.restockRate).toBeGreaterThan(0);
    expect(d.restockRate).toBeLessThan(1);
    expect(d.restockLeadHours.max).toBeLessThan(hours);
    expect(d.shopPauseRate).toBeGreaterThan(0);
    expect(d.userChurnRate).toBeGreaterThan(0);
    // a small log: sessions x sample rate stays in the hundreds
    const sessions = (140 / d.conversionRate) * (1 + d.botShare);
    expect(sessions * d.logSampleRate).toBeGreaterThan(100);
    expect(sessions * d.logSampleRate).toBeLessThan(500);
  });
});
