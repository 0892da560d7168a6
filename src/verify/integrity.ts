/**
 * The integrity checks of a loaded schema, in the order `gen verify` reports them. `gen verify` runs them on a
 * user's schema and test/integration/load.test.ts runs the very same ones on freshly loaded scenarios.
 */
import { type CheckDef, checkContext, type IntegrityCheck, type IntegrityWindow } from './check.js';
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
  const ctx = checkContext(schema, w);
  return CHECKS.map((c) => ({
    name: c.name,
    description: c.description,
    sql: c.sql(ctx),
    params: c.params?.(ctx) ?? [],
  }));
}
