/**
 * Reads scenario files (YAML or JSON, snake_case keys) into the typed, validated Scenario.
 * This is the only place that trusts user input: everything after it takes the Scenario as given.
 * The format is scenario-schema.ts (documented field by field in scenarios/README.md); this file adds what a
 * schema cannot say: min <= max, unique event names, events inside the window, refund_rate + return_rate <= 1,
 * the plan's limits.
 */

import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { fromRoot } from '../package-root.js';
import { HOUR_MS } from '../time-units.js';
import { defaults } from './defaults.js';
import { type Checker, type Path, suggest } from './fields.js';
import {
  about,
  busiestHourOver,
  iso,
  MAX_ARRIVALS_PER_HOUR,
  MAX_ENTITIES,
  oversizedEntities,
} from './limits.js';
import { type DistributionsFile, MAX_HOURS, ScenarioFile } from './scenario-schema.js';
import { compileSchema, expectedOf, schemaAt } from './schema-errors.js';
import { parseInstant, show } from './time.js';
import type { Distributions, IntRange, Population, Scenario, TrafficEvent, Weighted } from './types.js';
import { RATE_NAMES } from './types.js';
import { displayPath, readYamlFile } from './yaml-file.js';

export { applyOverrides } from './overrides.js';
export { parseStart } from './time.js';

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

const checkScenarioFile = compileSchema(ScenarioFile);

/**
 * Loads a shipped scenario by name (`black-friday`) or a file by path (`./my.yaml`), validates every
 * field, fills in the defaults and returns the typed Scenario. Throws UserError on any problem.
 */
export function loadScenario(nameOrPath: string, runHours?: number): Scenario {
  const file = locate(nameOrPath);
  const { checker: c, data } = readYamlFile(file, displayPath(file), 'scenario file');
  if (data === null || data === undefined) {
    throw new UserError(
      `${c.display}: the file is empty; expected a mapping with at least description, seed, population and rates`,
    );
  }
  // Two fields whose allowed values name another field; that one is valid when these are reported.
  const f = checkScenarioFile(c, data, (path, missing, valueAt) => {
    if (path === 'population.shop_owners') {
      const users = show(valueAt(['population', 'users']));
      return missing ? `an integer from 1 to population.users (${users})` : `an integer from 1 to ${users}`;
    }
    if (path === 'distributions.api_latency_ms.p99' && missing)
      return latencyP99(show(valueAt(['distributions', 'api_latency_ms', 'median'])));
    return undefined;
  });
  const scenario = build(c, f, file, runHours);
  const over = busiestHourOver(scenario);
  if (over) {
    c.failAt(
      ['rates', over.rate],
      `a rate whose busiest hour (rate x rhythm x events) stays <= ${MAX_ARRIVALS_PER_HOUR} arrivals; it reaches ${Math.round(over.arrivals)} at ${iso(over.at)}`,
    );
  }
  const big = oversizedEntities(scenario);
  if (big) {
    throw new UserError(
      `${c.display}: population/rates: ${big.what} would reach ${about(big.n)}; expected at most ${MAX_ENTITIES.toLocaleString('en-US')}`,
    );
  }
  return scenario;
}

/**
 * `runHours`: the window --hours asks for (checked later, by applyOverrides): an event must overlap the file's
 * window or that one (an event in the second week of `--hours 336` is not a typo).
 */
function build(c: Checker, f: ScenarioFile, file: string, runHours?: number): Scenario {
  const start =
    f.window?.start === undefined ? defaults.start : instant(c, ['window', 'start'], f.window.start);
  const hours = f.window?.hours ?? defaults.hours;
  const r = f.rates;
  return {
    name: f.name ?? basename(file, extname(file)),
    file,
    description: f.description,
    seed: f.seed,
    start,
    hours,
    scale: 1,
    reportingCurrency: f.reporting_currency ?? defaults.reportingCurrency,
    population: population(c, f.population),
    rates: {
      signups: r.signups,
      new_shops: r.new_shops,
      new_products: r.new_products,
      orders: r.orders,
      promotions: r.promotions,
    },
    rhythm: [...(f.rhythm ?? defaults.rhythm)],
    events: events(c, f.events ?? [], start, hours, runHours),
    distributions: distributions(c, f.distributions),
  };
}

function instant(c: Checker, path: Path, value: string): number {
  const ms = parseInstant(value);
  // The schema's format already ran parseInstant: this only narrows the type.
  if (typeof ms !== 'number') return c.failAt(path, ms.expected);
  return ms;
}

/** `{min, max}` with min <= max, as a fresh object in that key order. */
function ordered(c: Checker, path: Path, r: IntRange): IntRange {
  if (r.max < r.min) {
    const hi = schemaAt(ScenarioFile, [...path, 'max']).maximum;
    c.failAt([...path, 'max'], `an integer from min (${r.min}) to ${String(hi)}`);
  }
  return { min: r.min, max: r.max };
}

function population(c: Checker, p: ScenarioFile['population']): Population {
  // Shop owners are users that own shops, so there cannot be more of them than users.
  if (p.shop_owners > p.users) c.failAt(['population', 'shop_owners'], `an integer from 1 to ${p.users}`);
  return {
    users: p.users,
    shopOwners: p.shop_owners,
    shopsPerOwner: ordered(c, ['population', 'shops_per_owner'], p.shops_per_owner),
    productsPerShop: ordered(c, ['population', 'products_per_shop'], p.products_per_shop),
    paymentMethodsPerUser: ordered(c, ['population', 'payment_methods_per_user'], p.payment_methods_per_user),
    promotions: p.promotions,
  };
}

function events(
  c: Checker,
  list: NonNullable<ScenarioFile['events']>,
  windowStart: number,
  fileHours: number,
  runHours?: number,
): TrafficEvent[] {
  const names = new Set<string>();
  // a --hours that applyOverrides will refuse is not a window: the file's then
  const longer =
    runHours !== undefined && Number.isSafeInteger(runHours) && runHours > fileHours && runHours <= MAX_HOURS;
  const windowEnd = windowStart + (longer ? runHours : fileHours) * HOUR_MS;
  return list.map((e, i): TrafficEvent => {
    const p = (k: string): Path => ['events', i, k];
    if (names.has(e.name)) c.failAt(p('name'), 'a name that no other event uses');
    names.add(e.name);
    const start = instant(c, p('start'), e.start);
    // An event that misses the window entirely is almost always a typo (wrong year or day).
    if (start >= windowEnd || start + e.hours * HOUR_MS <= windowStart) {
      c.failAt(
        p('start'),
        `a time such that the event overlaps the window ${iso(windowStart)} .. ${iso(windowEnd)}`,
      );
    }
    const chosen = e.applies_to;
    return {
      name: e.name,
      start,
      hours: e.hours,
      multiplier: e.multiplier,
      // Canonical order, so two files that list the same rates give the same Scenario.
      appliesTo: chosen === undefined ? [...RATE_NAMES] : RATE_NAMES.filter((r) => chosen.includes(r)),
    };
  });
}

/** Relative weights -> probabilities; zero weights are allowed in the file (to switch a value off) but dropped. */
function weights(c: Checker, path: Path, table: Record<string, number>): Weighted {
  const entries = Object.entries(table).map(([k, w]): [number, number] => [Number(k), w]);
  // Huge weights (1e308 + 1e308) sum to Infinity: then make them relative to the largest one first.
  const sum = entries.reduce((acc, [, w]) => acc + w, 0);
  const top = Number.isFinite(sum) ? 1 : Math.max(...entries.map(([, w]) => w));
  const total = top === 1 ? sum : entries.reduce((acc, [, w]) => acc + w / top, 0);
  if (!(total > 0)) {
    c.failAt(path, `weights with at least one > 0 (${expectedOf(schemaAt(ScenarioFile, path), table)})`);
  }
  const kept = entries.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
  return { values: kept.map(([v]) => v), weights: kept.map(([, w]) => w / top / total) };
}

const latencyP99 = (median: string) => `a number from median (${median}) to 600000`;

function latencyMs(c: Checker, l: { median: number; p99: number }): Distributions['apiLatencyMs'] {
  if (l.p99 < l.median) c.failAt(['distributions', 'api_latency_ms', 'p99'], latencyP99(String(l.median)));
  return { median: l.median, p99: l.p99 };
}

type RangeKey =
  | 'price_cents'
  | 'review_delay_hours'
  | 'promotion_discount_percent'
  | 'promotion_duration_hours'
  | 'restock_quantity'
  | 'shop_pause_days'
  | 'product_draft_hours'
  | 'promotion_lead_hours'
  | 'refund_delay_hours'
  | 'repricing_percent'
  | 'initial_stock'
  | 'restock_lead_hours'
  | 'product_views_per_session';

type Read = { [K in keyof Distributions]: Distributions[K] | undefined };

function distributions(c: Checker, d: DistributionsFile | undefined): Distributions {
  // structuredClone: the defaults are frozen and shared; each Scenario gets its own copy.
  const out: Distributions = structuredClone(defaults.distributions);
  if (d === undefined) return out;
  const p = (k: string): Path => ['distributions', k];
  const range = (k: RangeKey) => {
    const v = d[k];
    return v && ordered(c, p(k), v);
  };
  // Every field of Distributions, in file order; the type makes the compiler insist none is left out.
  const read: Read = {
    itemsPerOrder: d.items_per_order && weights(c, p('items_per_order'), d.items_per_order),
    quantityPerItem: d.quantity_per_item && weights(c, p('quantity_per_item'), d.quantity_per_item),
    productPopularitySkew: d.product_popularity_skew,
    shopPopularitySkew: d.shop_popularity_skew,
    shopSizeSkew: d.shop_size_skew,
    priceCents: range('price_cents'),
    paymentFailureRate: d.payment_failure_rate,
    paymentMaxRetries: d.payment_max_retries,
    reviewRate: d.review_rate,
    reviewDelayHours: range('review_delay_hours'),
    promotionUseRate: d.promotion_use_rate,
    promotionDiscountPercent: range('promotion_discount_percent'),
    promotionDurationHours: range('promotion_duration_hours'),
    cartAbandonmentRate: d.cart_abandonment_rate,
    apiLatencyMs: d.api_latency_ms && latencyMs(c, d.api_latency_ms),
    apiErrorRate: d.api_error_rate,
    restockRate: d.restock_rate,
    restockQuantity: range('restock_quantity'),
    userChurnRate: d.user_churn_rate,
    userBanRate: d.user_ban_rate,
    shopPauseRate: d.shop_pause_rate,
    shopPauseDays: range('shop_pause_days'),
    productDraftHours: range('product_draft_hours'),
    productArchiveRate: d.product_archive_rate,
    promotionLeadHours: range('promotion_lead_hours'),
    refundRate: d.refund_rate,
    returnRate: d.return_rate,
    refundDelayHours: range('refund_delay_hours'),
    repricingRate: d.repricing_rate,
    repricingPercent: range('repricing_percent'),
    initialStock: range('initial_stock'),
    reorderPoint: d.reorder_point,
    restockLeadHours: range('restock_lead_hours'),
    conversionRate: d.conversion_rate,
    anonymousShare: d.anonymous_share,
    botShare: d.bot_share,
    productViewsPerSession: range('product_views_per_session'),
    cartAddRate: d.cart_add_rate,
    searchRate: d.search_rate,
    logSampleRate: d.log_sample_rate,
    apiCapacityPerHour: d.api_capacity_per_hour,
    repeatCustomerShare: d.repeat_customer_share,
    domesticOrderShare: d.domestic_order_share,
  };
  for (const key of Object.keys(read) as (keyof Distributions)[]) assign(out, read, key);
  refundsAndReturns(c, d, out);
  return out;
}

/**
 * An order is refunded, returned or neither: the two shares add up to at most 1. The field the file sets is
 * the one reported (return_rate when it sets both), with what it may be given the other.
 */
function refundsAndReturns(c: Checker, d: DistributionsFile, out: Distributions): void {
  if (out.refundRate + out.returnRate <= 1) return;
  const [field, other, otherValue] =
    d.return_rate === undefined
      ? (['refund_rate', 'return_rate', out.returnRate] as const)
      : (['return_rate', 'refund_rate', out.refundRate] as const);
  // toPrecision: 1 - 0.7 is 0.30000000000000004 in binary floating point.
  const room = Number((1 - otherValue).toPrecision(12));
  c.failAt(
    ['distributions', field],
    `a number from 0 to ${room} (refund_rate + return_rate <= 1; ${other} is ${otherValue})`,
  );
}

function assign<K extends keyof Distributions>(out: Distributions, read: Read, key: K): void {
  const v = read[key];
  if (v !== undefined) out[key] = v;
}
