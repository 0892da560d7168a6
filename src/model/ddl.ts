/**
 * DDL derived from the table definitions. sql/schema.sql is this output for the default schema
 * (regenerate with `npm run sql`; test/unit/model.test.ts fails when it is stale).
 */
import { type Partition, sqlTimestamp } from './partitions.js';
import { TABLES, type Table } from './tables.js';

export const DEFAULT_SCHEMA = 'data_playground';

/** Quote an identifier the way Postgres does (quote_ident): user-given names never run as SQL. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

export function createTableSql(schema: string, t: Table): string {
  const cols = t.columns.map((c) => {
    let line = `  ${c.name} ${c.type}`;
    if (!c.nullable) line += ' NOT NULL';
    if (c.default !== undefined) line += ` DEFAULT ${c.default}`;
    if (c.references) line += ` -- references ${c.references}`;
    return line;
  });
  // The primary key must include the partition key (event_time) for a partitioned table.
  const pk = `  PRIMARY KEY (event_time, ${t.idColumn})`;
  const body = cols
    .map((l) => {
      // keep the comment after the comma so the SQL stays valid
      const i = l.indexOf(' -- ');
      return i < 0 ? `${l},` : `${l.slice(0, i)},${l.slice(i)}`;
    })
    .join('\n');
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, t.name)} (\n${body}\n${pk}\n) PARTITION BY RANGE (event_time);`;
}

export function createPartitionSql(schema: string, p: Partition): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, p.name)} PARTITION OF ${qualified(schema, p.table.name)} ` +
    `FOR VALUES FROM ('${sqlTimestamp(p.from)}') TO ('${sqlTimestamp(p.to)}');`
  );
}

export function schemaSql(schema: string = DEFAULT_SCHEMA): string {
  const parts = [
    '-- Generated from src/model/tables.ts by `npm run sql`; do not edit by hand.',
    '--',
    '-- Every table is range-partitioned on event_time: hourly partitions for operational tables,',
    '-- daily partitions for metric tables. Partitions (pg_partman 5 naming, <table>_pYYYYMMDD_HH24MISS',
    '-- or <table>_pYYYYMMDD, UTC bounds) are created by `gen` for the whole window before loading.',
    '-- There is no DEFAULT partition: a row outside the window is an error, not a silent catch-all.',
    '--',
    '-- Relationships (columns marked "references") are guaranteed by the generator and checked by',
    '-- test/integration (SQL anti-joins), not by FOREIGN KEY constraints: a foreign key into a',
    '-- partitioned table must reference its whole primary key (event_time, id), which would force',
    '-- every referencing row to carry the referenced row event_time as well.',
    '',
    `CREATE SCHEMA IF NOT EXISTS ${ident(schema)};`,
    '',
  ];
  for (const t of TABLES) {
    parts.push(`-- ${t.entity}: ${t.granularity === 'hour' ? 'hourly' : 'daily'} partitions`);
    parts.push(createTableSql(schema, t), '');
  }
  return parts.join('\n');
}
