/**
 * Schema and partitions (issue 9 §4): the time prepareSchema takes to make the tables and every partition of a
 * window (24 h, and 90 days: 2,160 hourly partitions per hourly table) in a scratch schema, on each server;
 * then one query on the long window under EXPLAIN, which must scan 1 partition, and the time to drop it all.
 */
import pg from 'pg';
import { dropSchema, vacuumCatalogs } from '../src/load/drop-schema.js';
import { timePartitions } from '../src/load/time-partitions.js';
import { HOUR_MS } from '../src/model/partitions.js';
import { checkQuery } from '../src/query/explain.js';
import { loadSuite } from '../src/query/suite.js';
import type { BenchServer } from './servers.js';
import { fmt, printTable, secs } from './util.js';

/** Issue 9 §4: 90 days of partitions in at most 2 minutes. */
const LONG_GOAL_MS = 120_000;
const PRUNED_QUERY = 'shop-orders-hour';

export async function schemaTimes(
  server: BenchServer,
  start: number,
  windows: readonly number[],
): Promise<void> {
  console.log(
    `\n## Schema and partitions on PostgreSQL ${server.name} (as a load makes them, then DROP in batches)`,
  );
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const t: string[][] = [
    ['window', 'partitions', 'create s', 'ms per partition', 'drop s', 'catalog VACUUM s'],
  ];
  const notes: string[] = [];
  try {
    const longest = Math.max(...windows);
    for (const hours of windows) {
      const schema = `bench_ddl_${hours}h`;
      // as a load makes them: several connections, batches sized from the server's lock table
      const { partitions: n, ms } = await timePartitions(server.url, schema, { start, hours });
      if (hours === longest) {
        notes.push(await prunedQuery(client, schema, start, hours));
        notes.push(await constraintRows(client, schema, hours, n));
      }
      if (hours === longest && hours >= 2160)
        notes.push(
          `goal: 90 days of partitions in <= ${LONG_GOAL_MS / 1000} s: ${secs(ms)} s (${ms <= LONG_GOAL_MS ? 'met' : 'NOT met'})`,
        );
      const d0 = performance.now();
      await dropSchema(client, schema);
      const dropMs = performance.now() - d0;
      // the drop leaves ~1M dead catalog rows at 90 days: cleaned now as gen --reset does, not by autovacuum
      // during the next timing (src/load/drop-schema.ts)
      const v0 = performance.now();
      await vacuumCatalogs(client);
      const vacuumMs = performance.now() - v0;
      t.push([`${fmt(hours)} h`, fmt(n), secs(ms), (ms / n).toFixed(2), secs(dropMs), secs(vacuumMs)]);
    }
  } finally {
    for (const hours of windows) await dropSchema(client, `bench_ddl_${hours}h`).catch(() => undefined);
    await client.end();
  }
  printTable(t);
  for (const n of notes) console.log(n);
}

/**
 * What the long window left in pg_constraint: CREATE TABLE ... PARTITION OF scans all of the database's
 * pg_constraint once per new partition (PostgreSQL's CloneFkReferenced), and 18 keeps NOT NULL constraints there
 * (bench/RESULTS.md, "Long windows"; prepareSchema adds them after the partitions there): what the scans would have to read.
 */
async function constraintRows(
  client: pg.Client,
  schema: string,
  hours: number,
  partitions: number,
): Promise<string> {
  const r = await client.query<{ ours: string; total: string }>(
    `select count(*) filter (where n.nspname = $1)::text as ours, count(*)::text as total
     from pg_constraint c left join pg_namespace n on n.oid = c.connamespace`,
    [schema],
  );
  const ours = Number(r.rows[0]?.ours ?? 0);
  const total = Number(r.rows[0]?.total ?? 0);
  return (
    `pg_constraint after the ${fmt(hours)} h schema: ${fmt(ours)} rows of it (${(ours / Math.max(1, partitions)).toFixed(1)} ` +
    `per partition), ${fmt(total)} in the database; each new partition scans all those there at the time ` +
    `(on PostgreSQL 18 a new table's NOT NULL and primary key rows come after its partitions)`
  );
}

/** The suite's one-hour query in the middle of the window, literal and generic plans: partitions scanned. */
async function prunedQuery(client: pg.Client, schema: string, start: number, hours: number): Promise<string> {
  const q = loadSuite().find((x) => x.name === PRUNED_QUERY);
  if (q === undefined) throw new Error(`internal: query ${PRUNED_QUERY} is not in the suite`);
  const from = start + Math.floor(hours / 2) * HOUR_MS;
  const p = {
    shop_id: '00000000-0000-4000-8000-000000000000',
    from: new Date(from).toISOString(),
    to: new Date(from + HOUR_MS).toISOString(),
  };
  const c = await checkQuery(client, schema, q, p);
  const plan = (k: 'literal' | 'generic'): string =>
    `${k} ${c[k].partitionsScanned} of ${fmt(c[k].partitionsTotal)} scanned, planning ${c[k].planningMs.toFixed(1)} ms` +
    `${c[k].subplansRemoved > 0 ? ` (run time: ${fmt(c[k].subplansRemoved)} subplans removed)` : ''}`;
  return `${PRUNED_QUERY} on the ${fmt(hours)} h schema (EXPLAIN ANALYZE): ${plan('literal')}; ${plan('generic')}${
    c.literal.ok && c.generic.ok ? '' : ' - NOT the expected partition'
  }`;
}
