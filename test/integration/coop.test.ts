/**
 * Several gen processes loading one run into one schema at once (issue 10 §1): real `gen` child processes
 * started together, one of them killed mid-load, a --reset refused while another loads, and the set-up race
 * of loads started at the same instant. The end state is compared chunk by chunk with the scenario.
 */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { buildPlan, listChunks, type Plan } from '../../src/generate/index.js';
import { lockKey } from '../../src/load/coop.js';
import { runLoad } from '../../src/load/index.js';
import { ident } from '../../src/model/ddl.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { verifyChunks } from '../../src/verify/index.js';
import { type GenRun, genProcess, scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin, schema, committedChunks, waitForChunks } = scratchSchemas(url, 'coop');
// 36 small chunks: the point is who loads what, not the volume
const HOURS = 2;
const SCALE = 0.05;
const plan: Plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: HOURS, scale: SCALE }));
const total = listChunks(plan).length;
const args = (s: string, ...more: string[]): string[] => [
  ...['--scenario', 'black-friday', '--hours', String(HOURS), '--scale', String(SCALE)],
  ...['--db', url, '--schema', s, '--jobs', '2', '--quiet', ...more],
];

async function expectComplete(s: string): Promise<void> {
  const verdicts = await verifyChunks({ url, schema: s, plan, chunks: listChunks(plan), jobs: 2 });
  expect(verdicts.filter((v) => !v.ok).map((v) => `${v.partition}: ${v.problem}`)).toEqual([]);
  expect(verdicts).toHaveLength(total);
}

/** f while a connection of the test holds chunk `partition`'s lock in an open transaction, as a loading process would */
async function withChunkHeld(
  s: string,
  partition: string,
  f: (holder: pg.Client) => Promise<void>,
): Promise<void> {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('select pg_advisory_xact_lock($1::bigint)', [lockKey('chunk', s, partition)]);
    await f(holder);
  } finally {
    await holder.end();
  }
}

/** what one process's output says it did: chunks it loaded, found committed at its start, saw others load */
function counts(r: GenRun): { loaded: number; skipped: number; byOthers: number } {
  if (/nothing to do: all \d+ chunks/.test(r.out)) return { loaded: 0, skipped: total, byOthers: 0 };
  return {
    loaded: Number(/^total\s+(\d+)\s/m.exec(r.out)?.[1] ?? 0),
    skipped: Number(/resumed: (\d+) of/.exec(r.out)?.[1] ?? 0),
    byOthers: Number(
      /(\d+) chunks of this process's list were loaded by other gen processes/.exec(r.out)?.[1] ?? 0,
    ),
  };
}

async function runFinished(s: string): Promise<boolean> {
  const r = await admin().query<{ f: boolean }>(`select finished_at is not null f from ${ident(s)}._gen_run`);
  return r.rows[0]?.f === true;
}

describe('several gen processes on one schema', () => {
  it('three started at once: all exit 0, every chunk loaded once, analyzed once, content equals one run', async () => {
    const s = schema('three');
    const runs = await Promise.all([0, 1, 2].map(() => genProcess(args(s)).done));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const each = runs.map(counts);
    // every process accounts for every chunk: its own, those it found committed, those others loaded meanwhile
    for (const c of each) expect(c.loaded + c.skipped + c.byOthers).toBe(total);
    expect(each.reduce((a, c) => a + c.loaded, 0)).toBe(total);
    expect(await committedChunks(s)).toBe(total);
    expect(runs.filter((r) => r.out.includes('VACUUM (ANALYZE) of the schema')).length).toBe(1);
    expect(await runFinished(s)).toBe(true);
    await expectComplete(s);
  });

  it('kill -9 of one of three mid-load: the other two exit 0 and the schema is complete', async () => {
    const s = schema('kill9');
    const procs = [0, 1, 2].map(() => genProcess(args(s)));
    await waitForChunks(s, 5);
    procs[0]?.child.kill('SIGKILL');
    const [killed, ...others] = await Promise.all(procs.map((p) => p.done));
    expect(killed?.signal).toBe('SIGKILL');
    for (const r of others) expect(r.code, r.err).toBe(0);
    expect(await committedChunks(s)).toBe(total);
    expect(await runFinished(s)).toBe(true);
    await expectComplete(s);
  });

  it('--reset while another process loads: refused in one line; the other waits for a held chunk, then completes', async () => {
    const s = schema('reset');
    // the test holds one chunk's lock, as another process loading it would: the load cannot end until it is freed
    const held = listChunks(plan).at(-1)?.partition.name ?? '';
    await withChunkHeld(s, held, async (holder) => {
      const first = genProcess(args(s));
      await waitForChunks(s, total - 1);
      const reset = await genProcess(args(s, '--reset')).done;
      expect(reset.code).toBe(3);
      // before anything is said (the load holds the schema's run lock): the refusal is the only line
      expect(reset.err).toBe(
        `gen: another gen process is loading schema "${s}"; --reset is refused while it runs\n`,
      );
      expect(await committedChunks(s)).toBe(total - 1);
      await holder.query('ROLLBACK'); // the holder "dies" without committing: the waiting process takes it over
      const r = await first.done;
      expect(r.code, r.err).toBe(0);
      expect(counts(r)).toEqual({ loaded: total, skipped: 0, byOthers: 0 });
    });
    await expectComplete(s);
  });

  it('loads started at the same instant on a fresh schema (the set-up race) all succeed', async () => {
    const s = schema('race');
    const target = { kind: 'db', url, schema: s } as const;
    const summaries = await Promise.all(
      [0, 1, 2, 3].map(() => runLoad({ plan, target, jobs: 1, analyze: false })),
    );
    expect(summaries.reduce((a, x) => a + x.partitions, 0)).toBe(total);
    for (const x of summaries) expect(x.partitions + x.skipped + x.byOthers).toBe(total);
    await expectComplete(s);
  });

  it('a process given part of the run (a shard) leaves the finish to the one that completes the run', async () => {
    const s = schema('part');
    const target = { kind: 'db', url, schema: s } as const;
    const chunks = listChunks(plan);
    const half = Math.floor(chunks.length / 2);
    const first = await runLoad({ plan, target, jobs: 2, analyze: true, chunks: chunks.slice(0, half) });
    expect(first.partitions).toBe(half);
    expect(first.pendingElsewhere).toBe(total - half);
    expect(first.analyzeMs).toBeUndefined();
    expect(await runFinished(s)).toBe(false);
    // the run's size is the whole window's, whatever part of it the first process was given
    const run = await admin().query<{ chunks: number }>(`select chunks from ${ident(s)}._gen_run`);
    expect(run.rows[0]?.chunks).toBe(total);
    const second = await runLoad({ plan, target, jobs: 2, analyze: true, chunks: chunks.slice(half) });
    expect(second.pendingElsewhere).toBeUndefined();
    expect(second.analyzeMs).toBeGreaterThan(0);
    expect(await runFinished(s)).toBe(true);
    // the whole run again: nothing to do, and no second analyze
    const third = await runLoad({ plan, target, jobs: 2, analyze: true });
    expect(third.skipped).toBe(total);
    expect(third.analyzeMs).toBeUndefined();
    await expectComplete(s);
  });

  // the server's or role's own settings must not break the wait for another process's chunk: a repeatable-read
  // default (the ledger read after the wait would not see the holder's commit: a duplicate key), a lock_timeout
  // shorter than the wait, an idle_session_timeout that would end the idle run session (and free --reset)
  it("waits for a held chunk and sees its holder's commit under the server's repeatable read, lock_timeout and idle_session_timeout", async () => {
    const s = schema('settings');
    const target = { kind: 'db', url, schema: s } as const;
    await runLoad({ plan, target, jobs: 2, analyze: false });
    const held = listChunks(plan).at(-1)?.partition.name ?? '';
    const ledger = `${ident(s)}._gen_ledger`;
    await admin().query(`create table ${ident(s)}.saved as select * from ${ledger} where partition = $1`, [
      held,
    ]);
    await admin().query(`delete from ${ledger} where partition = $1`, [held]);
    await withChunkHeld(s, held, async (holder) => {
      const options = encodeURIComponent(
        '-c default_transaction_isolation=repeatable\\ read -c lock_timeout=300 -c idle_session_timeout=500',
      );
      const withSettings = `${url}${url.includes('?') ? '&' : '?'}options=${options}`;
      const run = genProcess([
        ...['--scenario', 'black-friday', '--hours', String(HOURS), '--scale', String(SCALE)],
        ...['--db', withSettings, '--schema', s, '--jobs', '2', '--quiet'],
      ]);
      // the process waits for the chunk's lock (longer than lock_timeout, its session idle longer than 500 ms)
      const t0 = Date.now();
      for (;;) {
        const w = await admin().query(
          "select 1 from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
        );
        if ((w.rowCount ?? 0) > 0) break;
        if (Date.now() - t0 > 30_000) throw new Error('the process never waited for the held chunk');
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 1500));
      // the holder commits the chunk, as another process loading it would
      await holder.query(`insert into ${ledger} select * from ${ident(s)}.saved`);
      await holder.query(`drop table ${ident(s)}.saved`);
      await holder.query('COMMIT');
      const r = await run.done;
      expect(r.code, r.err).toBe(0);
      expect(counts(r)).toEqual({ loaded: 0, skipped: total - 1, byOthers: 1 });
    });
    await expectComplete(s);
  });

  it('SIGTERM while another process holds the set-up lock: exit 143 at once, nothing written', async () => {
    const s = schema('setupterm');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::bigint)', [lockKey('setup', s)]);
      // its connections named, so the test sees when it polls the lock (a fixed wait was too short on a loaded
      // machine: SIGTERM came before gen had started and killed it with the default action)
      const app = `dp-test-${s}`;
      const p = genProcess(args(s), { PGAPPNAME: app });
      const t0 = Date.now();
      for (;;) {
        const polling = await admin().query(
          `select 1 from pg_stat_activity where application_name = $1 and query like '%pg_try_advisory_lock%'`,
          [app],
        );
        if (polling.rowCount) break;
        if (Date.now() - t0 > 60_000) throw new Error('gen never polled the set-up lock');
        await new Promise((r) => setTimeout(r, 100));
      }
      p.child.kill('SIGTERM');
      // the holder never lets go: a process that waited for the lock would never exit
      const r = await p.done;
      expect(r.code, r.err).toBe(143);
      expect(r.err).toContain('stopped while another gen process was setting the schema up');
      const there = await admin().query('select 1 from pg_namespace where nspname = $1', [s]);
      expect(there.rowCount).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it('gen live plays a schema alone: refused while a load runs there, and a load is refused while it plays', async () => {
    const s = schema('withlive');
    const held = listChunks(plan).at(-1)?.partition.name ?? '';
    // a load that cannot end while the test holds one of its chunks
    await withChunkHeld(s, held, async (holder) => {
      const load = genProcess(args(s));
      await waitForChunks(s, total - 1);
      const live = await genProcess(liveArgs(s, '--reset', '--speed', '3600')).done;
      expect(live.code, live.err).toBe(3);
      // refused before anything is said (the load holds the run lock): one line
      expect(live.err).toBe(
        `gen: another gen process is loading schema "${s}"; gen live plays a schema alone\n`,
      );
      // without --reset as well (busy, not "loaded in bulk": the load is under way)
      const plain = await genProcess(liveArgs(s, '--speed', '3600')).done;
      expect(plain.code, plain.err).toBe(3);
      expect(plain.err).toBe(
        `gen: another gen process is loading schema "${s}"; gen live plays a schema alone\n`,
      );
      await holder.query('ROLLBACK');
      expect((await load.done).code).toBe(0);
    });
    await expectComplete(s);
    // the other way round: a live run playing slowly, then a load of the same flags into its schema
    const l = schema('livefirst');
    const playing = genProcess(liveArgs(l, '--speed', '1'));
    try {
      const t0 = Date.now();
      while (!(await runStarted(l))) {
        if (Date.now() - t0 > 60_000) throw new Error('gen live never started its run');
        await new Promise((r) => setTimeout(r, 100));
      }
      const bulk = await genProcess(args(l)).done;
      expect(bulk.code, bulk.err).toBe(3);
      expect(bulk.err).toBe(
        `gen: gen live is playing schema "${l}"; a load cannot share it (stop it, or use another --schema)\n`,
      );
      // nor does another gen live join it
      const second = await genProcess(liveArgs(l)).done;
      expect(second.code, second.err).toBe(3);
      expect(second.err).toBe(
        `gen: another gen process is loading schema "${l}"; gen live plays a schema alone\n`,
      );
      // and a --reset of it, as busy, before anything is said
      const reset = await genProcess(args(l, '--reset')).done;
      expect(reset.code, reset.err).toBe(3);
      expect(reset.err).toBe(
        `gen: another gen process is loading schema "${l}"; --reset is refused while it runs\n`,
      );
    } finally {
      playing.child.kill('SIGTERM');
      await playing.done;
    }
    // while another process sets the schema up (a --reset may be replacing the live run), a load does not refuse
    // early what it saw: it waits for the set-up, which decides (here: nothing replaced it, so it refuses then)
    const setter = new pg.Client({ connectionString: url });
    await setter.connect();
    try {
      await setter.query('select pg_advisory_lock($1::bigint)', [lockKey('setup', l)]);
      const waiting = genProcess(args(l));
      // past the early checks it says its header, then waits for the set-up lock (not refused: still running)
      let said = '';
      await new Promise<void>((resolve, reject) => {
        waiting.child.stderr?.on('data', (d: Buffer) => {
          said += d.toString();
          if (said.includes('\n')) resolve();
        });
        void waiting.done.then((r) => reject(new Error(`gen ended before the set-up: ${r.err}`)));
      });
      expect(said).toMatch(/^gen: scenario /);
      await new Promise((r) => setTimeout(r, 600));
      expect(waiting.child.exitCode).toBe(null);
      await setter.query('select pg_advisory_unlock($1::bigint)', [lockKey('setup', l)]);
      const r = await waiting.done;
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(
        /^gen: scenario [^\n]*\ngen: schema "[^"]+" holds this run played by gen live; [^\n]*\n$/,
      );
    } finally {
      await setter.end();
    }
  });
});

const liveArgs = (s: string, ...more: string[]): string[] => [
  'live',
  ...['--scenario', 'black-friday', '--hours', String(HOURS), '--scale', String(SCALE)],
  ...['--db', url, '--schema', s, '--writers', '2', '--quiet', ...more],
];

async function runStarted(s: string): Promise<boolean> {
  const r = await admin()
    .query(`select 1 from ${ident(s)}._gen_run`)
    .catch(() => ({ rowCount: 0 }));
  return (r.rowCount ?? 0) > 0;
}
