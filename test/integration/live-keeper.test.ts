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

  it('counts and times the sessions its statements keep waiting (the lock wait of the report and the metrics)', async () => {
    const others = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    const [holder, waiter] = others as [pg.Client, pg.Client];
    const sampler = new pg.Client({ connectionString: url });
    for (const c of [...others, sampler]) await c.connect();
    try {
      const k = new PartitionKeeper(
        client,
        s,
        LAYOUT,
        plan.start,
        plan.hours,
        PREMAKE,
        RETENTION,
        true,
        undefined,
        sampler,
      );
      await k.load();
      // another session's lock holds the keeper's next ATTACH on users; a session that then wants the table
      // queues behind the ATTACH (pg_blocking_pids names it): waiting on maintenance, as a writer would
      const users = `"${s}".users`;
      await holder.query(`BEGIN; LOCK TABLE ${users} IN SHARE UPDATE EXCLUSIVE MODE`);
      const ticking = k.tick(plan.start + 60 * H);
      const waitingOn = async (pid: number): Promise<boolean> =>
        (await admin().query(`select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`, [pid]))
          .rowCount !== 0;
      const keeperPid = (client as pg.Client & { processID: number }).processID;
      const holderPid = (holder as pg.Client & { processID: number }).processID;
      while (!(await waitingOn(holderPid))) await new Promise((r) => setTimeout(r, 20));
      const waiting = waiter.query(`BEGIN; LOCK TABLE ${users} IN SHARE UPDATE EXCLUSIVE MODE; COMMIT`);
      while (!(await waitingOn(keeperPid))) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1_000));
      await holder.query('COMMIT');
      await Promise.all([ticking, waiting]);
      const attach = k.log.ops().find((o) => o.op === 'attach');
      expect(attach?.blocked).toBe(1);
      // the waiter waited behind the ATTACH for the second above, and a little more
      expect(attach?.waitedMs).toBeGreaterThan(900);
      expect(attach?.waitedMs).toBeLessThan(30_000);
      expect(k.log.ops().find((o) => o.op === 'create')?.waitedMs).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      for (const c of [...others, sampler]) await c.end();
    }
  });
});
