import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTableSql, ident, schemaSql } from '../../src/model/ddl.js';
import { ENTITY_TYPES } from '../../src/model/entity-types.js';
import { BUILTIN_LAYOUTS } from '../../src/model/layout.js';
import { METRIC_FAMILIES, METRIC_VALUES } from '../../src/model/metrics.js';
import { partitionKey, partitionsFor } from '../../src/model/partitions.js';
import { TABLES, table } from '../../src/model/tables.js';

describe('model', () => {
  it('sql/schema.sql is the DDL of src/model (run `npm run sql` after changing a table)', () => {
    expect(readFileSync(new URL('../../sql/schema.sql', import.meta.url), 'utf8')).toBe(schemaSql());
  });

  it('has the 15 hourly and 6 daily tables of the data-model document', () => {
    expect(TABLES.filter((t) => t.granularity === 'hour')).toHaveLength(15);
    expect(TABLES.filter((t) => t.granularity === 'day').map((t) => t.name)).toEqual([
      'user_metrics_hourly',
      'user_metrics_daily',
      'shop_metrics_hourly',
      'shop_metrics_daily',
      'shop_product_metrics_hourly',
      'shop_product_metrics_daily',
    ]);
    for (const t of TABLES) {
      const names = t.columns.map((c) => c.name);
      for (const c of ['event_time', 'partition_key', 'created_time', 'updated_time'])
        expect(names).toContain(c);
      expect(names).toContain(t.kind === 'metric' ? 'extra_metrics' : 'extra_data');
      for (const c of t.columns)
        if (c.references) expect(c.name.endsWith('_id'), `${t.name}.${c.name}`).toBe(true);
    }
  });

  it('names partitions like pg_partman 5, with UTC bounds and keys', () => {
    const start = Date.UTC(2026, 10, 27, 22);
    const hourly = partitionsFor(table('shop_order'), start, 3);
    expect(hourly.map((p) => p.name)).toEqual([
      'shop_order_p20261127_220000',
      'shop_order_p20261127_230000',
      'shop_order_p20261128_000000',
    ]);
    expect(hourly[2]?.key).toBe('2026-11-28T00:00:00');
    const daily = partitionsFor(table('shop_metrics_daily'), start, 3);
    expect(daily.map((p) => p.name)).toEqual([
      'shop_metrics_daily_p20261127',
      'shop_metrics_daily_p20261128',
    ]);
    expect(daily[0]?.from).toBe(Date.UTC(2026, 10, 27));
    // no hours, none: the day's partition began before a start inside it, and was made for a window of none
    expect(partitionsFor(table('shop_metrics_daily'), start, 0)).toEqual([]);
    expect(partitionKey(Date.UTC(2026, 10, 27, 5, 30), 'day')).toBe('2026-11-27');
  });

  it('documents every table and every column: a COMMENT ON each in the DDL', () => {
    for (const t of TABLES) {
      expect(t.comment.length, t.name).toBeGreaterThan(40);
      for (const c of t.columns) expect(c.comment.trim(), `${t.name}.${c.name}`).not.toBe('');
    }
    const sql = schemaSql();
    const count = (re: RegExp): number => sql.match(re)?.length ?? 0;
    expect(count(/^COMMENT ON TABLE /gm)).toBe(TABLES.length);
    expect(count(/^COMMENT ON COLUMN /gm)).toBe(TABLES.reduce((n, t) => n + t.columns.length, 0));
    // a quote in the text is doubled, not the end of the literal
    expect(createTableSql('s', table('shop_metrics_hourly'))).toContain(
      `IS 'Sum of the item discounts (round(line_total * discount_percent / 100)) of the shop''s`,
    );
  });

  it('gives each metric column name one definition across the user, shop and product tables', () => {
    const texts = new Map<string, Set<string>>();
    for (const f of METRIC_FAMILIES)
      for (const v of METRIC_VALUES[f]) texts.set(v.name, (texts.get(v.name) ?? new Set()).add(v.comment));
    const twoTexts = [...texts].filter(([, t]) => t.size > 1).map(([name]) => name);
    expect(twoTexts).toEqual([]);
    // the names that meant two things before issue 8 are shared, and so checked above
    for (const name of ['orders_count', 'revenue']) expect(texts.get(name)?.size).toBe(1);
    // the tables carry the model's texts
    for (const t of TABLES.filter((x) => x.family !== undefined))
      for (const v of METRIC_VALUES[t.family ?? 'user'])
        expect(t.columns.find((c) => c.name === v.name)?.comment).toBe(v.comment);
  });

  it('enumerates the entity types, one per entity table, as a CHECK on both entity_type columns', () => {
    const entityTables = TABLES.filter((t) => t.kind === 'entity').map((t) =>
      t.name === 'users' ? 'user' : t.name,
    );
    expect([...ENTITY_TYPES].sort()).toEqual(entityTables.sort());
    for (const name of ['global_entity', 'global_event'] as const) {
      expect(table(name).columns.find((c) => c.name === 'entity_type')?.oneOf).toEqual(ENTITY_TYPES);
      expect(createTableSql('s', table(name))).toContain(
        `entity_type text NOT NULL CHECK (entity_type IN ('user', 'user_payment_method', 'shop', `,
      );
    }
  });

  it('indexes global_entity for id resolution and type/time lookups in every built-in layout', () => {
    for (const layout of Object.values(BUILTIN_LAYOUTS))
      expect(layout.indexes, layout.name).toEqual([
        { table: 'global_entity', columns: ['entity_id'] },
        { table: 'global_entity', columns: ['entity_type', 'event_time'] },
      ]);
    expect(schemaSql()).toContain('CREATE INDEX IF NOT EXISTS "global_entity_entity_id_idx" ON ');
  });

  it('quotes identifiers so a schema name never runs as SQL', () => {
    expect(ident('x"; drop table y; --')).toBe('"x""; drop table y; --"');
  });
});
