/**
 * DDL derived from the table definitions. sql/schema.sql is this output for the default schema
 * (regenerate with `npm run sql`; test/unit/model.test.ts fails when it is stale).
 */
import pg from 'pg';
import {
  constrainableReferences,
  DEFAULT_LAYOUT,
  isPartitioned,
  type Layout,
  type LayoutIndex,
} from './layout.js';
import { type Partition, sqlTimestamp } from './partitions.js';
import { TABLES, type Table, table } from './tables.js';

export const DEFAULT_SCHEMA = 'data_playground';

/** Quote an identifier (node-postgres's escapeIdentifier, as quote_ident): user-given names never run as SQL. */
export const ident: (name: string) => string = pg.escapeIdentifier;

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** A string literal (node-postgres's escapeLiteral, as quote_literal): the comments are text like any other. */
const literal: (text: string) => string = pg.escapeLiteral;

/**
 * The DDL of a table: CREATE TABLE, then COMMENT ON the table and every column, so `\d+` documents the data
 * (the text lives in the model, ./tables.ts and ./metrics.ts). COMMENT ON overwrites: a schema created before
 * a comment changed gets the new text on the next load.
 */
export function createTableSql(
  schema: string,
  t: Table,
  layout: Layout = DEFAULT_LAYOUT,
  o: { defer?: Deferred } = {},
): string {
  const later = new Set(o.defer ? deferredNotNull(t, o.defer) : []);
  const cols = t.columns.map((c) => {
    let line = `  ${c.name} ${c.type}`;
    if (!c.nullable && !later.has(c.name)) line += ' NOT NULL';
    if (c.default !== undefined) line += ` DEFAULT ${c.default}`;
    // an enumeration as a CHECK rather than CREATE TYPE ... AS ENUM: the COPY text is the same either way,
    // and a CHECK is extended by replacing it, where an enum type's values can be added but never removed
    if (c.oneOf) line += ` CHECK (${c.name} IN (${c.oneOf.map(literal).join(', ')}))`;
    if (c.references) line += ` -- references ${c.references}`;
    return line;
  });
  const keys = o.defer === 'key' ? [] : [`  ${primaryKeySql(t)}`];
  // a FOREIGN KEY needs a unique key on the referenced column alone: only possible without partitioning
  if (layout.foreignKeys && !isPartitioned(layout, t.name)) keys.push(`  UNIQUE (${t.idColumn})`);
  const lines = [...cols, ...keys];
  const body = lines
    .map((l, n) => {
      if (n === lines.length - 1) return l;
      // keep the comment after the comma so the SQL stays valid
      const i = l.indexOf(' -- ');
      return i < 0 ? `${l},` : `${l.slice(0, i)},${l.slice(i)}`;
    })
    .join('\n');
  const partitioning = isPartitioned(layout, t.name) ? ' PARTITION BY RANGE (event_time)' : '';
  const name = qualified(schema, t.name);
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (\n${body}\n)${partitioning};`,
    `COMMENT ON TABLE ${name} IS ${literal(t.comment)};`,
    ...t.columns.map((c) => `COMMENT ON COLUMN ${name}.${ident(c.name)} IS ${literal(c.comment)};`),
  ].join('\n');
}

/** The primary key's columns: it must include the partition key (event_time) for a partitioned table. */
function primaryKey(t: Table): readonly string[] {
  return ['event_time', t.idColumn];
}

function primaryKeySql(t: Table): string {
  return `PRIMARY KEY (${primaryKey(t).join(', ')})`;
}

/**
 * What createTableSql can leave for after the partitions (completeTableSql): 'notNull', the NOT NULL of the
 * columns outside the primary key; 'key', those and the primary key itself (its columns nullable until then).
 */
export type Deferred = 'notNull' | 'key';

/** The model's NOT NULL columns that createTableSql leaves nullable when it defers `d`. */
export function deferredNotNull(t: Table, d: Deferred): string[] {
  const key = primaryKey(t);
  return t.columns.filter((c) => !c.nullable && (d === 'key' || !key.includes(c.name))).map((c) => c.name);
}

/**
 * What createTableSql deferred, on a table and, recursively, all its partitions, in one statement: NOT NULL on
 * `columns` (each partition locked and checked: an empty one costs nothing to check), then with `key` the
 * primary key (an index built on each partition). The catalog ends up as under a parent made whole at once.
 */
export function completeTableSql(schema: string, t: Table, columns: readonly string[], key: boolean): string {
  const steps = columns.map((c) => `ALTER COLUMN ${ident(c)} SET NOT NULL`);
  if (key) steps.push(`ADD ${primaryKeySql(t)}`);
  return `ALTER TABLE ${qualified(schema, t.name)} ${steps.join(', ')};`;
}

export function indexName(ix: LayoutIndex): string {
  return `${ix.table}_${ix.columns.join('_')}_idx`.slice(0, 63);
}

export function createIndexSql(schema: string, ix: LayoutIndex): string {
  return `CREATE INDEX IF NOT EXISTS ${ident(indexName(ix))} ON ${qualified(schema, ix.table)} (${ix.columns.map(ident).join(', ')});`;
}

/** FOREIGN KEY constraints a layout can have (see Layout.foreignKeys), added after a load. */
export function foreignKeySql(schema: string, layout: Layout): string[] {
  if (!layout.foreignKeys) return [];
  return constrainableReferences(layout).map((r) => {
    const target = table(r.target);
    const name = `${r.table}_${r.column}_fkey`.slice(0, 63);
    return (
      `ALTER TABLE ${qualified(schema, r.table)} ADD CONSTRAINT ${ident(name)} FOREIGN KEY (${ident(r.column)}) ` +
      `REFERENCES ${qualified(schema, r.target)} (${ident(target.idColumn)});`
    );
  });
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
  parts.push('-- Secondary indexes of the default layout (src/model/layout.ts), on every partition');
  for (const ix of DEFAULT_LAYOUT.indexes) parts.push(createIndexSql(schema, ix));
  parts.push('');
  return parts.join('\n');
}
