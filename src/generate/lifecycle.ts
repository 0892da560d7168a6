/**
 * Lifecycles (issue 8 §1): each entity's keyed list of state changes over time, as pure functions of
 * (seed, kind, index): "state at t" is O(1) and needs no pass over the window. A bulk load writes each row in
 * its state at the window's end with updated_time = the change that led there; the live mode applies the same
 * changes as UPDATEs at their times.
 *
 * CONTRACT (shared by orders, sessions, registry, row writers; bodies owned by the lifecycle part):
 * - times are epoch ms; `Infinity` = never.
 * - nobody orders, sells or is sold while not active: orders.ts redraws a user/shop/product that is not
 *   active at the order's time (keyed retry counter).
 */
import type { Plan } from './plan-type.js';

/** A state and when the entity entered it (for updated_time and the global_event of the change). */
export interface StateAt {
  /** index into the entity's STATUS list below */
  status: number;
  /** when it entered that state (its created_time for the first state) */
  since: number;
}

export const USER_STATUS = ['active', 'inactive', 'banned'] as const;
export const SHOP_STATUS = ['active', 'paused'] as const;
export const PRODUCT_STATUS = ['draft', 'active', 'archived'] as const;
export const PROMOTION_STATUS = ['scheduled', 'active', 'ended'] as const;
export const METHOD_STATUS = ['active', 'expired'] as const;

/** User u's state at time t (t >= its creation). */
export function userStateAt(_plan: Plan, _u: number, t: number, out: StateAt): StateAt {
  out.status = 0;
  out.since = t; // TODO(i8 lifecycle)
  return out;
}
/** True when user u may order at time t. Hot path: no allocation. */
export function userActiveAt(_plan: Plan, _u: number, _t: number): boolean {
  return true; // TODO(i8 lifecycle)
}

export function shopStateAt(_plan: Plan, _s: number, t: number, out: StateAt): StateAt {
  out.status = 0;
  out.since = t; // TODO(i8 lifecycle)
  return out;
}
export function shopActiveAt(_plan: Plan, _s: number, _t: number): boolean {
  return true; // TODO(i8 lifecycle)
}

export function productStateAt(_plan: Plan, _p: number, t: number, out: StateAt): StateAt {
  out.status = 1;
  out.since = t; // TODO(i8 lifecycle)
  return out;
}
/** True when product p can be viewed and sold at t (status active). */
export function productActiveAt(_plan: Plan, _p: number, _t: number): boolean {
  return true; // TODO(i8 lifecycle)
}

/** Promotion i's state at t (scheduled before starts_at, active until ends_at, ended after). */
export function promotionStateAt(plan: Plan, i: number, t: number, out: StateAt): StateAt {
  const start = plan.promoStart[i] ?? 0;
  const end = plan.promoEnd[i] ?? 0;
  out.status = t < start ? 0 : t < end ? 1 : 2;
  out.since = t < start ? Math.min(start, plan.promoEventTime[i] ?? start) : t < end ? start : end;
  return out;
}

/** When payment method `slot` of user u stops working: the end of its expiry month (epoch ms). */
export function methodExpiresAt(_plan: Plan, _u: number, _slot: number): number {
  return Number.POSITIVE_INFINITY; // TODO(i8 lifecycle)
}

/** A state change inside the window (a global_event row, and an UPDATE in live mode). */
export interface Change {
  /** which entity: 'user' | 'shop' | 'product' | 'promotion' | 'method' */
  entity: 'user' | 'shop' | 'product' | 'promotion' | 'method';
  /** entity index (for 'method': user index; slot in `slot`) */
  index: number;
  slot: number;
  time: number;
  /** new status, index into the entity's STATUS list */
  status: number;
}

/**
 * The state changes with time in window hour h, in time order. Built once per plan from a per-window index
 * (memory proportional to the population + changes), never a scan of the whole population per hour.
 */
export function changesIn(_plan: Plan, _h: number): readonly Change[] {
  return []; // TODO(i8 lifecycle)
}
