import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  applyOverrides,
  defaults,
  listScenarios,
  loadScenario,
  parseStart,
  RATE_NAMES,
  type RateName,
  SCENARIO_DIR,
  type Scenario,
} from '../../src/scenario/index.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'scenario-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

// Line numbers matter in the error tests below: keep this text's layout stable.
const BASE = `description: test scenario
seed: 1
window:
  start: 2026-11-27T00:00:00Z
  hours: 3
population:
  users: 100
  shop_owners: 5
  shops_per_owner: { min: 1, max: 2 }
  products_per_shop: { min: 1, max: 5 }
  payment_methods_per_user: { min: 1, max: 2 }
  promotions: 0
rates:
  signups: 1
  new_shops: 0
  new_products: 1
  orders: 10
  promotions: 0
distributions:
  items_per_order: { 1: 3, 2: 1 }
  review_delay_hours: { min: 1, max: 2 }
`;

/** BASE with one piece of text replaced; fails loudly if the piece is not there. */
function variant(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`test bug: ${from} not in BASE`);
  return BASE.replace(from, to);
}

let counter = 0;
/** Loads `text` from a fresh temp file and returns the UserError message it must throw. */
function errorOf(text: string, ext = 'yaml'): { message: string; file: string } {
  const file = write(`bad-${++counter}.${ext}`, text);
  return { message: messageOf(() => loadScenario(file)), file };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

/** Orders over the window, as the generator is meant to compute them: rate x rhythm x events. */
function expectedArrivals(s: Scenario, rate: RateName): number {
  let total = 0;
  for (let h = 0; h < s.hours; h++) {
    const t = s.start + h * HOUR;
    let m = s.rhythm[new Date(t).getUTCHours()] ?? Number.NaN;
    for (const e of s.events) {
      if (e.appliesTo.includes(rate) && t >= e.start && t < e.start + e.hours * HOUR) m *= e.multiplier;
    }
    total += s.rates[rate] * m;
  }
  return total;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('shipped scenarios', () => {
  it('lists the three shipped scenarios from the repo scenarios/ folder', () => {
    expect(SCENARIO_DIR.endsWith('scenarios')).toBe(true);
    expect(listScenarios()).toEqual(expect.arrayContaining(['black-friday', 'steady-week', 'tiny']));
  });

  it.each(listScenarios())('%s loads and is consistent', (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(s.file).toBe(join(SCENARIO_DIR, `${name}.yaml`));
    expect(s.scale).toBe(1);
    expect(s.rhythm).toHaveLength(24);
    expect(s.start % HOUR).toBe(0);
    for (const w of [s.distributions.itemsPerOrder, s.distributions.quantityPerItem]) {
      expect(sum(w.weights)).toBeCloseTo(1, 12);
      expect(w.values).toHaveLength(w.weights.length);
    }
    for (const e of s.events) {
      expect(e.start).toBeGreaterThanOrEqual(s.start);
      expect(e.start + e.hours * HOUR).toBeLessThanOrEqual(s.start + s.hours * HOUR);
    }
  });

  it('tiny is a 3-hour window with reviews that fit in it and every kind of activity switched on', () => {
    const s = loadScenario('tiny');
    expect(s.start).toBe(Date.UTC(2026, 10, 27));
    expect(s.hours).toBe(3);
    expect(s.population.users).toBe(200);
    expect(s.population.shopOwners).toBe(10);
    expect(s.population.shopsPerOwner).toEqual({ min: 1, max: 2 });
    expect(s.population.productsPerShop).toEqual({ min: 3, max: 15 });
    expect(s.distributions.reviewDelayHours).toEqual({ min: 1, max: 2 });
    expect(s.population.promotions).toBeGreaterThan(0);
    for (const r of RATE_NAMES) expect(s.rates[r]).toBeGreaterThan(0);
    const d = s.distributions;
    for (const p of [d.paymentFailureRate, d.reviewRate, d.promotionUseRate, d.cartAbandonmentRate]) {
      expect(p).toBeGreaterThan(0);
    }
    expect(d.apiErrorRate).toBeGreaterThan(0);
    expect(d.restockRate).toBeGreaterThan(0);
    expect(s.events.length).toBeGreaterThan(0);
    expect(expectedArrivals(s, 'orders')).toBeCloseTo(140, 6);
  });

  it('black-friday: 72 hours, four events, ~191,800 orders (rows: scenario-credible.test.ts)', () => {
    const s = loadScenario('black-friday');
    expect(s.start).toBe(Date.UTC(2026, 10, 27));
    expect(s.hours).toBe(72);
    expect(s.events.map((e) => e.name)).toEqual([
      'doorbusters',
      'black-friday',
      'small-business-saturday',
      'weekend-sale',
    ]);
    expect(sum(s.rhythm)).toBeCloseTo(24, 9);
    expect(Math.min(...s.rhythm)).toBeCloseTo(0.3, 9);
    expect(Math.max(...s.rhythm)).toBeCloseTo(1.6, 9);
    const orders = expectedArrivals(s, 'orders');
    // The figure written in the file's header comment.
    expect(orders).toBeCloseTo(191_812.5, 3);
  });

  it('steady-week: 168 hours from 2026-11-02, no events, all-default distributions', () => {
    const s = loadScenario('steady-week');
    expect(s.start).toBe(Date.UTC(2026, 10, 2));
    expect(s.hours).toBe(168);
    expect(s.events).toEqual([]);
    expect(expectedArrivals(s, 'orders')).toBeCloseTo(100_800, 6);
    expect(s.distributions).toEqual(defaults.distributions);
    // Same shops and users as black-friday; only the promotions running at the start differ.
    const bf = loadScenario('black-friday');
    expect({ ...s.population, promotions: 0 }).toEqual({ ...bf.population, promotions: 0 });
  });

  it('accepts a shipped file name with its extension from any working directory', () => {
    expect(loadScenario('tiny.yaml').name).toBe('tiny');
  });

  it('the example in scenarios/README.md is a valid scenario', () => {
    const readme = readFileSync(join(SCENARIO_DIR, 'README.md'), 'utf8');
    const example = /## Example\s+```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const s = loadScenario(write('readme-example.yaml', example ?? ''));
    expect(s.start).toBe(Date.UTC(2026, 11, 1));
    expect(s.events[0]?.appliesTo).toEqual(['orders']);
  });
});

describe('loading files', () => {
  it('fills in defaults and maps snake_case to camelCase', () => {
    const s = loadScenario(write('minimal.yaml', BASE));
    expect(s.name).toBe('minimal');
    expect(s.description).toBe('test scenario');
    expect(s.population).toEqual({
      users: 100,
      shopOwners: 5,
      shopsPerOwner: { min: 1, max: 2 },
      productsPerShop: { min: 1, max: 5 },
      paymentMethodsPerUser: { min: 1, max: 2 },
      promotions: 0,
    });
    expect(s.rates).toEqual({ signups: 1, new_shops: 0, new_products: 1, orders: 10, promotions: 0 });
    expect(s.rhythm).toEqual(defaults.rhythm);
    expect(s.events).toEqual([]);
    expect(s.distributions.itemsPerOrder).toEqual({ values: [1, 2], weights: [0.75, 0.25] });
    expect(s.distributions.reviewDelayHours).toEqual({ min: 1, max: 2 });
    expect(s.distributions.priceCents).toEqual(defaults.distributions.priceCents);
  });

  it('uses the default window when there is none', () => {
    const s = loadScenario(
      write('no-window.yaml', variant('window:\n  start: 2026-11-27T00:00:00Z\n  hours: 3\n', '')),
    );
    expect(s.start).toBe(defaults.start);
    expect(s.hours).toBe(defaults.hours);
  });

  it('an explicit name wins over the file name; events get all rates by default', () => {
    const text = `name: custom\n${BASE}events:\n  - { name: e, start: 2026-11-27T01:00:00Z, hours: 1, multiplier: 2 }\n`;
    const s = loadScenario(write('file-name.yaml', text));
    expect(s.name).toBe('custom');
    expect(s.events).toEqual([
      { name: 'e', start: Date.UTC(2026, 10, 27, 1), hours: 1, multiplier: 2, appliesTo: [...RATE_NAMES] },
    ]);
  });

  it('reads JSON files', () => {
    const json = JSON.stringify({
      description: 'json',
      seed: 9,
      window: { start: '2026-11-27', hours: 2 },
      population: {
        users: 10,
        shop_owners: 2,
        shops_per_owner: { min: 1, max: 1 },
        products_per_shop: { min: 1, max: 3 },
        payment_methods_per_user: { min: 1, max: 1 },
        promotions: 0,
      },
      rates: { signups: 0, new_shops: 0, new_products: 0, orders: 5, promotions: 0 },
      distributions: { quantity_per_item: { '1': 1 } },
    });
    const s = loadScenario(write('plain.json', json));
    expect(s.name).toBe('plain');
    expect(s.seed).toBe(9);
    expect(s.distributions.quantityPerItem).toEqual({ values: [1], weights: [1] });
  });

  it('returns a fresh copy: changing one scenario does not change the defaults or the next load', () => {
    const a = loadScenario('steady-week');
    a.distributions.priceCents.min = 1;
    expect(loadScenario('steady-week').distributions.priceCents.min).toBe(
      defaults.distributions.priceCents.min,
    );
  });
});

describe('errors: one line with file, line, field, value and what is allowed', () => {
  it('unknown field, with a suggestion', () => {
    const { message, file } = errorOf(variant('  shop_owners: 5', '  shop_ownrs: 5'));
    expect(message).toContain(`${file}:8: population.shop_ownrs: unknown field "shop_ownrs"`);
    expect(message).toContain('did you mean "shop_owners"?');
    expect(message).toContain('expected one of: users, shop_owners,');
  });

  it('unknown field in camelCase suggests the snake_case one', () => {
    const { message } = errorOf(variant('  review_delay_hours:', '  reviewDelayHours:'));
    expect(message).toMatch(
      /:21: distributions\.reviewDelayHours: unknown field .*did you mean "review_delay_hours"\?/,
    );
  });

  it('unknown field far from any known one has no suggestion', () => {
    const { message } = errorOf(`${BASE}zzzzzz: 1\n`);
    expect(message).toMatch(
      /:22: zzzzzz: unknown field "zzzzzz" is not allowed; expected one of: name, description/,
    );
    expect(message).not.toContain('did you mean');
  });

  it('wrong type', () => {
    const { message, file } = errorOf(variant('  users: 100', '  users: many'));
    expect(message).toBe(
      `${file}:7: population.users: "many" is not allowed; expected an integer from 1 to 100000000`,
    );
  });

  it('a number with underscores gets a hint', () => {
    const { message } = errorOf(variant('  users: 100', '  users: 40_000'));
    expect(message).toContain('population.users: "40_000" is not allowed');
    expect(message).toContain('write it without underscores: 40000');
  });

  it('negative rate', () => {
    const { message, file } = errorOf(variant('  orders: 10', '  orders: -5'));
    expect(message).toBe(
      `${file}:17: rates.orders: -5 is not allowed; expected a number > 0 and <= 10000000`,
    );
  });

  it('missing rate names the parent line and what is expected', () => {
    const { message, file } = errorOf(variant('  orders: 10\n', ''));
    expect(message).toBe(`${file}:13: rates.orders is missing; expected a number > 0 and <= 10000000`);
  });

  it('missing seed', () => {
    const { message, file } = errorOf(variant('seed: 1\n', ''));
    expect(message).toBe(`${file}: seed is missing; expected an integer from 0 to 4294967295`);
  });

  it('seed outside uint32', () => {
    const { message } = errorOf(variant('seed: 1', 'seed: 4294967296'));
    expect(message).toMatch(/:2: seed: 4294967296 is not allowed; expected an integer from 0 to 4294967295$/);
  });

  it('zero hours', () => {
    const { message, file } = errorOf(variant('  hours: 3', '  hours: 0'));
    expect(message).toBe(`${file}:5: window.hours: 0 is not allowed; expected an integer from 1 to 8760`);
  });

  it('items_per_order weights all zero', () => {
    const { message, file } = errorOf(variant('{ 1: 3, 2: 1 }', '{ 1: 0, 2: 0 }'));
    expect(message).toContain(`${file}:20: distributions.items_per_order: {"1":0,"2":0} is not allowed;`);
    expect(message).toContain('at least one > 0');
  });

  it('items_per_order value out of range', () => {
    const { message } = errorOf(variant('{ 1: 3, 2: 1 }', '{ 1: 3, 21: 1 }'));
    expect(message).toMatch(
      /:20: distributions\.items_per_order\.21: 21 is not allowed; expected a value \(key\) that is an integer from 1 to 20$/,
    );
  });

  it('negative weight', () => {
    const { message } = errorOf(variant('{ 1: 3, 2: 1 }', '{ 1: 3, 2: -1 }'));
    expect(message).toMatch(
      /:20: distributions\.items_per_order\.2: -1 is not allowed; expected a number >= 0$/,
    );
  });

  it('start not a date', () => {
    const { message, file } = errorOf(variant('2026-11-27T00:00:00Z', 'next friday'));
    expect(message).toBe(
      `${file}:4: window.start: "next friday" is not allowed; expected an hour-aligned UTC time like 2026-11-27T00:00:00Z, or a date like 2026-11-27`,
    );
  });

  it('start not hour-aligned', () => {
    const { message, file } = errorOf(variant('2026-11-27T00:00:00Z', '2026-11-27T00:30:00Z'));
    expect(message).toBe(
      `${file}:4: window.start: "2026-11-27T00:30:00Z" is not allowed; expected an hour-aligned UTC time (minutes and seconds 0), like 2026-11-27T00:00:00Z`,
    );
  });

  it('start without an offset', () => {
    const { message } = errorOf(variant('2026-11-27T00:00:00Z', '2026-11-27T00:00:00'));
    expect(message).toContain('window.start: "2026-11-27T00:00:00" is not allowed');
    expect(message).toContain('add Z for UTC');
  });

  it('impossible calendar date', () => {
    const { message } = errorOf(variant('2026-11-27T00:00:00Z', '2026-02-30'));
    expect(message).toContain('window.start: "2026-02-30" is not allowed');
  });

  it('rhythm with 23 entries', () => {
    const rhythm = `rhythm: [${Array.from({ length: 23 }, () => 1).join(', ')}]\n`;
    const { message, file } = errorOf(`${BASE}${rhythm}`);
    expect(message).toMatch(
      new RegExp(
        `^${reEscape(file)}:22: rhythm: \\[1,1,.*\\] is not allowed; expected a list of exactly 24 numbers .*; it has 23$`,
      ),
    );
  });

  it('rhythm entry negative', () => {
    const rhythm = `rhythm:\n${Array.from({ length: 24 }, (_, i) => `  - ${i === 5 ? -1 : 1}\n`).join('')}`;
    const { message } = errorOf(`${BASE}${rhythm}`);
    expect(message).toMatch(/:28: rhythm\[5\]: -1 is not allowed; expected a number from 0 to 100$/);
  });

  it('review_delay_hours.min 0', () => {
    const { message, file } = errorOf(
      variant('review_delay_hours: { min: 1', 'review_delay_hours: { min: 0'),
    );
    expect(message).toBe(
      `${file}:21: distributions.review_delay_hours.min: 0 is not allowed; expected an integer from 1 to 8760`,
    );
  });

  it('range with max below min', () => {
    const { message } = errorOf(
      variant('shops_per_owner: { min: 1, max: 2 }', 'shops_per_owner: { min: 3, max: 2 }'),
    );
    expect(message).toMatch(
      /:9: population\.shops_per_owner\.max: 2 is not allowed; expected an integer from min \(3\) to 1000$/,
    );
  });

  it('more shop owners than users', () => {
    const { message } = errorOf(variant('  shop_owners: 5', '  shop_owners: 500'));
    expect(message).toMatch(
      /:8: population\.shop_owners: 500 is not allowed; expected an integer from 1 to 100$/,
    );
  });

  it('probability of 1 where it must be < 1', () => {
    const { message } = errorOf(`${BASE}  payment_failure_rate: 1\n`);
    expect(message).toMatch(
      /:22: distributions\.payment_failure_rate: 1 is not allowed; expected a number >= 0 and < 1$/,
    );
  });

  it('api latency p99 below the median', () => {
    const { message } = errorOf(`${BASE}  api_latency_ms: { median: 100, p99: 50 }\n`);
    expect(message).toMatch(
      /:22: distributions\.api_latency_ms\.p99: 50 is not allowed; expected a number from median \(100\)/,
    );
  });

  it('event: bad rate name, suggestion; duplicate name; outside the window', () => {
    const event = (fields: string) =>
      `${BASE}events:\n  - { name: a, start: 2026-11-27T01:00:00Z, hours: 1, multiplier: 2${fields} }\n`;
    expect(errorOf(event(', applies_to: [order]')).message).toMatch(
      /:23: events\[0\]\.applies_to\[0\]: "order" is not allowed; expected one of: signups, .* \(did you mean "orders"\?\)$/,
    );
    const dup = `${event('')}  - { name: a, start: 2026-11-27T02:00:00Z, hours: 1, multiplier: 2 }\n`;
    expect(errorOf(dup).message).toMatch(
      /:24: events\[1\]\.name: "a" is not allowed; expected a name that no other event uses$/,
    );
    const outside = event('').replace('2026-11-27T01:00:00Z', '2025-11-27T01:00:00Z');
    expect(errorOf(outside).message).toMatch(
      /:23: events\[0\]\.start: "2025-11-27T01:00:00Z" is not allowed; expected a time such that the event overlaps the window 2026-11-27T00:00:00Z \.\. 2026-11-27T03:00:00Z$/,
    );
  });

  it("an event outside the file's window but inside --hours' is no typo", () => {
    // the file's window is 3 hours from 2026-11-27T00:00Z; the event is on day 8
    const file = write(
      `week-${++counter}.yaml`,
      `${BASE}events:\n  - { name: a, start: 2026-12-04T00:00:00Z, hours: 2, multiplier: 2 }\n`,
    );
    expect(messageOf(() => loadScenario(file))).toMatch(/overlaps the window .* \.\. 2026-11-27T03:00:00Z$/);
    const week = applyOverrides(loadScenario(file, 240), { hours: 240 });
    expect(week.events.map((e) => e.name)).toEqual(['a']);
    // still a typo when --hours does not reach it either; and a --hours applyOverrides refuses is no window
    expect(messageOf(() => loadScenario(file, 48))).toMatch(
      /overlaps the window .* \.\. 2026-11-29T00:00:00Z$/,
    );
    expect(messageOf(() => loadScenario(file, 1e9))).toMatch(/\.\. 2026-11-27T03:00:00Z$/);
  });

  it('a field missing inside a list item points at the item', () => {
    const text = `${BASE}events:\n  - name: a\n    start: 2026-11-27T01:00:00Z\n    hours: 1\n`;
    expect(errorOf(text).message).toMatch(
      /:23: events\[0\]\.multiplier is missing; expected a number from 0 to 1000$/,
    );
  });

  it('a mapping where a number belongs', () => {
    const { message } = errorOf(variant('  orders: 10', '  orders: { per_hour: 10 }'));
    expect(message).toMatch(/:17: rates\.orders: \{"per_hour":10\} is not allowed; expected a number > 0/);
  });

  it('syntax error carries the line number', () => {
    const { message, file } = errorOf(variant('  hours: 3', '  hours: [3'));
    expect(message).toMatch(new RegExp(`^${reEscape(file)}:\\d+:\\d+: YAML syntax error: .+`));
    const line = Number(message.slice(file.length + 1).split(':')[0]);
    expect(line).toBeGreaterThanOrEqual(5);
    expect(line).toBeLessThanOrEqual(6);
  });

  it('a .json file with a syntax error is called JSON', () => {
    const { message, file } = errorOf('{"name": "x", ', 'json');
    expect(message).toMatch(
      new RegExp(`^${reEscape(file)}:\\d+:\\d+: JSON syntax error: .+; expected one valid JSON document$`),
    );
  });

  it('a duplicate key is a syntax error, not a silent override', () => {
    const { message, file } = errorOf(variant('seed: 1\n', 'seed: 1\nseed: 2\n'));
    expect(message).toMatch(new RegExp(`^${reEscape(file)}:3:1: YAML syntax error: Map keys must be unique`));
  });

  it('empty file', () => {
    const { message, file } = errorOf('# nothing here\n');
    expect(message).toBe(
      `${file}: the file is empty; expected a mapping with at least description, seed, population and rates`,
    );
  });

  it('top level that is not a mapping', () => {
    const { message } = errorOf('- 1\n- 2\n');
    expect(message).toMatch(
      /:1: \(top level\): \[1,2\] is not allowed; expected a mapping with the fields: name,/,
    );
  });

  it('unreadable file: missing, or a directory', () => {
    const missing = join(dir, 'does-not-exist.yaml');
    expect(messageOf(() => loadScenario(missing))).toBe(
      `${missing}: cannot read the scenario file: no such file`,
    );
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    expect(messageOf(() => loadScenario(folder))).toBe(
      `${folder}: cannot read the scenario file: it is a directory, not a file`,
    );
  });

  it('a path that is not .yaml/.yml/.json', () => {
    const file = write('notes.txt', BASE);
    expect(messageOf(() => loadScenario(file))).toBe(
      `${file}: not a scenario file; expected a path ending in .yaml, .yml or .json`,
    );
  });

  it('unknown scenario name lists the known ones', () => {
    const message = messageOf(() => loadScenario('cyber-monday'));
    expect(message).toMatch(
      /^unknown scenario "cyber-monday"; known scenarios: black-friday, steady-week, tiny;/,
    );
    expect(messageOf(() => loadScenario('tinny'))).toContain('did you mean "tiny"?');
  });
});

describe('applyOverrides', () => {
  const base = loadScenario('black-friday');

  it('overrides hours, scale and seed without touching the original', () => {
    const s = applyOverrides(base, { hours: 24, scale: 0.5, seed: 7 });
    expect([s.hours, s.scale, s.seed]).toEqual([24, 0.5, 7]);
    expect([base.hours, base.scale, base.seed]).toEqual([72, 1, 20261127]);
    expect(s.events).toEqual(base.events);
  });

  it('an empty override changes nothing', () => {
    expect(applyOverrides(base, {})).toEqual(base);
  });

  it('--start moves the events with the window', () => {
    const start = Date.UTC(2027, 10, 26);
    const s = applyOverrides(base, { start });
    expect(s.start).toBe(start);
    const shift = start - base.start;
    expect(s.events.map((e) => e.start)).toEqual(base.events.map((e) => e.start + shift));
    expect(s.events[0]?.start).toBe(start);
    expect(s.events[1]?.start).toBe(start + 6 * HOUR);
    expect(base.events[0]?.start).toBe(Date.UTC(2026, 10, 27));
  });

  it.each([
    [{ hours: 0 }, '--hours: 0 is not allowed; expected an integer from 1 to 8760'],
    [{ hours: 1.5 }, '--hours: 1.5 is not allowed; expected an integer from 1 to 8760'],
    [{ hours: 8761 }, '--hours: 8761 is not allowed; expected an integer from 1 to 8760'],
    [{ scale: 0 }, '--scale: 0 is not allowed; expected a number > 0 and <= 1000'],
    [{ scale: 1001 }, '--scale: 1001 is not allowed; expected a number > 0 and <= 1000'],
    [{ scale: Number.NaN }, '--scale: NaN is not allowed; expected a number > 0 and <= 1000'],
    [{ seed: -1 }, '--seed: -1 is not allowed; expected an integer from 0 to 4294967295'],
    [{ seed: 2 ** 32 }, '--seed: 4294967296 is not allowed; expected an integer from 0 to 4294967295'],
    [
      { start: Date.UTC(2026, 10, 27, 0, 30) },
      '--start: 2026-11-27T00:30:00Z is not allowed; expected an hour-aligned UTC time like 2026-11-27T00:00:00Z',
    ],
    // past the year 9999 the files were written with broken timestamps
    [
      { start: Date.UTC(9999, 11, 30, 22), hours: 4 },
      "--hours: 4 is not allowed: the window from 9999-12-30T22:00:00Z for 4 hours ends after 9999-12-31T00:00:00Z, where the partitions' bounds run out of 4-digit years; expected a window that ends by then (at most 2 hours from this start)",
    ],
    [
      { start: Date.UTC(9999, 11, 30, 23) },
      `--start: 9999-12-30T23:00:00Z is not allowed: the window from 9999-12-30T23:00:00Z for ${base.hours} hours ends after 9999-12-31T00:00:00Z, where the partitions' bounds run out of 4-digit years; expected a window that ends by then (at most 1 hour from this start)`,
    ],
  ])('rejects %o', (o, expected) => {
    expect(messageOf(() => applyOverrides(base, o))).toBe(expected);
  });

  it("refuses a file's window that ends past 9999-12-30 too, naming the scenario", () => {
    const late = { ...base, start: Date.UTC(9999, 11, 30, 22), hours: 4 };
    expect(messageOf(() => applyOverrides(late, {}))).toMatch(
      new RegExp(`^scenario ${base.name}: 9999-12-30T22:00:00Z is not allowed: the window from`),
    );
  });
});

describe('parseStart', () => {
  it.each([
    ['2026-11-27', Date.UTC(2026, 10, 27)],
    ['2026-11-27T00:00:00Z', Date.UTC(2026, 10, 27)],
    ['2026-11-27T05:00Z', Date.UTC(2026, 10, 27, 5)],
    ['2026-11-27T05:00:00.000Z', Date.UTC(2026, 10, 27, 5)],
    ['2026-11-27T06:00:00+01:00', Date.UTC(2026, 10, 27, 5)],
  ])('accepts %s', (text, ms) => {
    expect(parseStart(text, '--start')).toBe(ms);
  });

  it.each([
    ['tomorrow', 'like 2026-11-27T00:00:00Z'],
    ['2026-11-27T00:00:00', 'add Z for UTC'],
    ['2026-11-27T00:00:01Z', 'hour-aligned'],
    ['2026-11-27T00:00:00.5Z', 'hour-aligned'],
    ['2026-11-27T05:00:00+05:30', 'hour-aligned'],
    ['2026-13-01', 'like 2026-11-27T00:00:00Z'],
    ['2026-11-27T24:00:00Z', 'like 2026-11-27T00:00:00Z'],
  ])('rejects %s naming the flag', (text, hint) => {
    const message = messageOf(() => parseStart(text, '--start'));
    expect(message).toMatch(new RegExp(`^--start: "${reEscape(text)}" is not allowed; expected `));
    expect(message).toContain(hint);
  });
});

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
