/**
 * DROP SCHEMA in batches. Its own module because both the ledger (--reset) and schema creation use it and the
 * batch size: a transaction locks every relation it touches, and a whole long window (thousands of partitions)
 * would exhaust the lock table (max_locks_per_transaction) of a server with default settings.
 */
import type pg from 'pg';
import { ident, qualified } from '../model/ddl.js';

export const PARTITION_BATCH = 200;

/** DROP SCHEMA CASCADE without exhausting the lock table: leaf partitions go first, in batches. */
export async function dropSchema(client: pg.ClientBase, schema: string): Promise<void> {
  const leaves = await client.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
    [schema],
  );
  for (let i = 0; i < leaves.rows.length; i += PARTITION_BATCH) {
    const names = leaves.rows.slice(i, i + PARTITION_BATCH).map((r) => qualified(schema, r.name));
    await client.query(`DROP TABLE IF EXISTS ${names.join(', ')}`);
  }
  await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
}

/**
 * The catalogs a dropped schema leaves dead rows in: 90 days of hourly partitions leave ~950k in pg_attribute,
 * ~430k each in pg_constraint and pg_depend, ~125k in pg_class.
 */
export const DROP_CATALOGS: readonly string[] = [
  'pg_class',
  'pg_attribute',
  'pg_constraint',
  'pg_depend',
  'pg_inherits',
  'pg_index',
  'pg_type',
].map((c) => `pg_catalog.${c}`);

/**
 * A plain VACUUM of DROP_CATALOGS, after a drop (`--reset`) and before the next run makes its partitions. Left
 * to autovacuum, that cleanup runs while the partitions are being made and shares the cores with it: 90 days on
 * the embedded 18 right after such a drop took 159 and 175 s, after this VACUUM 116 and 123 s (4 December).
 * Plain VACUUM takes no lock that stops other sessions' reads or writes of these catalogs (VACUUM FULL would).
 * Outside a transaction block only (VACUUM's rule). A role that may not vacuum a catalog gets a warning from
 * the server and the catalog is skipped: autovacuum does it then, as before.
 */
export async function vacuumCatalogs(client: pg.ClientBase): Promise<void> {
  await client.query(`VACUUM ${DROP_CATALOGS.join(', ')}`);
}
