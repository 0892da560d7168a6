/**
 * Partitions under load, as pg_partman's maintenance does it: a loop keeps `premake` hours of partitions ahead
 * of the scenario clock and, with a retention, detaches and drops the event tables' partitions that fell out
 * of it. A partition is made as CREATE TABLE ... (LIKE parent) then ATTACH PARTITION (SHARE UPDATE EXCLUSIVE on
 * the parent: inserts go on), and retired by DETACH PARTITION ... CONCURRENTLY then DROP. Every statement is
 * timed, with the time it waited for locks and how many writers were waiting on a lock meanwhile.
 *
 * An interrupted statement (a stop cancels it, or kill -9, or a lost server) leaves what the next run finishes:
 * a table made but not attached is attached (or dropped, once older than the retention), and a DETACH ...
 * CONCURRENTLY stopped after its first transaction, which leaves the partition "pending detach" and makes the
 * server refuse every other concurrent detach on that parent, is finished (DETACH ... FINALIZE), then dropped.
 */
import type pg from 'pg';
import { POPULATION_TABLES } from '../generate/slices.js';
import { qualified } from '../model/ddl.js';
import { type Layout, layoutPartitions } from '../model/layout.js';
import { METRIC_TABLES } from '../model/metrics.js';
import { type Partition, sqlTimestamp } from '../model/partitions.js';
import type { TableName } from '../model/tables.js';
import { HOUR_MS } from '../time-units.js';
import { saveRetiredBefore } from './progress.js';

/**
 * Never retired: the population tables (later rows reference their rows by id at any age) and the metric
 * tables (small aggregates the dashboards read over days).
 */
export const KEPT_TABLES: ReadonlySet<TableName> = new Set([
  ...POPULATION_TABLES,
  ...Object.values(METRIC_TABLES).flatMap((t) => [t.hourly, t.daily]),
]);

export type MaintenanceOp = 'create' | 'attach' | 'detach' | 'drop';

export interface MaintenanceEvent {
  op: MaintenanceOp;
  partition: string;
  /** scenario clock when it ran, epoch ms */
  clock: number;
  ms: number;
  /**
   * the most writers and queries seen waiting on this statement's locks while it ran (pg_blocking_pids,
   * sampled every few milliseconds from a connection of its own)
   */
  blocked: number;
  /**
   * the time those sessions spent waiting, summed over them, ms: each sample's count times the time since the
   * sample before (an estimate to a few ms). Absent in reports written before 7 December 2026.
   */
  waitedMs?: number;
}

export interface MaintenanceTotals {
  op: MaintenanceOp;
  count: number;
  totalMs: number;
  maxMs: number;
  blocked: number;
  /** MaintenanceEvent.waitedMs summed */
  waitedMs?: number;
}

/** events the log keeps in order: the first half of them and the last half (the report's timeline) */
export const LOGGED_EVENTS = 1000;

/**
 * What the maintenance did: totals per statement kind, and in order the first LOGGED_EVENTS / 2 events and the
 * last LOGGED_EVENTS / 2. A `--follow` run makes ~60 statements a scenario hour for weeks: held all, they grew
 * without end; held only from the start, a week's report showed its first day's.
 */
export class MaintenanceLog {
  private readonly first: MaintenanceEvent[] = [];
  /** the last events, a ring from `at` once full */
  private readonly last: MaintenanceEvent[] = [];
  private at = 0;
  private count = 0;
  private readonly totals = new Map<MaintenanceOp, MaintenanceTotals>();

  /** the events kept, in order: the first, then the last */
  get events(): MaintenanceEvent[] {
    return [...this.first, ...this.last.slice(this.at), ...this.last.slice(0, this.at)];
  }

  /** events between the first and the last that are not kept */
  get leftOut(): number {
    return this.count - this.first.length - this.last.length;
  }

  add(e: MaintenanceEvent): void {
    this.count++;
    const half = LOGGED_EVENTS / 2;
    if (this.first.length < half) this.first.push(e);
    else if (this.last.length < half) this.last.push(e);
    else {
      this.last[this.at] = e;
      this.at = (this.at + 1) % half;
    }
    let t = this.totals.get(e.op);
    if (!t) {
      t = { op: e.op, count: 0, totalMs: 0, maxMs: 0, blocked: 0, waitedMs: 0 };
      this.totals.set(e.op, t);
    }
    t.count++;
    t.totalMs += e.ms;
    t.maxMs = Math.max(t.maxMs, e.ms);
    t.blocked = Math.max(t.blocked, e.blocked);
    t.waitedMs = (t.waitedMs ?? 0) + (e.waitedMs ?? 0);
  }

  /** per statement kind, in the order they first ran */
  ops(): MaintenanceTotals[] {
    return [...this.totals.values()].map((t) => ({ ...t }));
  }
}

export class PartitionKeeper {
  private all: Partition[];
  private readonly attached = new Set<string>();
  private readonly retired = new Set<string>();
  /** a partition's table that exists unattached: made but not attached, or detached but not dropped */
  private readonly loose = new Set<string>();
  /** attached, but its DETACH ... CONCURRENTLY was interrupted (pg_inherits.inhdetachpending) */
  private readonly pending = new Set<string>();
  /** what _gen_live.retired_before says, as far as this process wrote it */
  private retiredBefore = -Infinity;
  readonly log = new MaintenanceLog();

  /** partitions listed whose state on the server it has not read yet (load) */
  private readonly unchecked: string[] = [];
  /** hours of the window `all` covers (less what it forgot: forget) */
  private hours = 0;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly schema: string,
    private readonly layout: Layout,
    private readonly start: number,
    hours: number,
    private readonly premakeHours: number,
    private readonly retentionHours: number | null,
    /** --follow: the window has no end, and partitions are premade past the hours it has so far */
    private readonly follow: boolean,
    private readonly onEvent?: (e: MaintenanceEvent) => void,
    /** a second connection that watches who waits on the maintenance statements */
    private readonly sampler?: pg.ClientBase,
  ) {
    this.all = [];
    this.extend(hours);
  }

  /**
   * The partitions of a window of `hours` (never fewer than it has), retired ones left out, in time order: what
   * the clock needs first is made first, whatever the table (table by table, the last table's next hour came
   * after every table's later hours).
   */
  extend(hours: number): void {
    if (hours <= this.hours) return;
    const end = this.start + this.hours * HOUR_MS;
    const known = new Set(this.all.map((p) => p.name));
    // the hours after the window's end (a day's partition holding the end is made again: it is known, or retired)
    const added = layoutPartitions(this.layout, end, hours - this.hours).filter(
      (p) => !known.has(p.name) && !this.retired.has(p.name),
    );
    this.hours = hours;
    this.all = [...this.all, ...added].sort((a, b) => a.from - b.from);
    for (const p of added) this.unchecked.push(p.name);
  }

  /** partitions it still lists: to make, to watch ahead of the clock, or to retire */
  get listed(): number {
    return this.all.length;
  }

  /**
   * What is attached now (a resumed run finds its partitions), what an interrupted run left half done: for the
   * partitions listed since the last look (tick looks again after the window grew: a restarted --follow run's
   * window ends a day past where it stopped, and the run before may have premade more than that)
   */
  async load(): Promise<void> {
    if (this.unchecked.length === 0) return;
    const names = this.unchecked.splice(0);
    const r = await this.client.query<{ name: string; attached: boolean; pending: boolean }>(
      `select c.relname as name, i.inhrelid is not null as attached, coalesce(i.inhdetachpending, false) as pending
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         left join pg_inherits i on i.inhrelid = c.oid
       where n.nspname = $1 and c.relkind in ('r', 'p') and c.relname = any($2::text[])`,
      [this.schema, names],
    );
    for (const row of r.rows) {
      if (!row.attached) this.loose.add(row.name);
      else if (row.pending) this.pending.add(row.name);
      else this.attached.add(row.name);
    }
  }

  /** hours of partitions ready ahead of the clock, for the table with the fewest */
  ahead(clock: number): number {
    // every partitioned table, also one whose partitions are all behind the clock (forgotten: none ahead)
    const last = new Map<string, number>();
    for (const [t, g] of Object.entries(this.layout.granularity)) if (g !== 'none') last.set(t, clock);
    for (const p of this.all) {
      const t = p.table.name;
      if (this.attached.has(p.name) && p.to > (last.get(t) ?? clock)) last.set(t, p.to);
    }
    if (last.size === 0) return 0;
    const least = Math.min(...last.values());
    return Math.max(0, (least - clock) / HOUR_MS);
  }

  /**
   * Make what the clock needs next and retire what it left behind: partitions older than the retention, once
   * the transactions up to `doneUpTo` have committed (a backfill writes into old hours first).
   */
  async tick(clock: number, doneUpTo: number = clock): Promise<void> {
    const horizon = clock + this.premakeHours * HOUR_MS;
    // following, the window grows when the clock is an hour from its end (dispatch.ts): the hours after it are
    // premade as any others, before the clock gets there (made only then, the writers met no partition while
    // the keeper made --premake hours of every table)
    if (this.follow) this.extend(Math.floor((horizon - this.start) / HOUR_MS) + 1);
    await this.load();
    const keepFrom =
      this.retentionHours === null ? -Infinity : Math.min(clock, doneUpTo) - this.retentionHours * HOUR_MS;
    // an interrupted retirement first: while one partition of a table is pending detach, the server refuses to
    // detach another concurrently
    if (this.pending.size > 0)
      for (const p of this.all) if (this.pending.has(p.name)) await this.finalize(p, clock);
    for (const p of this.all) {
      if (p.from >= horizon || this.attached.has(p.name) || this.retired.has(p.name)) continue;
      if (p.to <= keepFrom && !KEPT_TABLES.has(p.table.name)) {
        if (this.loose.has(p.name)) await this.drop(p, clock);
        continue;
      }
      await this.create(p, clock);
    }
    if (this.retentionHours !== null)
      for (const p of this.all) {
        if (p.to > keepFrom || KEPT_TABLES.has(p.table.name) || !this.attached.has(p.name)) continue;
        await this.retire(p, clock);
      }
    this.forget(clock, keepFrom);
  }

  /**
   * The partitions it is done with leave its list: the retired ones (or past the retention with no table), and
   * those attached behind the clock that it never retires (kept tables, or no retention). Kept, a --follow run's
   * list (and each tick's walk over it) grew with every hour played. None comes back: extend adds only hours past
   * the window's end, ahead of the clock.
   */
  private forget(clock: number, keepFrom: number): void {
    const done = (p: Partition): boolean => {
      if (this.retired.has(p.name)) return true;
      if (this.retentionHours === null || KEPT_TABLES.has(p.table.name))
        return this.attached.has(p.name) && p.to <= clock;
      // past the retention with no table: never made, or retired by the run before (a resumed run lists them)
      return (
        p.to <= keepFrom && !this.attached.has(p.name) && !this.loose.has(p.name) && !this.pending.has(p.name)
      );
    };
    if (!this.all.some(done)) return;
    const left: Partition[] = [];
    for (const p of this.all) {
      if (!done(p)) left.push(p);
      else {
        this.retired.delete(p.name);
        this.attached.delete(p.name);
      }
    }
    this.all = left;
  }

  /** recorded before a partition ending at `to` is retired (gen verify leaves the retired ones out) */
  private async retiring(to: number): Promise<void> {
    if (to <= this.retiredBefore) return;
    await saveRetiredBefore(this.client, this.schema, to);
    this.retiredBefore = to;
  }

  private async create(p: Partition, clock: number): Promise<void> {
    const leaf = qualified(this.schema, p.name);
    const parent = qualified(this.schema, p.table.name);
    await this.timed(
      'create',
      p,
      clock,
      `CREATE TABLE IF NOT EXISTS ${leaf} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    await this.timed(
      'attach',
      p,
      clock,
      `ALTER TABLE ${parent} ATTACH PARTITION ${leaf} FOR VALUES FROM ('${sqlTimestamp(p.from)}') TO ('${sqlTimestamp(p.to)}')`,
    );
    this.attached.add(p.name);
    this.loose.delete(p.name);
  }

  private async retire(p: Partition, clock: number): Promise<void> {
    await this.retiring(p.to);
    const leaf = qualified(this.schema, p.name);
    const parent = qualified(this.schema, p.table.name);
    // stopped in its second transaction, it leaves the partition pending detach (the next run's load, finalize)
    await this.timed('detach', p, clock, `ALTER TABLE ${parent} DETACH PARTITION ${leaf} CONCURRENTLY`);
    this.attached.delete(p.name);
    this.loose.add(p.name);
    await this.drop(p, clock);
  }

  /** the second half of an interrupted DETACH ... CONCURRENTLY; then a loose table, dropped or attached again */
  private async finalize(p: Partition, clock: number): Promise<void> {
    const leaf = qualified(this.schema, p.name);
    const parent = qualified(this.schema, p.table.name);
    await this.timed('detach', p, clock, `ALTER TABLE ${parent} DETACH PARTITION ${leaf} FINALIZE`);
    this.pending.delete(p.name);
    this.attached.delete(p.name);
    this.loose.add(p.name);
  }

  private async drop(p: Partition, clock: number): Promise<void> {
    await this.retiring(p.to);
    await this.timed('drop', p, clock, `DROP TABLE IF EXISTS ${qualified(this.schema, p.name)}`);
    this.loose.delete(p.name);
    this.retired.add(p.name);
  }

  private async timed(op: MaintenanceOp, p: Partition, clock: number, sql: string): Promise<void> {
    const t0 = performance.now();
    let running = true;
    let blocked = 0;
    let waitedMs = 0;
    const pid = (this.client as pg.ClientBase & { processID?: number }).processID;
    const watch = async (): Promise<void> => {
      if (!this.sampler || pid === undefined) return;
      let last = t0;
      while (running) {
        const r = await this.sampler.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`,
          [pid],
        );
        const n = Number(r.rows[0]?.n ?? 0);
        const now = performance.now();
        blocked = Math.max(blocked, n);
        waitedMs += n * (now - last);
        last = now;
        await new Promise((res) => setTimeout(res, 5));
      }
    };
    const watching = watch().catch(() => undefined);
    try {
      await this.client.query(sql);
    } finally {
      running = false;
      await watching;
    }
    const ms = performance.now() - t0;
    // the clock runs in fractions of a ms (wall time times the speed); the report's clock is whole ms
    const e: MaintenanceEvent = { op, partition: p.name, clock: Math.floor(clock), ms, blocked, waitedMs };
    this.log.add(e);
    this.onEvent?.(e);
  }
}
