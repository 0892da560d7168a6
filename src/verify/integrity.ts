/**
 * The integrity checks of a loaded schema, in the order `gen verify` reports them. `gen verify` runs them on a
 * user's schema and test/integration/load.test.ts runs the very same ones on freshly loaded scenarios.
 */
import type { Chunk } from '../model/partitions.js';
import type { TableName } from '../model/tables.js';
import {
  type CheckContext,
  type CheckDef,
  checkContext,
  type IntegrityCheck,
  type IntegrityWindow,
} from './check.js';
import { ACTIVITY } from './checks/activity.js';
import { COMMENTS } from './checks/comments.js';
import { LIFECYCLE } from './checks/lifecycle.js';
import { METRICS } from './checks/metrics.js';
import { ORDERS } from './checks/orders.js';
import { PLACEMENT } from './checks/placement.js';
import { REFERENCES } from './checks/references.js';
import { ROLLUPS } from './checks/rollups.js';
import { TOTALS } from './checks/totals.js';
import { TRAFFIC } from './checks/traffic.js';

const CHECKS: readonly CheckDef[] = [
  ...PLACEMENT,
  ...REFERENCES,
  ...TOTALS,
  ...ACTIVITY,
  ...ORDERS,
  ...LIFECYCLE,
  ...TRAFFIC,
  ...METRICS,
  ...ROLLUPS,
  ...COMMENTS,
];

/** The integrity checks of the tables in `schema`, loaded for window `w`. */
export function integrityChecks(schema: string, w: IntegrityWindow): IntegrityCheck[] {
  return checksOnAPart(schema, w, new Set()).run;
}

/**
 * The checks that still hold when the tables in `partial` lost rows (gen live --retention dropped their oldest
 * partitions), and the names of those that do not: a check runs when none of the tables it needs whole
 * (CheckDef.needsWhole, by default every table its SQL or its parameters name) is partial, or when those that
 * are partial are its sameTime tables, all of them, retired up to the same time (`retiredTo`: retiredBounds).
 */
export function checksOnAPart(
  schema: string,
  w: IntegrityWindow,
  partial: ReadonlySet<TableName>,
  retiredTo: ReadonlyMap<TableName, number> = new Map(),
): { run: IntegrityCheck[]; left: string[] } {
  const ctx = checkContext(schema, w);
  const run: IntegrityCheck[] = [];
  const left: string[] = [];
  for (const c of CHECKS) {
    const lost = (c.needsWhole ?? tablesRead(c, ctx)).filter((t) => partial.has(t));
    if (lost.length > 0 && !retiredTogether(c.sameTime ?? [], lost, retiredTo)) left.push(c.name);
    else
      run.push({ name: c.name, description: c.description, sql: c.sql(ctx), params: c.params?.(ctx) ?? [] });
  }
  return { run, left };
}

/** every table that lost rows is one of `same`, and all of `same` were retired up to one and the same time */
function retiredTogether(
  same: readonly TableName[],
  lost: readonly TableName[],
  retiredTo: ReadonlyMap<TableName, number>,
): boolean {
  if (same.length === 0 || lost.some((t) => !same.includes(t))) return false;
  const bounds = new Set(same.map((t) => retiredTo.get(t)));
  return bounds.size === 1 && !bounds.has(undefined);
}

/**
 * Per table of which `isRetired` chunks were retired, the time it was retired up to: the end of its last retired
 * partition, when every partition of it ending at or before that was retired (its rows before that time all
 * gone, the later ones all there). A table retired otherwise (a partition in the middle kept) has none.
 */
export function retiredBounds(
  chunks: readonly Chunk[],
  isRetired: (c: Chunk) => boolean,
): Map<TableName, number> {
  const to = new Map<TableName, number>();
  for (const c of chunks)
    if (isRetired(c)) {
      const t = c.partition.table.name;
      to.set(t, Math.max(to.get(t) ?? c.partition.to, c.partition.to));
    }
  for (const c of chunks) {
    const t = c.partition.table.name;
    const bound = to.get(t);
    if (bound !== undefined && c.partition.to <= bound && !isRetired(c)) to.delete(t);
  }
  return to;
}

/** the tables a check names, in its SQL or its parameters, as its T() was asked for them */
function tablesRead(c: CheckDef, ctx: CheckContext): TableName[] {
  const read = new Set<TableName>();
  const recording: CheckContext = {
    ...ctx,
    T: (name) => {
      read.add(name);
      return ctx.T(name);
    },
  };
  c.sql(recording);
  c.params?.(recording);
  return [...read];
}
