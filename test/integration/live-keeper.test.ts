/**
 * The partition keeper of a long `gen live --follow --retention` run (a staging service that runs for weeks):
 * two days of its ticks, hour by hour, on a real server. What it lists stays as long as the retention and the
 * premake, not as long as the run, and a keeper that resumes the run lists no more; the server holds the rolling
 * window of the event table and every hour of the population table.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPlan } from '../../src/generate/index.js';
import { PartitionKeeper } from '../../src/live/partitions.js';
import { runLive } from '../../src/live/run.js';
import { DEFAULT_LAYOUT, type Layout } from '../../src/model/layout.js';
import { perTable } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin, schema } = scratchSchemas(url, 'keeper');
const H = 3_600_000;
const PREMAKE = 2;
const RETENTION = 3;

/**
 * two tables partitioned by the hour, one kept (users: later rows reference it), one retired (orders), and a
 * daily one (kept)
 */
const LAYOUT: Layout = {
  ...DEFAULT_LAYOUT,
  name: 'keeper-test',
  granularity: perTable((t) =>
    t === 'users' || t === 'shop_order' ? 'hour' : t === 'shop_metrics_daily' ? 'day' : 'none',
  ),
};

describe('the partition keeper over days of --follow', () => {
  const s = schema('follow');
  const scenario = applyOverrides(loadScenario('tiny'), { hours: 2 });
  scenario.distributions.refundDelayHours = { min: 1, max: 2 };
  scenario.distributions.reviewDelayHours = { min: 1, max: 2 };
  const plan = buildPlan(scenario);
  let client: pg.Client;
  beforeAll(async () => {
    // the schema as gen live leaves it: tables, ledger, the window's first two hours played
    const r = await runLive({
      plan,
      url,
      schema: s,
      layout: LAYOUT,
      speed: 1_000_000,
      writers: 2,
      premakeHours: PREMAKE,
      retentionHours: RETENTION,
      reset: false,
    });
    expect(r.finished).toBe(true);
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  const leaves = async (table: string): Promise<number> => {
    const r = await admin().query<{ n: string }>(
      `select count(*) n from pg_inherits i join pg_class c on c.oid = i.inhrelid
         join pg_namespace n on n.oid = c.relnamespace join pg_class p on p.oid = i.inhparent
       where n.nspname = $1 and p.relname = $2`,
      [s, table],
    );
    return Number(r.rows[0]?.n);
  };
  const keeper = (): PartitionKeeper =>
    new PartitionKeeper(client, s, LAYOUT, plan.start, plan.hours, PREMAKE, RETENTION, true);

  it("at a window's end no partition is ahead, though the day's partition of a daily table ends later", async () => {
    const end = plan.start + plan.hours * H;
    // no retention: every hourly partition is attached behind the clock, and forgotten
    const k = new PartitionKeeper(client, s, LAYOUT, plan.start, plan.hours, PREMAKE, null, false);
    await k.load();
    await k.tick(end);
    // the hourly tables' partitions, all behind the clock, are forgotten: they still count, with none ahead
    expect(k.ahead(end)).toBe(0);
  });

  it('lists the retention and the premake, not the hours played; a resumed keeper too', async () => {
    const k = keeper();
    await k.load();
    const listed: number[] = [];
    const hours = 48;
    for (let h = 2; h <= hours; h++) {
      await k.tick(plan.start + h * H);
      listed.push(k.listed);
    }
    // per hourly table: the hours held for the retention (event table) or none (kept table), the current and the
    // premade; the daily table's day and the next
    const bound = 2 * (RETENTION + PREMAKE + 2) + 2;
    expect(Math.max(...listed), listed.join(' ')).toBeLessThanOrEqual(bound);
    expect(k.ahead(plan.start + hours * H)).toBe(PREMAKE);
    // the server: every hour of users, the rolling window of orders
    expect(await leaves('users')).toBe(hours + PREMAKE);
    expect(await leaves('shop_order')).toBeLessThanOrEqual(RETENTION + PREMAKE + 1);

    // a restart lists the whole window again (what the run before retired is gone from the server): it forgets
    // at its first tick
    const again = keeper();
    await again.load();
    await again.tick(plan.start + (hours + 1) * H);
    expect(again.listed).toBeLessThanOrEqual(bound);
    expect(await leaves('users')).toBe(hours + PREMAKE + 1);
    expect(again.log.ops().map((o) => `${o.op} ${o.count}`)).toEqual(
      expect.arrayContaining(['create 2', 'attach 2', 'detach 1', 'drop 1']),
    );
  });
});
