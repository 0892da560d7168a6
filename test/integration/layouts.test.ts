/** The same rows in other partition layouts: counts equal, the partitions and constraints each layout asks for. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/index.js';
import type { LoadSummary } from '../../src/load/stats.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { constrainableReferences, type Layout } from '../../src/model/layout.js';
import { TABLES } from '../../src/model/tables.js';
import { formatSummary } from '../../src/report/terminal.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { loadLayout } from '../../src/scenario/layout-file.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
const suffix = randomBytes(3).toString('hex');
let client: pg.Client;
let plan: Plan;
const schemas: string[] = [];
/** each layout's load summary */
const loaded = new Map<string, LoadSummary>();

const layouts: [string, Layout][] = [
  ['hourly', loadLayout('hourly')],
  ['daily', loadLayout('daily')],
  ['none', loadLayout('none')],
  ['hourly-indexed', loadLayout('hourly-indexed')],
  ['unpartitioned-fk', loadLayout('unpartitioned-fk')],
  ['parent-route', { ...loadLayout('hourly'), name: 'parent-route', route: 'parent' }],
  // finer than the generator: a metric table's day in hourly leaves (its rows routed through the parent)
  [
    'metrics-hourly',
    (() => {
      const l = loadLayout('hourly');
      return { ...l, name: 'metrics-hourly', granularity: { ...l.granularity, user_metrics_daily: 'hour' } };
    })(),
  ],
];
const schemaOf = (name: string): string => `lay_${name.replace(/-/g, '_')}_${suffix}`;

async function counts(schema: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await client.query<{ n: string }>(`select count(*) n from ${qualified(schema, t.name)}`);
    out[t.name] = Number(r.rows[0]?.n);
  }
  return out;
}

async function leaves(schema: string, table: string): Promise<number> {
  const r = await client.query<{ n: string }>(
    `select count(*) n from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = $1::regclass and c.relkind = 'r'`,
    [qualified(schema, table)],
  );
  return Number(r.rows[0]?.n);
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));
  for (const [name, layout] of layouts) {
    const schema = schemaOf(name);
    schemas.push(schema);
    const summary = await runLoad({ plan, target: { kind: 'db', url, schema }, jobs: 2, layout });
    loaded.set(name, summary);
  }
});

afterAll(async () => {
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
  await client.end();
});

describe('layouts', () => {
  it.each(layouts.slice(1))('%s holds exactly the rows of the hourly layout', async (name) => {
    expect(await counts(schemaOf(name))).toEqual(await counts(schemaOf('hourly')));
  });

  it('hourly: 3 hourly leaves per operational table, 1 daily leaf per metric table', async () => {
    expect(await leaves(schemaOf('hourly'), 'shop_order')).toBe(3);
    expect(await leaves(schemaOf('hourly'), 'shop_metrics_daily')).toBe(1);
  });

  it('daily: one daily leaf per table for a 3-hour window', async () => {
    for (const t of ['shop_order', 'users', 'user_metrics_hourly'])
      expect(await leaves(schemaOf('daily'), t)).toBe(1);
  });

  it.each(['hourly', 'daily', 'unpartitioned-fk', 'metrics-hourly'])(
    "%s: the load counts the layout's partitions per table (an unpartitioned table: 1), not its chunks",
    async (name) => {
      const summary = loaded.get(name);
      const tables = summary?.tables ?? {};
      for (const t of TABLES) {
        const n = await leaves(schemaOf(name), t.name);
        expect([t.name, tables[t.name]?.partitions]).toEqual([t.name, Math.max(1, n)]);
      }
      // the printed total is the tables' partitions, not the chunks (51: 15 tables x 3 hours, 6 metric tables)
      const sum = Object.values(tables).reduce((a, t) => a + t.partitions, 0);
      expect(summary?.partitions).toBe(51);
      expect(formatSummary(summary as LoadSummary)).toMatch(new RegExp(`^total +${sum} `, 'm'));
      // what its bytes are: the COPY's format (binary by default)
      expect(formatSummary(summary as LoadSummary)).toMatch(
        /^[\d,]+ rows, [\d.]+ MB \(binary COPY\) into schema /m,
      );
    },
  );

  it("daily: gen verify names a chunk that differs and the day's partition it is in", async () => {
    const s = schemaOf('daily');
    await client.query(
      `update ${qualified(s, 'shop_order')} set total = total + 1 where id = (select id from ${qualified(s, 'shop_order')} limit 1)`,
    );
    const bad = await gen(['verify', '--scenario', 'tiny', '--db', url, '--schema', s, '--quiet']);
    expect(bad.code, bad.err).toBe(1);
    // the chunk's own name is an hour's, which is no table in this layout
    expect(bad.out).toMatch(
      /^DIFF shop_order_p20261127_\d{6} \(in shop_order_p20261127\): same row count, different rows/m,
    );
  });

  it('gen verify without --layout on a schema loaded with a layout file asks for the file', async () => {
    const s = schemaOf('metrics-hourly');
    const r = await gen(['verify', '--scenario', 'tiny', '--db', url, '--schema', s, '--quiet']);
    expect(r.code).toBe(2);
    // it said: --layout: unknown layout "metrics-hourly", of a flag not given
    expect(r.err).toBe(
      `gen: schema "${s}" was loaded with layout "metrics-hourly" from a file; expected --layout with that file's path\n`,
    );
  });

  it('none: plain tables, no partitions', async () => {
    const r = await client.query<{ relkind: string }>(
      `select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = 'shop_order'`,
      [schemaOf('none')],
    );
    expect(r.rows[0]?.relkind).toBe('r');
    expect(await leaves(schemaOf('none'), 'shop_order')).toBe(0);
  });

  it('hourly-indexed: its indexes exist on the partitioned parents', async () => {
    const r = await client.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = $1 and tablename = 'shop_order' and indexname like '%_idx'`,
      [schemaOf('hourly-indexed')],
    );
    expect(r.rows.map((x) => x.indexname).sort()).toEqual([
      'shop_order_shop_id_event_time_idx',
      'shop_order_user_id_idx',
    ]);
  });

  it('unpartitioned-fk: a validated FOREIGN KEY for every reference, and they hold', async () => {
    const layout = loadLayout('unpartitioned-fk');
    const r = await client.query<{ n: string }>(
      `select count(*) n from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where n.nspname = $1 and c.contype = 'f' and c.convalidated`,
      [schemaOf('unpartitioned-fk')],
    );
    expect(Number(r.rows[0]?.n)).toBe(constrainableReferences(layout).length);
    expect(constrainableReferences(layout).length).toBe(
      TABLES.flatMap((t) => t.columns.filter((c) => c.references)).length,
    );
    // a dangling reference is now refused by the database itself
    await expect(
      client.query(
        `insert into ${qualified(schemaOf('unpartitioned-fk'), 'shop_order_item')}
         select (gen_random_uuid()), event_time, partition_key, gen_random_uuid(), shop_product_id, shop_id,
                quantity, unit_price, line_total, discount, created_time, updated_time, extra_data
         from ${qualified(schemaOf('unpartitioned-fk'), 'shop_order_item')} limit 1`,
      ),
    ).rejects.toThrow(/foreign key/);
  });
});
