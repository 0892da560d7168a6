/**
 * The integrity checks of a loaded schema, in the order `gen verify` reports them. `gen verify` runs them on a
 * user's schema and test/integration/load.test.ts runs the very same ones on freshly loaded scenarios.
 */
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
 * (CheckDef.needsWhole, by default every table its SQL or its parameters name) is partial.
 */
export function checksOnAPart(
  schema: string,
  w: IntegrityWindow,
  partial: ReadonlySet<TableName>,
): { run: IntegrityCheck[]; left: string[] } {
  const ctx = checkContext(schema, w);
  const run: IntegrityCheck[] = [];
  const left: string[] = [];
  for (const c of CHECKS) {
    if ((c.needsWhole ?? tablesRead(c, ctx)).some((t) => partial.has(t))) left.push(c.name);
    else
      run.push({ name: c.name, description: c.description, sql: c.sql(ctx), params: c.params?.(ctx) ?? [] });
  }
  return { run, left };
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
