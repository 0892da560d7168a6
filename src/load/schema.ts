/**
 * Schema, tables and the window's partitions, created idempotently in one transaction before loading
 * (measured: 2,160 partitions take ~7 s in one transaction, ~10 s in autocommit).
 */
import type pg from 'pg';
import { createPartitionSql, createTableSql, ident } from '../model/ddl.js';
import { type Partition, partitionsFor } from '../model/partitions.js';
import { TABLES } from '../model/tables.js';

export interface WindowSpec {
  start: number;
  hours: number;
}

export function windowPartitions(w: WindowSpec): Partition[] {
  return TABLES.flatMap((t) => partitionsFor(t, w.start, w.hours));
}

export async function prepareSchema(client: pg.ClientBase, schema: string, w: WindowSpec): Promise<number> {
  const parts = windowPartitions(w);
  await client.query('BEGIN');
  try {
    // other sessions creating the same schema at once would race on the catalog: serialise on a lock
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`data-playground:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    for (const t of TABLES) await client.query(createTableSql(schema, t));
    // one round trip per few hundred partitions: the statements are small
    for (let i = 0; i < parts.length; i += 200) {
      await client.query(
        parts
          .slice(i, i + 200)
          .map((p) => createPartitionSql(schema, p))
          .join('\n'),
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return parts.length;
}
