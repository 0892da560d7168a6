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
