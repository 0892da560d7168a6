import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ident, schemaSql } from '../../src/model/ddl.js';
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
    expect(partitionKey(Date.UTC(2026, 10, 27, 5, 30), 'day')).toBe('2026-11-27');
  });

  it('quotes identifiers so a schema name never runs as SQL', () => {
    expect(ident('x"; drop table y; --')).toBe('"x""; drop table y; --"');
  });
});
