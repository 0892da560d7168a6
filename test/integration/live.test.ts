/**
 * gen live on a real server (issue 7 §4): a window played live holds exactly what the bulk load writes (chunk by
 * chunk, as `gen verify` compares them, and the integrity checks); partitions made ahead and retired under load
 * with no transaction failing; a writer falling behind reported as lag, latencies counted from the schedule;
 * kill -9 and SIGTERM mid-run, then the same command finishing the job with the same end state.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli.js';
import { backendPid } from '../../src/db/connection.js';
import { buildPlan, type Plan } from '../../src/generate/index.js';
import { type LiveOptions, type LiveProgress, type LiveResult, runLive } from '../../src/live/run.js';
import { ident } from '../../src/model/ddl.js';
import { DEFAULT_LAYOUT } from '../../src/model/layout.js';
import { readJsonReport } from '../../src/report/json.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { HOUR_MS } from '../../src/time-units.js';
import { parseExposition, sampleValue } from '../unit/exposition.js';
import { gen } from './run-gen.js';
import { genProcess, scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin: adminClient, schema } = scratchSchemas(url, 'live');

/** gen live in-process on a plan: the options the tests share, and theirs */
const play = (plan: Plan, s: string, over: Partial<LiveOptions> = {}): Promise<LiveResult> =>
  runLive({
    plan,
    url,
    schema: s,
    layout: DEFAULT_LAYOUT,
    speed: 1_000_000,
    writers: 4,
    premakeHours: 4,
    retentionHours: null,
    reset: false,
    ...over,
  });

/** `gen verify` on the schema: every chunk as generated, every integrity check */
async function expectVerified(args: string[]): Promise<void> {
  const r = await gen(['verify', ...args, '--quiet']);
  expect(r.code, r.out + r.err).toBe(0);
}

/**
 * resolves once the live run of schema s has committed past `minutes` of scenario time; tests that run at once
 * pass a connection of their own (one connection takes one query at a time)
 */
async function waitForClock(s: string, start: number, minutes: number, c = adminClient()): Promise<void> {
  const timeoutMs = 90_000;
  const t0 = Date.now();
  for (;;) {
    const r = await c.query<{ t: Date }>(`select resume_from t from ${ident(s)}._gen_live`).catch(() => null);
    const t = r?.rows[0]?.t.getTime() ?? 0;
    if (t >= start + minutes * 60_000) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`live run reached ${new Date(t).toISOString()} only`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const BF_START = Date.UTC(2026, 10, 27);

const tmp = mkdtempSync(join(tmpdir(), 'dp-live-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** resolves once `f` holds, polled every 50 ms */
async function until(what: string, f: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await f())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(50);
  }
}

/** a connection of the test's own (a session that holds a lock, or runs DDL the test interrupts) */
async function session(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** the backends of schema s's statements that wait on a lock, with their statement */
async function lockWaits(s: string): Promise<string[]> {
  const r = await adminClient().query<{ query: string }>(
    `select query from pg_stat_activity where wait_event_type = 'Lock' and position($1 in query) > 0`,
    [s],
  );
  return r.rows.map((x) => x.query);
}

/**
 * tiny, 8 hours at speed 300, stopped while a statement matching `waiting` waits on shop_order locked in `mode`
 * by another session; the lock is held until the run has stopped (a stop that waited for it would never end)
 */
async function stoppedBehindLock(
  name: string,
  premakeHours: number,
  mode: string,
  waiting: RegExp,
  /** how long the statement is left waiting before the stop */
  holdMs = 0,
): Promise<{ s: string; plan: Plan; r: LiveResult }> {
  const s = schema(name);
  const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 8 }));
  const holder = await session();
  const stop = new AbortController();
  let playing = false;
  const run = play(plan, s, {
    speed: 300,
    premakeHours,
    signal: stop.signal,
    onPlay: () => {
      playing = true;
    },
  });
  try {
    await until('play', () => playing);
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${ident(s)}.shop_order IN ${mode} MODE`);
    await until(`a statement to wait (${waiting})`, async () =>
      (await lockWaits(s)).some((q) => waiting.test(q)),
    );
    await sleep(holdMs);
    stop.abort();
    const r = await Promise.race([run, sleep(30_000).then(() => null)]);
    if (r === null) throw new Error(`the run did not stop in 30 s while ${waiting} waited on the lock`);
    return { s, plan, r };
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
    await run.catch(() => undefined);
  }
}

/** the rest of the window at full speed (all 8 hours' partitions made at once: the clock outruns the loop) */
async function finishesAsBulk(plan: Plan, s: string): Promise<void> {
  const again = await play(plan, s, { premakeHours: 8 });
  expect(again.finished).toBe(true);
  expect(again.resumed).toBe(true);
  expect(Object.fromEntries(again.stats.errors)).toEqual({});
  await expectVerified(['--scenario', 'tiny', '--hours', '8', '--db', url, '--schema', s]);
}

describe('gen live', () => {
  it('a window played live is the bulk load: every chunk and every integrity check, then nothing to do', async () => {
    const s = schema('same');
    const args = ['--scenario', 'tiny', '--hours', '4', '--db', url, '--schema', s];
    const r = await gen(['live', ...args, '--speed', '1000000', '--premake', '8']);
    expect(r.code, r.err).toBe(0);
    // what comes before play is said (at --scale 5 the snapshot alone takes minutes)
    expect(r.err).toMatch(
      /gen live: the world before the window: .*\ngen live: snapshot: [\d,]+ rows in [\d.]+ s\ngen live: generating the transactions of the first two hours/,
    );
    expect(r.out).toMatch(/played [\d,]+ transactions/);
    expect(r.out).toMatch(/checkout +\d+/);
    await expectVerified(args);
    const again = await gen(['live', ...args, '--quiet']);
    expect(again.out).toMatch(/nothing to do/);
    // bulk and live do not mix in one schema
    const bulk = await gen([...args, '--quiet']);
    expect(bulk.code).toBe(2);
    expect(bulk.err).toMatch(
      /^gen: schema "[^"]+" holds this run played by gen live; [^\n]*--reset[^\n]*\n$/,
    );
    // another run is refused before anything is said: one line
    const other = await gen(['live', ...args, '--seed', '9', '--speed', '1000000']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(
      /^gen: schema "[^"]+" holds another run \(scenario tiny, seed 42,[^\n]*--reset[^\n]*\n$/,
    );
  });

  it('partitions made ahead and retired under load; no transaction fails', async () => {
    const s = schema('retire');
    const scenario = applyOverrides(loadScenario('tiny'), { hours: 8 });
    // short reference delays, so a short retention is allowed
    scenario.distributions.refundDelayHours = { min: 1, max: 2 };
    scenario.distributions.reviewDelayHours = { min: 1, max: 2 };
    const plan = buildPlan(scenario);
    const r = await play(plan, s, { speed: 3600, retentionHours: 3 });
    expect(r.finished).toBe(true);
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // an hour's latency histogram (100-190 KB) is let go once the hour is done: at most the last one is held
    expect(r.stats.heldHours).toBeLessThanOrEqual(1);
    expect(r.stats.hours().length).toBeGreaterThanOrEqual(8);
    const ops = new Set(r.maintenance.events.map((e) => e.op));
    expect([...ops].sort()).toEqual(['attach', 'create', 'detach', 'drop']);
    // made as the clock went: the first partitions were not all made up front
    expect(
      r.maintenance.events.filter((e) => e.op === 'create' && e.clock > plan.start + 3_600_000).length,
    ).toBeGreaterThan(0);
    const leaves = await adminClient().query<{ relname: string }>(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
      [s],
    );
    const names = leaves.rows.map((x) => x.relname);
    // event tables keep the last 3 hours; the population tables keep everything
    const drops = r.maintenance.events
      .filter((e) => e.op === 'drop')
      .map((e) => `${e.partition}@${new Date(e.clock).toISOString()}`);
    expect(names.filter((n) => /^shop_order_p\d/.test(n)).length, drops.join('\n')).toBeLessThanOrEqual(4);
    expect(names).toContain('users_p20261127_000000');
    expect(names).not.toContain('shop_order_p20261127_000000');
  });

  it('a stop while the partition keeper waits on a lock ends the run at once; the same command then finishes it', async () => {
    // 2 hours made ahead at 300 scenario seconds a second: the next ATTACH comes within 12 s, and no transaction
    // needs the partition it waits for in the ~24 s before the stop. Another session's long transaction on the
    // parent holds the maintenance loop's ATTACH PARTITION
    const { s, plan, r } = await stoppedBehindLock(
      'keeper_lock',
      2,
      'SHARE UPDATE EXCLUSIVE',
      /ATTACH PARTITION/,
      5_000,
    );
    expect(r.finished).toBe(false);
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // the lag is sampled (every 200 ms) while the keeper waits too: ~25 samples in the 5 s it waited
    expect(r.stats.lag.count).toBeGreaterThanOrEqual(12);
    await finishesAsBulk(plan, s);
  });

  it('a stop while writers wait on a lock cancels them after a grace; the next run plays them again, nothing lost', async () => {
    // every partition made before play: the only lock in the way is the test's, which locks the orders table out
    // (a user's LOCK, a long ALTER): checkouts wait on it
    const { s, plan, r } = await stoppedBehindLock('writer_lock', 8, 'ACCESS EXCLUSIVE', /^\s*INSERT/i);
    expect(r.finished).toBe(false);
    // a cancelled transaction is not an error: it rolled back and is played again
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // the report's table sizes would wait on the lock too: left out, and it says so
    expect(r.serverSide?.source).toMatch(/no sizes \(a table was locked/);
    await finishesAsBulk(plan, s);
  });

  it('a retirement cut short (pending detach, a table detached or made but not attached) is finished by the next run', async () => {
    const s = schema('retire_cut');
    const scenario = applyOverrides(loadScenario('tiny'), { hours: 8 });
    scenario.distributions.refundDelayHours = { min: 1, max: 2 };
    scenario.distributions.reviewDelayHours = { min: 1, max: 2 };
    const plan = buildPlan(scenario);
    const stop = new AbortController();
    const first = play(plan, s, { speed: 1800, retentionHours: 3, signal: stop.signal });
    await waitForClock(s, plan.start, 300);
    stop.abort();
    expect((await first).finished).toBe(false);
    const q = ident(s);
    const orderLeaves = async (): Promise<{ name: string; pending: boolean }[]> =>
      (
        await adminClient().query<{ name: string; pending: boolean }>(
          `select c.relname as name, i.inhdetachpending as pending from pg_inherits i
           join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = $1 and c.relkind = 'r' and c.relname ~ '^shop_order_p\\d' order by c.relname`,
          [s],
        )
      ).rows;
    const [oldest, second] = (await orderLeaves()).map((x) => x.name);
    if (oldest === undefined || second === undefined) throw new Error('no partitions of shop_order');
    // kill -9 between a DETACH and its DROP: a loose table, of an hour the retention has passed ...
    const gone = 'shop_order_p20261127_000000';
    await adminClient().query(`CREATE TABLE IF NOT EXISTS ${q}.${gone} (LIKE ${q}.shop_order)`);
    // ... and of one it has not passed yet
    await adminClient().query(`ALTER TABLE ${q}.shop_order DETACH PARTITION ${q}.${second}`);
    // a DETACH ... CONCURRENTLY stopped while it waits, in its second transaction, for a reader of the parent
    const reader = await session();
    const detacher = await session();
    try {
      await reader.query('BEGIN');
      await reader.query(`SELECT 1 FROM ${q}.shop_order LIMIT 1`);
      const detach = detacher
        .query(`ALTER TABLE ${q}.shop_order DETACH PARTITION ${q}.${oldest} CONCURRENTLY`)
        .then(
          () => null,
          (e: unknown) => e,
        );
      await until('the DETACH to wait', async () => (await lockWaits(s)).some((x) => /CONCURRENTLY/.test(x)));
      await adminClient().query('select pg_cancel_backend($1)', [backendPid(detacher)]);
      expect(String(await detach)).toMatch(/cancel/);
    } finally {
      await reader.query('ROLLBACK');
      await reader.end();
      await detacher.end();
    }
    expect(await orderLeaves()).toContainEqual({ name: oldest, pending: true });

    const again = await play(plan, s, { speed: 1_000_000, retentionHours: 3 });
    expect(again.finished).toBe(true);
    expect(Object.fromEntries(again.stats.errors)).toEqual({});
    const ops = again.maintenance.events.filter((e) => [gone, oldest, second].includes(e.partition));
    expect(ops.map((e) => `${e.op} ${e.partition}`)).toEqual(
      expect.arrayContaining([
        `detach ${oldest}`,
        `drop ${oldest}`,
        `drop ${gone}`,
        `attach ${second}`,
        `drop ${second}`,
      ]),
    );
    const left = await adminClient().query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = any($2::text[])`,
      [s, [gone, oldest, second]],
    );
    expect(left.rows).toEqual([]);
    expect((await orderLeaves()).filter((x) => x.pending)).toEqual([]);
  });

  it('gen verify on a schema played with --retention compares the partitions kept and runs the checks that hold on them', async () => {
    const s = schema('retained');
    const args = ['--scenario', 'tiny', '--hours', '8', '--db', url, '--schema', s];
    // 8 hours in 8 s: the maintenance loop retires the hours the retention passes as the clock goes
    const r = await gen(['live', ...args, '--speed', '3600', '--retention', '3', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const v = await gen(['verify', ...args, '--quiet']);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toMatch(/^(\d+)\/\1 chunks \(a table's hour or day each\) match the scenario/m);
    expect(v.out).toMatch(
      /^[1-9]\d* chunks retired by gen live --retention \(partitions ending at or before 2026-11-27T0[1-5]:00:00\.000Z\): not compared$/m,
    );
    // the integrity checks that hold on what is left: placement, ids, references into the kept tables, ...
    expect(v.out).toMatch(/^(\d+)\/\1 integrity checks pass$/m);
    expect(Number(/^(\d+)\/\d+ integrity checks pass$/m.exec(v.out)?.[1])).toBeGreaterThan(20);
    // ... and not those that need the retired rows
    expect(v.out).toMatch(
      /^[1-9]\d* integrity checks not run: they need rows gen live --retention retired \(hours up to 2026-11-27T0[1-5]:00:00\.000Z of [a-z_, ]*shop_order[a-z_, ]*\)$/m,
    );
    expect(v.out).not.toMatch(/^DIFF|^FAIL/m);
    // a kept partition that differs is still found, and a kept order naming no user, with a total that is not
    // its items', fails its reference check and order-totals
    await adminClient().query(`DELETE FROM ${ident(s)}.shop_order_p20261127_070000`);
    await adminClient().query(
      `UPDATE ${ident(s)}.shop_order SET user_id = gen_random_uuid(), total = total + 1
       WHERE id = (SELECT id FROM ${ident(s)}.shop_order WHERE event_time >= '2026-11-27T06:00Z' LIMIT 1)`,
    );
    // a kept request naming a product of another (existing) shop fails the check of each request against its
    // product, which runs on what is left (since 5 December)
    await adminClient().query(
      `UPDATE ${ident(s)}.request_response_log r
       SET shop_id = (SELECT x.id FROM ${ident(s)}.shop x WHERE x.id <> r.shop_id ORDER BY x.id LIMIT 1)
       WHERE r.id = (SELECT id FROM ${ident(s)}.request_response_log
                     WHERE event_time >= '2026-11-27T06:00Z' AND shop_product_id IS NOT NULL LIMIT 1)`,
    );
    const after = await gen(['verify', ...args, '--quiet']);
    expect(after.code).toBe(1);
    expect(after.out).toMatch(/^DIFF shop_order_p20261127_070000: /m);
    expect(after.out).toMatch(/^FAIL reference:shop_order\.user_id: 1 offending rows/m);
    expect(after.out).toMatch(/^FAIL traffic-products: 1 offending rows/m);
    // orders and their items, retired up to the same hour: their totals are checked on what is left
    expect(after.out).toMatch(/^FAIL order-totals: 1 offending rows/m);
  });

  it('a writer falling behind: late transactions and lag reported, latency counted from the schedule', async () => {
    const s = schema('behind');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 }));
    const r = await play(plan, s, { speed: 200_000, writers: 1 });
    expect(r.finished).toBe(true);
    expect(r.stats.late()).toBeGreaterThan(0);
    expect(r.stats.lagSummary().max).toBeGreaterThan(100);
    const checkout = r.stats.types().find((t) => t.type === 'checkout');
    // waiting in the queue is part of the latency: far above what the database took
    expect(checkout?.latency.p50 ?? 0).toBeGreaterThan(10 * (checkout?.service.p50 ?? 0));
  });

  it('keeping up, it holds two generated hours at once: the one playing and the next', async () => {
    const s = schema('held');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 5 }));
    // 2 s an hour: the next hour joins the queue half a scenario hour before the clock reaches it
    let ends = 0;
    const progress: LiveProgress[] = [];
    const r = await play(plan, s, {
      speed: 1800,
      // the window's partitions all made before play: this test is about the hours held, not the keeper, and
      // with 4 hours premade the keeper has 8 s of wall to make hour 4's 16 partitions. On the CI machine (5
      // December, the PostgreSQL 15 smoke running beside the suite) it once did not: 15 transactions found no
      // partition. The keeper under play is the premake/retention tests' subject.
      premakeHours: 5,
      onPlayEnd: () => ends++,
      progressEveryMs: 500,
      onProgress: (p) => progress.push(p),
    });
    expect(r.finished).toBe(true);
    expect(ends).toBe(1);
    // the progress reports per type (what a terminal shows): every due transaction counted under its type, and
    // the latency of the last interval's
    expect(progress.length).toBeGreaterThan(5);
    for (const p of progress) expect(p.types.reduce((n, t) => n + t.scheduled, 0)).toBe(p.scheduled);
    const last = progress.at(-1) as LiveProgress;
    expect(last.types.reduce((n, t) => n + t.committed, 0)).toBe(last.committed);
    expect(last.types.map((t) => t.type)).toContain('checkout');
    const timed = progress.flatMap((p) => p.types).filter((t) => t.type === 'checkout' && t.p50 > 0);
    expect(timed.length).toBeGreaterThan(3);
    for (const t of timed) expect(t.p99).toBeGreaterThanOrEqual(t.p50);
    // the report per type over scenario time: every committed transaction in one of its type's hours
    for (const t of r.stats.types()) {
      const hours = t.byHour ?? [];
      expect(
        hours.reduce((n, x) => n + x.count, 0),
        t.type,
      ).toBe(t.count);
      expect(hours.map((x) => x.hour)).toEqual([...hours.map((x) => x.hour)].sort());
    }
    expect(r.stats.types().find((t) => t.type === 'checkout')?.byHour).toHaveLength(5);
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // (taken an hour ahead, the worker generated a third meanwhile: ~150 MB an hour at --scale 5's busiest)
    expect(r.hoursHeldMax).toBe(2);
  });

  // the three at once: each mostly waits for its run's clock (speed 600), and one after the other they took 54 s
  it.concurrent.each([
    ['SIGKILL', null, 1],
    // twice at once, as `timeout` and systemd deliver it: to the process group, and passed on by the parent of
    // gen's malloc restart (src/malloc-restart.ts); still one clean stop
    ['SIGTERM', 143, 2],
    // the same from `timeout -s INT` or `kill -INT -- -PGID`: one stop, not "Ctrl-C again to quit at once"
    ['SIGINT', 130, 2],
  ] as const)(
    '%s mid-run: the same command continues and the end state is the bulk load',
    async (sig, exit, times) => {
      const s = schema(sig.toLowerCase());
      const args = [
        '--scenario',
        'black-friday',
        '--hours',
        '2',
        '--scale',
        '0.03',
        '--db',
        url,
        '--schema',
        s,
      ];
      // 2 hours in 12 s: interrupted in the middle, past the snapshot and the first hour's close
      const p = genProcess(['live', ...args, '--speed', '600', '--writers', '2', '--quiet']);
      const own = await session();
      await waitForClock(s, BF_START, 70, own).finally(() => own.end());
      for (let i = 0; i < times; i++) {
        // the parent passes it on a moment later (at once, the kernel would merge the two)
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        p.child.kill(sig);
      }
      const r = await p.done;
      if (exit === null) {
        expect(r.signal).toBe('SIGKILL');
        // verify on the run short of its end says so, and compares nothing
        const mid = await gen(['verify', ...args]);
        expect(mid.code).toBe(1);
        expect(mid.out).toMatch(/holds a gen live run short of its window's end .*nothing compared\n$/);
      } else {
        expect(r.code, r.err).toBe(exit);
        expect(r.err).toMatch(/run the same command again to continue/);
      }
      const second = await gen(['live', ...args, '--speed', '1000000', '--quiet']);
      expect(second.code, second.err).toBe(0);
      expect(second.out).toMatch(/\(resumed\)/);
      await expectVerified(args);
    },
  );

  it('scraped while it plays, dashboards querying meanwhile, all in the JSON report', async () => {
    const s = schema('watch');
    const json = join(tmp, 'live.json');
    let endpoint: string | undefined;
    let err = '';
    const stderr = new Writable({
      write(chunk: Buffer, _e, cb) {
        err += chunk.toString();
        endpoint ??= /gen live: metrics at (\S+)/.exec(err)?.[1];
        cb();
      },
    });
    const stdout = new Writable({
      write(_c, _e, cb) {
        cb();
      },
    });
    let finished = false;
    // 3 hours in ~5 s at a rate the writers keep up with
    const run = main(
      [
        'live',
        '--scenario',
        'tiny',
        '--db',
        url,
        '--schema',
        s,
        '--speed',
        '2000',
        // partitions made while it plays, their maintenance events in the report
        '--premake',
        '1',
        '--clients',
        '2',
        '--metrics-port',
        '0',
        '--json',
        json,
        '--quiet',
      ],
      { stdout, stderr, env: {} },
    ).finally(() => {
      finished = true;
    });
    const seen: number[] = [];
    while (!finished) {
      if (endpoint !== undefined) {
        const res = await fetch(endpoint).catch(() => null);
        if (res?.ok) {
          const e = parseExposition(await res.text());
          seen.push(sampleValue(e, 'gen_transactions_total', { type: 'checkout' }) ?? 0);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await run, err).toBe(0);
    // counted as it went: more than one distinct value, never going down
    expect(new Set(seen).size).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const report = await readJsonReport(json);
    const live = report.live;
    expect(live?.finished).toBe(true);
    expect(live?.types.find((t) => t.type === 'checkout')?.count).toBeGreaterThan(0);
    expect(live?.serverSide?.walBytes).toBeGreaterThan(0);
    // partitions made at several points of the clock, not all before play (--premake 1)
    expect(new Set(live?.maintenance.events.map((e) => e.clock)).size).toBeGreaterThan(1);
    const queries = live?.dashboards?.queries ?? [];
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((q) => q.errors === 0)).toBe(true);
    expect(queries.reduce((a, q) => a + q.count, 0)).toBeGreaterThan(0);
    // each query's latency split as gen query splits it: the server's part and this process's
    expect(queries.every((q) => q.serverMs?.count === q.count && q.clientMs?.count === q.count)).toBe(true);
    expect(JSON.parse(readFileSync(json, 'utf8')).live.hours.length).toBeGreaterThan(0);
  });

  it('real time (--start now-2h): what is past plays at once, then the clock is the wall clock; finished fast, it is the bulk load', async () => {
    const s = schema('realtime');
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    // the window ends at least 10 minutes from now: started in an hour's last seconds, the 3-hour window was all
    // past before a transaction came due on the wall clock, and it finished as a bulk load (seen in CI at about 19:00)
    const hours = Date.now() % 3_600_000 > 50 * 60_000 ? 4 : 3;
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours, start }));
    const ac = new AbortController();
    const scheduled: number[] = [];
    const run = play(plan, s, {
      speed: 1,
      realTime: true,
      signal: ac.signal,
      onProgress: (p) => {
        scheduled.push(p.scheduled);
        // the backfill is done once the clock is the wall clock and a transaction ran on time
        if (p.backfilled > 0 && p.committed > 0) ac.abort();
      },
      progressEveryMs: 200,
    });
    const timer = setTimeout(() => ac.abort(), 60_000);
    const r = await run;
    clearTimeout(timer);
    expect(r.finished).toBe(false);
    expect(r.stats.backfill).toBeGreaterThan(500);
    // what is due on the wall clock, the backfill left out, only grows (it read as a negative rate once the
    // backfill, counted as due at once, had committed)
    expect(scheduled.length).toBeGreaterThan(1);
    expect(scheduled.every((v, i) => v >= 0 && v >= (scheduled[i - 1] ?? 0))).toBe(true);
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // the backfill's lag (it was all due at the start) is not the run's: what played on the wall clock ran on time
    expect(r.stats.lag.summary().max).toBeLessThan(100);
    // the clock was the wall clock: within a minute of now, past the window's first two hours
    expect(Math.abs(r.clock - Date.now())).toBeLessThan(60_000);
    // restarted in real time, its clock is the wall clock again, not the time of the first transaction not
    // committed (a helper's run played 53 s ahead for its whole length). How far ahead the resume point lies here
    // is chance (red with the old anchor when the next transaction is due in more than 0.5 s): the unit test of
    // realTimeAnchor is what always catches it
    const again = new AbortController();
    let ahead = Number.NaN;
    await play(plan, s, {
      speed: 1,
      realTime: true,
      signal: again.signal,
      onPlay: (clock) => {
        ahead = clock() - Date.now();
        again.abort();
      },
    });
    expect(ahead).toBeLessThan(500);
    // the rest at full speed: the end state does not depend on how the window was played
    const rest = await play(plan, s);
    expect(rest.finished).toBe(true);
    await expectVerified([
      '--scenario',
      'tiny',
      '--hours',
      String(hours),
      '--start',
      new Date(start).toISOString(),
      '--db',
      url,
      '--schema',
      s,
    ]);
  });

  it('--follow plays past the window end, the window growing a day at a time', async () => {
    const s = schema('follow');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 }));
    const ac = new AbortController();
    // following, the window is a day from the start (run.ts) and grows by a day an hour before its end: stopped
    // an hour and a half into the second day. The partitions after the window's end were made only once it grew,
    // an hour ahead of the clock at best, and the writers met none for a while (1,114 failed at speed 7200, 173
    // at 3600); the keeper now premakes them as any others. Speed 3600: an hour's 30 CREATE/ATTACH take
    // 0.3-0.6 s of the second the hour lasts, with room for a loaded machine.
    // stopped and restarted on the way, as a service is: the restart generates the hours it plays from the
    // window the stopped run had (24 hours then; it took the hours played + 24, 34 here, which gave another
    // window's rows: ids twice in a helper's run, src/live/dispatch.ts followWindowHours; this stop point did
    // not show it, the unit test in follow-window.test.ts does)
    // (Tried at speed 18,000 for the first 16 hours, 12 s shorter: on CI, beside the PostgreSQL 15 smoke, the
    // writers fell behind that clock, which ran on past the window's growth before the stop reached it.)
    const first = new AbortController();
    const before = play(plan, s, { speed: 3600, follow: true, signal: first.signal });
    await waitForClock(s, plan.start, 10 * 60);
    first.abort();
    expect((await before).finished).toBe(false);
    const run = play(plan, s, { speed: 3600, follow: true, signal: ac.signal });
    await waitForClock(s, plan.start, 25 * 60 + 30);
    ac.abort();
    const r = await run;
    expect(r.resumed).toBe(true);
    for (const t of ['global_event', 'shop_order', 'shop_order_payment', 'invoice']) {
      const twice = await adminClient().query<{ n: string }>(
        `select count(*) n from (select id from ${ident(s)}.${t} group by id having count(*) > 1) d`,
      );
      expect([t, Number(twice.rows[0]?.n)]).toEqual([t, 0]);
    }
    expect(r.finished).toBe(false);
    expect(Object.fromEntries(r.stats.errors)).toEqual({});
    // the window grown (a new worker for the longer plan): still the hour playing and the next at most
    expect(r.hoursHeldMax).toBeLessThanOrEqual(2);
    const rows = await adminClient().query<{ n: string }>(
      `select count(*) n from ${ident(s)}.shop_order where event_time >= $1`,
      [new Date(plan.start + 2 * 3_600_000)],
    );
    expect(Number(rows.rows[0]?.n)).toBeGreaterThan(0);
    const hourly = await adminClient().query<{ n: string }>(
      `select count(*) n from ${ident(s)}.shop_metrics_hourly where event_time = $1`,
      [new Date(plan.start + 2 * 3_600_000)],
    );
    expect(Number(hourly.rows[0]?.n)).toBeGreaterThan(0);
    // its window never ends: verify says so instead of a page of chunks and checks that differ
    const v = await gen(['verify', '--scenario', 'tiny', '--hours', '2', '--db', url, '--schema', s]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      /is played by gen live --follow \(its clock at 2026-11-28T0[1-9].*nothing compared\n$/,
    );
  });

  it('the scenario clock stops with play: what reads it after (the dashboards) sees no hour that was not played', async () => {
    const s = schema('clock_stop');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 }));
    const ac = new AbortController();
    let clock: (() => number) | undefined;
    // what runs alongside play (the dashboards of gen live and gen bench --live) is told when play stops
    const ends: number[] = [];
    const run = play(plan, s, {
      speed: 3600,
      signal: ac.signal,
      onPlay: (c) => {
        clock = c;
      },
      onPlayEnd: () => ends.push(clock?.() ?? Number.NaN),
    });
    await waitForClock(s, plan.start, 10);
    ac.abort();
    const r = await run;
    expect(r.finished).toBe(false);
    // at speed 3600, 300 ms are 18 scenario minutes: the clock went on after the stop before
    await sleep(300);
    expect(clock?.()).toBe(r.clock);
    expect(ends).toEqual([r.clock]);
  });

  it('a --follow run stopped before its window ends is still told apart from a run to finish', async () => {
    const s = schema('follow_early');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 12 }));
    const ac = new AbortController();
    const run = play(plan, s, { speed: 3600, follow: true, signal: ac.signal });
    await waitForClock(s, plan.start, 30);
    ac.abort();
    expect((await run).finished).toBe(false);
    const v = await gen(['verify', '--scenario', 'tiny', '--hours', '12', '--db', url, '--schema', s]);
    expect(v.code).toBe(1);
    // not "run the same gen live command again to finish it": a followed run never finishes
    expect(v.out).toMatch(
      /^schema ".*" is played by gen live --follow \(its clock at [^)]*\): a followed run never ends/,
    );
    // continued without --follow, it would have played another window's hours and marked the schema finished
    const args = ['live', '--scenario', 'tiny', '--hours', '12', '--db', url, '--schema', s, '--quiet'];
    const without = await gen([...args, '--speed', '1000000']);
    expect(without.code).toBe(2);
    expect(without.err).toBe(
      `gen: schema "${s}" holds a gen live run played with --follow; expected --follow to continue it (or --reset to start over)\n`,
    );
    const still = await gen(['verify', '--scenario', 'tiny', '--hours', '12', '--db', url, '--schema', s]);
    expect(still.out).toMatch(/is played by gen live --follow/);
  });

  it('a run played without --follow is not continued with it', async () => {
    const s = schema('unfollowed');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 8 }));
    const ac = new AbortController();
    const run = play(plan, s, { speed: 3600, signal: ac.signal });
    await waitForClock(s, plan.start, 30);
    ac.abort();
    expect((await run).finished).toBe(false);
    const follow = await gen([
      'live',
      '--scenario',
      'tiny',
      '--hours',
      '8',
      '--db',
      url,
      '--schema',
      s,
      '--follow',
    ]);
    expect(follow.code).toBe(2);
    expect(follow.err).toMatch(
      /^gen: schema "[^"]+" holds a gen live run played without --follow; expected no --follow/,
    );
    await finishesAsBulk(plan, s);
  });

  it("a run stopped between an hour's last transaction and its close writes the close when run again; at the window's end too", async () => {
    const s = schema('close');
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), { hours: 3 }));
    expect((await play(plan, s, { premakeHours: 8 })).finished).toBe(true);
    const c = adminClient();
    for (const h of [1, 3]) {
      // what such a stop leaves: the hour's transactions committed, not its close (one transaction: none of its
      // rows), and the resume point at the close's time, the hour's end; at the window's end the close is the
      // last day's too
      const end = plan.start + h * HOUR_MS;
      for (const t of ['user', 'shop', 'shop_product']) {
        const hourly = await c.query(
          `DELETE FROM ${ident(s)}.${t}_metrics_hourly WHERE event_time >= $1 AND event_time < $2`,
          [new Date(end - HOUR_MS), new Date(end)],
        );
        expect(hourly.rowCount, t).toBeGreaterThan(0);
        if (h === plan.hours)
          await c.query(`DELETE FROM ${ident(s)}.${t}_metrics_daily WHERE event_time > $1`, [
            new Date(end - 24 * HOUR_MS),
          ]);
      }
      await c.query(`UPDATE ${ident(s)}._gen_live SET resume_from = $1, finished_at = NULL`, [new Date(end)]);
      const again = await play(plan, s);
      expect([h, again.finished]).toEqual([h, true]);
      await expectVerified(['--scenario', 'tiny', '--hours', '3', '--db', url, '--schema', s]);
    }
  });
});
