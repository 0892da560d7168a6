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
import { below, K, rowKey } from './keyed.js';
import type { Plan } from './plan.js';
import { creationHour } from './plan-lookup.js';

/**
 * A time in the hour for an arrival, keyed. Never the exact hour start: rows at the window start are the
 * population that existed before it (no events), so an arrival must be distinguishable from them.
 */
const timeIn = (hourStart: number, key: number, f: number): number =>
  hourStart + 1 + below(key, f, HOUR_MS - 1);

export interface Times {
  event: number;
  created: number;
}

/**
 * Event and creation time of entity i of a kind counted by `before`: arrivals at a keyed time in their hour,
 * the population before the window at the window start, created up to `maxAgeDays` earlier.
 */
function arrivalTimes(plan: Plan, kind: number, before: Float64Array, i: number, maxAgeDays: number): Times {
  const created = arrivalCreated(plan, kind, before, i, maxAgeDays);
  return { event: arrivalEvent(plan, created), created };
}

/** The event time of an entity created at `created`: the window start for the population before it. */
export const arrivalEvent = (plan: Plan, created: number): number => Math.max(created, plan.start);

/** The creation time alone, without an object: the lifecycle functions ask it per order (hot path). */
function arrivalCreated(
  plan: Plan,
  kind: number,
  before: Float64Array,
  i: number,
  maxAgeDays: number,
): number {
  const key = rowKey(plan.seed, kind, 0, i);
  const h = creationHour(before, i);
  if (h < 0) return plan.start - 60_000 - below(key, 1, maxAgeDays * DAY_MS);
  return timeIn(plan.start + h * HOUR_MS, key, 1);
}

export const userTimes = (plan: Plan, u: number): Times =>
  arrivalTimes(plan, K.user, plan.usersBefore, u, 730);
export const shopTimes = (plan: Plan, s: number): Times =>
  arrivalTimes(plan, K.shop, plan.shopsBefore, s, 365);
export const productTimes = (plan: Plan, p: number): Times =>
  arrivalTimes(plan, K.product, plan.productsBefore, p, 365);
export const userCreated = (plan: Plan, u: number): number =>
  arrivalCreated(plan, K.user, plan.usersBefore, u, 730);
export const shopCreated = (plan: Plan, s: number): number =>
  arrivalCreated(plan, K.shop, plan.shopsBefore, s, 365);
export const productCreated = (plan: Plan, p: number): number =>
  arrivalCreated(plan, K.product, plan.productsBefore, p, 365);

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
