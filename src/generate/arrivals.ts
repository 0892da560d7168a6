/**
 * When users, shops and products appear: arrivals at a keyed time in their hour, the population before the
 * window at the window start. The entity tables, global_entity and global_event all ask here, so ids and
 * times agree.
 *
 * Population that exists before the window (scenario.population) is a snapshot recorded at the window
 * start: its rows have event_time = window start (hour 0) and created_time in the past.
 */
import { at } from '../at.js';
import type { Slice } from '../model/partitions.js';
import { DAY_MS, HOUR_MS } from '../time-units.js';
import { timeInHour } from './hour-times.js';
import { below, K, rowKey, unit } from './keyed.js';
import type { Plan } from './plan.js';
import { creationHour, productShop, shopOwner } from './plan-lookup.js';

/**
 * A time in window hour h for an arrival, keyed, denser towards the neighbouring hour of higher rhythm
 * (hour-times.ts). Never the exact hour start: rows at the window start are the population that existed before
 * it (no events), so an arrival must be distinguishable from them.
 */
const timeIn = (plan: Plan, h: number, key: number, f: number): number =>
  plan.start + h * HOUR_MS + Math.max(1, timeInHour(plan, h, unit(key, f)));

export interface Times {
  event: number;
  created: number;
}

/** The event time of an entity created at `created`: the window start for the population before it. */
export const arrivalEvent = (plan: Plan, created: number): number => Math.max(created, plan.start);

/**
 * The creation time of entity i of a kind counted by `before` (the lifecycle functions ask it per order: no
 * object). Arrivals: a keyed time in their hour. The population before the window: up to `maxAgeDays` before a
 * minute ahead of the window start, and not before `after(i)` when given (a shop not before its owner signed up,
 * a product not before its shop opened): the draw's range is cut to what is left after it, so an entity whose
 * parent is older than `maxAgeDays` keeps the time it had before the rule.
 */
function arrivalCreated(
  plan: Plan,
  kind: number,
  before: Float64Array,
  i: number,
  maxAgeDays: number,
  after?: (plan: Plan, i: number) => number,
): number {
  const key = rowKey(plan.seed, kind, 0, i);
  const h = creationHour(before, i);
  if (h >= 0) return timeIn(plan, h, key, 1);
  const latest = plan.start - 60_000;
  const span =
    after === undefined ? maxAgeDays * DAY_MS : Math.min(maxAgeDays * DAY_MS, latest - after(plan, i));
  return latest - below(key, 1, Math.max(1, span));
}

export const userCreated = (plan: Plan, u: number): number =>
  arrivalCreated(plan, K.user, plan.usersBefore, u, 730);
export const shopCreated = (plan: Plan, s: number): number =>
  arrivalCreated(plan, K.shop, plan.shopsBefore, s, 365, ownerCreated);
export const productCreated = (plan: Plan, p: number): number =>
  arrivalCreated(plan, K.product, plan.productsBefore, p, 365, shopOfCreated);
const ownerCreated = (plan: Plan, s: number): number => userCreated(plan, shopOwner(plan, s));
const shopOfCreated = (plan: Plan, p: number): number => shopCreated(plan, productShop(plan, p));

const times = (plan: Plan, created: number): Times => ({ event: arrivalEvent(plan, created), created });
export const userTimes = (plan: Plan, u: number): Times => times(plan, userCreated(plan, u));
export const shopTimes = (plan: Plan, s: number): Times => times(plan, shopCreated(plan, s));
export const productTimes = (plan: Plan, p: number): Times => times(plan, productCreated(plan, p));

/**
 * The indexes [from, to) of a kind counted by `before` whose rows belong to hour h: the arrivals of the hour,
 * and in hour 0 also the population before the window (`withPopulation`). A slice of hour 0 (./slices.ts)
 * takes its share of the population, in index order; the last slice also the hour's arrivals.
 */
export function createdIn(
  before: Float64Array,
  h: number,
  withPopulation = true,
  slice?: Slice,
): [number, number] {
  if (h !== 0 || !withPopulation) return [at(before, h), at(before, h + 1)];
  if (slice === undefined) return [0, at(before, 1)];
  const n = at(before, 0);
  const from = Math.floor((n * slice.index) / slice.of);
  const last = slice.index === slice.of - 1;
  return [from, last ? at(before, 1) : Math.floor((n * (slice.index + 1)) / slice.of)];
}
