/**
 * Reads scenario files (YAML or JSON, snake_case keys) into the typed, validated Scenario.
 * This is the only place that trusts user input: everything after it takes the Scenario as given.
 * The format is documented field by field in scenarios/README.md.
 */

import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { fromRoot } from '../package-root.js';
import { defaults } from './defaults.js';
import { type Bounds, type Checker, describeBounds, type Path, suggest } from './fields.js';
import { HOUR_MS, show } from './time.js';
import type {
  Distributions,
  Population,
  RateName,
  Scenario,
  ScenarioOverrides,
  TrafficEvent,
} from './types.js';
import { RATE_NAMES } from './types.js';
import { displayPath, readYamlFile } from './yaml-file.js';

export { parseStart } from './time.js';

/** A year of hourly partitions; longer windows are more likely a typo than a plan. */
const MAX_HOURS = 8760;
const UINT32_MAX = 4_294_967_295;
/** The latest start a file can give (a 4-digit year); --start may not go further. */
const LATEST_START = Date.UTC(9999, 11, 31, 23);
/**
 * The plan keeps each hour's arrival counts in 32-bit integers (src/generate/plan.ts), so the busiest hour of a
 * rate (rate x scale x rhythm x the events running then, plus up to 5% noise) must stay well below 2^31.
 */
const MAX_ARRIVALS_PER_HOUR = 1_000_000_000;

/** The repo's scenarios/ folder. */
export const SCENARIO_DIR: string = fromRoot('scenarios');

/** Names of the shipped scenarios (scenarios/*.yaml), sorted. */
export function listScenarios(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

const SCENARIO_EXT = /\.(ya?ml|json)$/i;

/** A path shown in messages: relative to the working directory when it is inside it, as users typed it. */

function locate(nameOrPath: string): string {
  const pathLike = /[\\/]/.test(nameOrPath) || SCENARIO_EXT.test(nameOrPath);
  if (!pathLike) {
    const shipped = join(SCENARIO_DIR, `${nameOrPath}.yaml`);
    if (nameOrPath !== '' && existsSync(shipped)) return shipped;
    const known = listScenarios();
    const hint = suggest(nameOrPath, known);
    throw new UserError(
      `unknown scenario ${show(nameOrPath)}; ${hint ? `did you mean "${hint}"? ` : ''}known scenarios: ${
        known.join(', ') || '(none)'
      }; or give a path to a .yaml, .yml or .json file`,
    );
  }
  const file = resolve(nameOrPath);
  if (!SCENARIO_EXT.test(file)) {
    throw new UserError(
      `${displayPath(file)}: not a scenario file; expected a path ending in .yaml, .yml or .json`,
    );
  }
  // `tiny.yaml` typed from anywhere: fall back to the shipped file of that name.
  if (!existsSync(file) && !/[\\/]/.test(nameOrPath)) {
    const shipped = join(SCENARIO_DIR, nameOrPath);
    if (existsSync(shipped)) return shipped;
  }
  return file;
}

/**
 * Loads a shipped scenario by name (`black-friday`) or a file by path (`./my.yaml`), validates every
 * field, fills in the defaults and returns the typed Scenario. Throws UserError on any problem.
 */
export function loadScenario(nameOrPath: string): Scenario {
  const file = locate(nameOrPath);
  const { checker, data } = readYamlFile(file, displayPath(file), 'scenario file');
  if (data === null || data === undefined) {
    throw new UserError(
      `${checker.display}: the file is empty; expected a mapping with at least description, seed, population and rates`,
    );
  }
  const scenario = buildScenario(checker, data, file);
  const big = oversizedEntities(scenario);
  if (big) {
    throw new UserError(
      `${checker.display}: population/rates: ${big.what} would reach about ${Math.round(big.n).toLocaleString('en-US')}; expected at most ${MAX_ENTITIES.toLocaleString('en-US')}`,
    );
  }
  return scenario;
}

// ---- the schema --------------------------------------------------------------------------------------

const TOP_FIELDS = [
  'name',
  'description',
  'seed',
  'window',
  'population',
  'rates',
  'rhythm',
  'events',
  'distributions',
] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function need(c: Checker, path: Path, value: unknown, expected: string): unknown {
  if (value === undefined) c.missing(path, expected);
  return value;
}

function buildScenario(c: Checker, data: unknown, file: string): Scenario {
  const top = c.object([], data, TOP_FIELDS);

  const name =
    top.name === undefined
      ? basename(file, extname(file))
      : c.string(['name'], top.name, 'a name of letters, digits, ".", "_" or "-" (at most 64)', NAME);
  const description = c.string(
    ['description'],
    need(c, ['description'], top.description, 'a non-empty string'),
    'a non-empty string',
  );
  const seed = c.int(
    ['seed'],
    need(c, ['seed'], top.seed, `an integer from 0 to ${UINT32_MAX}`),
    0,
    UINT32_MAX,
  );

  let start = defaults.start;
  let hours = defaults.hours;
  if (top.window !== undefined) {
    const w = c.object(['window'], top.window, ['start', 'hours']);
    if (w.start !== undefined) start = c.instant(['window', 'start'], w.start);
    if (w.hours !== undefined) hours = c.int(['window', 'hours'], w.hours, 1, MAX_HOURS);
  }

  const s: Scenario = {
    name,
    file,
    description,
    seed,
    start,
    hours,
    scale: 1,
    population: population(c, need(c, ['population'], top.population, 'a mapping')),
    rates: rates(c, need(c, ['rates'], top.rates, 'a mapping')),
    rhythm: top.rhythm === undefined ? [...defaults.rhythm] : rhythm(c, top.rhythm),
    events: top.events === undefined ? [] : events(c, top.events, start, hours),
    distributions: distributions(c, top.distributions),
  };
  const over = busiestHourOver(s);
  if (over) {
    c.fail(
      ['rates', over.rate],
      s.rates[over.rate],
      `a rate whose busiest hour (rate x rhythm x events) stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals; it reaches ${Math.round(over.arrivals)} at ${iso(over.at)}`,
    );
  }
  return s;
}

/** The first rate and hour whose arrivals exceed MAX_ARRIVALS_PER_HOUR, if any. */
function busiestHourOver(s: Scenario): { rate: RateName; at: number; arrivals: number } | undefined {
  for (const rate of RATE_NAMES) {
    for (let h = 0; h < s.hours; h++) {
      const at = s.start + h * HOUR_MS;
      let arrivals = s.rates[rate] * s.scale * (s.rhythm[new Date(at).getUTCHours()] ?? 1);
      for (const e of s.events) {
        if (at >= e.start && at < e.start + e.hours * HOUR_MS && e.appliesTo.includes(rate))
          arrivals *= e.multiplier;
      }
      if (arrivals > MAX_ARRIVALS_PER_HOUR) return { rate, at, arrivals };
    }
  }
  return undefined;
}

const POPULATION_FIELDS = [
  'users',
  'shop_owners',
  'shops_per_owner',
  'products_per_shop',
  'payment_methods_per_user',
  'promotions',
] as const;

function population(c: Checker, value: unknown): Population {
  const f = c.object(['population'], value, POPULATION_FIELDS);
  const at = (k: string): Path => ['population', k];
  const get = (k: string, expected: string) => need(c, at(k), f[k], expected);
  const users = c.int(at('users'), get('users', 'an integer from 1 to 100000000'), 1, 100_000_000);
  // Shop owners are users that own shops, so there cannot be more of them than users.
  const shopOwners = c.int(
    at('shop_owners'),
    get('shop_owners', `an integer from 1 to population.users (${users})`),
    1,
    users,
  );
  return {
    users,
    shopOwners,
    shopsPerOwner: c.range(at('shops_per_owner'), get('shops_per_owner', '{min, max}'), 1, 1000),
    // min 1: an order needs a product in its shop.
    productsPerShop: c.range(at('products_per_shop'), get('products_per_shop', '{min, max}'), 1, 100_000),
    // min 1: every payment is made with one of the user's payment methods.
    paymentMethodsPerUser: c.range(
      at('payment_methods_per_user'),
      get('payment_methods_per_user', '{min, max}'),
      1,
      20,
    ),
    promotions: c.int(at('promotions'), get('promotions', 'an integer from 0 to 10000000'), 0, 10_000_000),
  };
}

function rates(c: Checker, value: unknown): Record<RateName, number> {
  const f = c.object(['rates'], value, RATE_NAMES);
  const out = {} as Record<RateName, number>;
  for (const r of RATE_NAMES) {
    // Orders drive almost every table; a scenario without them generates next to nothing.
    const b: Bounds =
      r === 'orders' ? { min: 0, minExclusive: true, max: 10_000_000 } : { min: 0, max: 10_000_000 };
    out[r] = c.number(['rates', r], need(c, ['rates', r], f[r], describeBounds(b)), b);
  }
  return out;
}

function rhythm(c: Checker, value: unknown): number[] {
  const expected = 'a list of exactly 24 numbers from 0 to 100, one per UTC hour of the day (0-23)';
  if (!Array.isArray(value)) c.fail(['rhythm'], value, expected);
  const list: unknown[] = value;
  if (list.length !== 24) c.fail(['rhythm'], value, `${expected}; it has ${list.length}`);
  const out = list.map((v, i) => c.number(['rhythm', i], v, { min: 0, max: 100 }));
  if (!out.some((v) => v > 0)) c.fail(['rhythm'], value, `${expected}, at least one > 0`);
  return out;
}

const EVENT_FIELDS = ['name', 'start', 'hours', 'multiplier', 'applies_to'] as const;

const isRateName = (s: unknown): s is RateName => (RATE_NAMES as readonly unknown[]).includes(s);

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function events(c: Checker, value: unknown, windowStart: number, windowHours: number): TrafficEvent[] {
  if (!Array.isArray(value))
    c.fail(['events'], value, `a list of events, each with: ${EVENT_FIELDS.join(', ')}`);
  const list: unknown[] = value;
  const names = new Set<string>();
  return list.map((item, i): TrafficEvent => {
    const p = (k: string): Path => ['events', i, k];
    const f = c.object(['events', i], item, EVENT_FIELDS);
    const name = c.string(p('name'), need(c, p('name'), f.name, 'a non-empty string'), 'a non-empty string');
    if (names.has(name)) c.fail(p('name'), name, 'a name that no other event uses');
    names.add(name);
    const start = c.instant(p('start'), need(c, p('start'), f.start, 'an hour-aligned UTC time'));
    const hours = c.int(
      p('hours'),
      need(c, p('hours'), f.hours, `an integer from 1 to ${MAX_HOURS}`),
      1,
      MAX_HOURS,
    );
    const windowEnd = windowStart + windowHours * HOUR_MS;
    // An event that misses the window entirely is almost always a typo (wrong year or day).
    if (start >= windowEnd || start + hours * HOUR_MS <= windowStart) {
      c.fail(
        p('start'),
        f.start,
        `a time such that the event overlaps the window ${iso(windowStart)} .. ${iso(windowEnd)}`,
      );
    }
    const multiplier = c.number(
      p('multiplier'),
      need(c, p('multiplier'), f.multiplier, 'a number from 0 to 1000'),
      { min: 0, max: 1000 },
    );
    return {
      name,
      start,
      hours,
      multiplier,
      appliesTo: appliesTo(c, ['events', i, 'applies_to'], f.applies_to),
    };
  });
}

function appliesTo(c: Checker, path: Path, value: unknown): RateName[] {
  if (value === undefined) return [...RATE_NAMES];
  const expected = `a non-empty list of rate names from: ${RATE_NAMES.join(', ')}`;
  if (!Array.isArray(value) || value.length === 0) c.fail(path, value, expected);
  const list: unknown[] = value;
  const chosen = new Set<RateName>();
  list.forEach((v, j) => {
    if (!isRateName(v)) {
      const hint = typeof v === 'string' ? suggest(v, RATE_NAMES) : undefined;
      c.fail([...path, j], v, `one of: ${RATE_NAMES.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    if (chosen.has(v)) c.fail([...path, j], v, 'each rate name at most once');
    chosen.add(v);
  });
  // Canonical order, so two files that list the same rates give the same Scenario.
  return RATE_NAMES.filter((r) => chosen.has(r));
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

type Reader<T> = (c: Checker, path: Path, value: unknown) => T;

const probability = (maxExclusive: boolean): Bounds => ({ min: 0, max: 1, maxExclusive });

/** One reader per field; the mapped type makes the compiler insist that every field of Distributions has one. */
const DISTRIBUTION_READERS: { [K in keyof Distributions]: Reader<Distributions[K]> } = {
  itemsPerOrder: (c, p, v) => c.weights(p, v, 1, 20),
  quantityPerItem: (c, p, v) => c.weights(p, v, 1, 99),
  productPopularitySkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  shopPopularitySkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  shopSizeSkew: (c, p, v) => c.number(p, v, { min: 0, max: 10 }),
  priceCents: (c, p, v) => c.range(p, v, 1, 100_000_000),
  // < 1: with every attempt failing no order could ever be paid.
  paymentFailureRate: (c, p, v) => c.number(p, v, probability(true)),
  paymentMaxRetries: (c, p, v) => c.int(p, v, 0, 5),
  reviewRate: (c, p, v) => c.number(p, v, probability(false)),
  // >= 1 hour: a review is written after the order, in a later hourly partition.
  reviewDelayHours: (c, p, v) => c.range(p, v, 1, MAX_HOURS),
  promotionUseRate: (c, p, v) => c.number(p, v, probability(false)),
  promotionDiscountPercent: (c, p, v) => c.range(p, v, 1, 90),
  promotionDurationHours: (c, p, v) => c.range(p, v, 1, MAX_HOURS),
  // < 1: with every cart abandoned there would be no payments, invoices or reviews.
  cartAbandonmentRate: (c, p, v) => c.number(p, v, probability(true)),
  apiRequestsPerOrder: (c, p, v) => c.range(p, v, 1, 100),
  apiLatencyMs: (c, p, v) => {
    const f = c.object(p, v, ['median', 'p99']);
    const median = c.number(
      [...p, 'median'],
      need(c, [...p, 'median'], f.median, 'a number > 0 and <= 600000'),
      { min: 0, minExclusive: true, max: 600_000 },
    );
    const p99 = c.number(
      [...p, 'p99'],
      need(c, [...p, 'p99'], f.p99, `a number from median (${median}) to 600000`),
      {
        min: 0,
        max: 600_000,
      },
    );
    if (p99 < median) c.fail([...p, 'p99'], p99, `a number from median (${median}) to 600000`);
    return { median, p99 };
  },
  apiErrorRate: (c, p, v) => c.number(p, v, probability(false)),
  restockRate: (c, p, v) => c.number(p, v, probability(false)),
  restockQuantity: (c, p, v) => c.range(p, v, 1, 1_000_000),
};

const DISTRIBUTION_FIELDS = Object.keys(DISTRIBUTION_READERS).map(snake);

function distributions(c: Checker, value: unknown): Distributions {
  // structuredClone: the defaults are frozen and shared; each Scenario gets its own copy.
  const out: Distributions = structuredClone(defaults.distributions);
  if (value === undefined) return out;
  const f = c.object(['distributions'], value, DISTRIBUTION_FIELDS);
  const read = <K extends keyof Distributions>(key: K) => {
    const v = f[snake(key)];
    if (v !== undefined) out[key] = DISTRIBUTION_READERS[key](c, ['distributions', snake(key)], v);
  };
  for (const key of Object.keys(DISTRIBUTION_READERS) as (keyof Distributions)[]) read(key);
  return out;
}

// ---- command-line overrides --------------------------------------------------------------------------

function checkFlag(flag: string, value: number, b: Bounds): number {
  const ok =
    Number.isFinite(value) &&
    (!b.integer || Number.isSafeInteger(value)) &&
    (b.min === undefined || (b.minExclusive ? value > b.min : value >= b.min)) &&
    (b.max === undefined || (b.maxExclusive ? value < b.max : value <= b.max));
  if (!ok) throw new UserError(`${flag}: ${show(value)} is not allowed; expected ${describeBounds(b)}`);
  return value;
}

/**
 * Applies --hours/--scale/--seed/--start to a loaded scenario (returns a new one). A new start moves the
 * events by the same amount, so "doorbusters in the first 3 hours" stays in the first 3 hours.
 */
export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out = structuredClone(s);
  if (o.hours !== undefined)
    out.hours = checkFlag('--hours', o.hours, { integer: true, min: 1, max: MAX_HOURS });
  if (o.scale !== undefined) {
    out.scale = checkFlag('--scale', o.scale, { min: 0, minExclusive: true, max: 1000 });
  }
  if (o.seed !== undefined)
    out.seed = checkFlag('--seed', o.seed, { integer: true, min: 0, max: UINT32_MAX });
  if (o.start !== undefined) {
    // Date can only show |ms| <= 8.64e15; beyond that print the number itself.
    const shown = Math.abs(o.start) <= 8.64e15 ? iso(Math.trunc(o.start)) : show(o.start);
    if (!Number.isSafeInteger(o.start) || o.start < 0 || o.start % HOUR_MS !== 0) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time like 2026-11-27T00:00:00Z`,
      );
    }
    // A later start would put the window (and its timestamps) past what a Date, and a file, can hold.
    if (o.start > LATEST_START) {
      throw new UserError(
        `--start: ${shown} is not allowed; expected an hour-aligned UTC time up to ${iso(LATEST_START)}`,
      );
    }
    const shift = o.start - s.start;
    out.start = o.start;
    out.events = out.events.map((e) => ({ ...e, start: e.start + shift }));
  }
  // A larger scale (or a window moved or stretched onto busier hours) can overflow the plan's hourly counts.
  const over = busiestHourOver(out);
  if (over) {
    const [flag, value] =
      o.scale !== undefined || (o.hours === undefined && o.start === undefined)
        ? ['--scale', String(out.scale)]
        : o.hours !== undefined
          ? ['--hours', String(out.hours)]
          : ['--start', iso(out.start)];
    throw new UserError(
      `${flag}: ${value} is not allowed; expected a value at which rates.${over.rate} stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals per hour (rate x scale x rhythm x events); it would reach ${Math.round(over.arrivals)} at ${iso(over.at)}`,
    );
  }
  const big = oversizedEntities(out);
  if (big) {
    const flag =
      o.hours !== undefined && o.scale === undefined ? `--hours: ${out.hours}` : `--scale: ${out.scale}`;
    throw new UserError(
      `${flag}: ${big.what} would reach about ${Math.round(big.n).toLocaleString('en-US')}; expected at most ${MAX_ENTITIES.toLocaleString('en-US')} (lower --scale, --hours or the population in ${s.file})`,
    );
  }
  return out;
}

/**
 * The plan keeps per-entity tables (shop owners, product shops and prices, promotions) in memory and numbers
 * entities with 32-bit integers: past this many users, shops, products or promotions it would not fit.
 */
const MAX_ENTITIES = 200_000_000;

function oversizedEntities(s: Scenario): { what: string; n: number } | null {
  const p = s.population;
  let peak = 0;
  for (const r of s.rhythm) peak = Math.max(peak, r);
  const eventMax = s.events.reduce((m, e) => m * Math.max(1, e.multiplier), 1);
  const arrivals = (rate: number): number => rate * s.scale * peak * eventMax * s.hours * 1.05;
  const shops = p.shopOwners * s.scale * p.shopsPerOwner.max + arrivals(s.rates.new_shops);
  const checks: [string, number][] = [
    ['users (population.users + signups)', p.users * s.scale + arrivals(s.rates.signups)],
    ['shops (population + new shops)', shops],
    [
      'products (population + new products)',
      p.shopOwners * s.scale * p.shopsPerOwner.max * p.productsPerShop.max + arrivals(s.rates.new_products),
    ],
    ['promotions', p.promotions * s.scale + arrivals(s.rates.promotions)],
  ];
  for (const [what, n] of checks) if (n > MAX_ENTITIES) return { what, n };
  return null;
}
