/**
 * Interruptions provoked for real — Ctrl-C, kill -9, connections terminated by the server, the server
 * restarted mid-load — then the same load again, and the database compared chunk by chunk (ledger, counts,
 * checksums) with what the scenario generates: nothing lost, nothing duplicated.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureEmbedded, stopEmbedded } from '../../src/db/embedded/index.js';
import { buildPlan, listChunks, type Plan } from '../../src/generate/index.js';
import { LoadAborted, runLoad } from '../../src/load/index.js';
import { EARLY_STOP } from '../../src/malloc-restart.js';
import { runWorkload } from '../../src/query/index.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { verifyChunks } from '../../src/verify/index.js';
import { genProcess, scratchSchemas } from './scratch.js';

const url = inject('databaseUrl');
const { admin: adminClient, schema, committedChunks, waitForChunks } = scratchSchemas(url, 'rel');
// big enough to interrupt in the middle (96 chunks, 345,712 rows), small enough for CI
const BF_HOURS = 6;
/** black-friday's population is sized for 72 hours of buyers: a sixth of it keeps these loads quick */
const BF_SCALE = 0.15;
/** the gen command line of the black-friday load into schema s */
const bfArgs = (s: string, ...more: string[]): string[] => [
  '--scenario',
  'black-friday',
  '--hours',
  String(BF_HOURS),
  '--scale',
  String(BF_SCALE),
  '--db',
  url,
  '--schema',
  s,
  ...more,
];
let plan: Plan;

async function expectComplete(u: string, s: string, p: Plan = plan): Promise<void> {
  const verdicts = await verifyChunks({ url: u, schema: s, plan: p, chunks: listChunks(p), jobs: 2 });
  const bad = verdicts.filter((v) => !v.ok);
  expect(bad.map((v) => `${v.partition}: ${v.problem}`)).toEqual([]);
  expect(verdicts).toHaveLength(listChunks(p).length);
}

/** our backends on the test server, apart from the admin connection */
async function backends(): Promise<number> {
  const r = await adminClient().query<{ n: string }>(
    `select count(*) n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()
     and datname = current_database()`,
  );
  return Number(r.rows[0]?.n);
}

describe('Ctrl-C while gen starts', () => {
  /** bin/gen.js itself (built: dist), as a user starts it, SIGINT `ms` after it was spawned */
  async function interruptAfter(ms: number, s: string): Promise<{ code: number | null; err: string }> {
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=4',
        '--expose-gc',
        'bin/gen.js',
        '--scenario',
        'tiny',
        '--db',
        url,
        '--schema',
        s,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await sleep(ms);
    child.kill('SIGINT');
    return { code: await done, err };
  }

  it('says it stopped before it started, exit 130, nothing written', async () => {
    const s = schema('early');
    const seen: string[] = [];
    // its modules load for a few hundred ms: one of these lands in that time on any machine of ours (before it,
    // node itself has not started bin/gen.js and dies by the signal, silent; after it, the CLI's own stop)
    for (const ms of [150, 250, 400, 600, 900]) {
      const r = await interruptAfter(ms, s);
      const line = r.err.trim().split('\n').at(-1) ?? '';
      seen.push(`${ms} ms: ${r.code} ${line}`);
      if (r.code === null) continue;
      expect(r.code, r.err).toBe(130);
      if (line === EARLY_STOP) break;
    }
    expect(
      seen.some((x) => x.endsWith(EARLY_STOP)),
      seen.join('; '),
    ).toBe(true);
    const ns = await adminClient().query('select 1 from pg_namespace where nspname = $1', [s]);
    expect(ns.rowCount).toBe(0);
  });
});

describe('a chunk that fails for good', () => {
  it('ends with one line naming the chunk and how many chunks are committed', async () => {
    const s = schema('fails');
    const args = [
      '--scenario',
      'tiny',
      '--hours',
      '1',
      '--db',
      url,
      '--schema',
      s,
      '--no-analyze',
      '--quiet',
    ];
    const first = await genProcess(args).done;
    expect(first.code, first.err).toBe(0);
    // one chunk to load again, into a partition that refuses every row: the server's error, not a lost connection
    const leaf = `${pg.escapeIdentifier(s)}.shop_order_p20261127_000000`;
    await adminClient().query(
      `delete from ${pg.escapeIdentifier(s)}._gen_ledger where partition = 'shop_order_p20261127_000000'`,
    );
    await adminClient().query(`update ${pg.escapeIdentifier(s)}._gen_run set finished_at = null`);
    // as a chunk never committed: its rows not there either
    await adminClient().query(`truncate ${leaf}`);
    await adminClient().query(`alter table ${leaf} add constraint no_rows check (false) not valid`);
    const r = await genProcess(args).done;
    expect(r.code).toBe(3);
    expect(r.err.trim().split('\n').at(-1)).toMatch(
      /^gen: loading shop_order_p20261127_000000 failed: .* \(SQLSTATE 23514\) \(20 of 21 chunks are committed; once this is fixed, the same command continues from there\)$/,
    );
    // and it does: the constraint gone, the same command loads the one chunk left
    await adminClient().query(`alter table ${leaf} drop constraint no_rows`);
    const again = await genProcess(args).done;
    expect(again.code, again.err).toBe(0);
    const { rows } = await adminClient().query(`select count(*)::int as n from ${leaf}`);
    expect(rows[0].n).toBeGreaterThan(0);
  });
});

beforeAll(() => {
  plan = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: BF_HOURS, scale: BF_SCALE }));
});

describe('interrupted loads resume to exactly the scenario', () => {
  it('an aborted load (Ctrl-C in-process) keeps what it committed; the re-run loads the rest', async () => {
    const s = schema('abort');
    const ac = new AbortController();
    const load = runLoad({ plan, target: { kind: 'db', url, schema: s }, jobs: 2, signal: ac.signal });
    await waitForChunks(s, 10);
    ac.abort();
    const err = await load.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadAborted);
    const committed = await committedChunks(s);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(listChunks(plan).length);
    const again = await runLoad({ plan, target: { kind: 'db', url, schema: s }, jobs: 2 });
    expect(again.skipped).toBe(committed);
    await expectComplete(url, s);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s on the gen process: exit code %i, says what was committed, the same command finishes it',
    async (sig, exit) => {
      const s = schema(sig.toLowerCase());
      const args = bfArgs(s);
      const p = genProcess(args);
      await waitForChunks(s, 10);
      p.child.kill(sig);
      const r = await p.done;
      expect(r.code, r.err).toBe(exit);
      expect(r.err).toMatch(/stopped: \d+ of \d+ chunks are committed/);
      const second = await genProcess(args).done;
      expect(second.code, second.err).toBe(0);
      expect(second.out).toMatch(/resumed: \d+ of \d+ chunks were already loaded/);
      await expectComplete(url, s);
      const third = await genProcess(args).done;
      expect(third.out).toMatch(/nothing to do: all \d+ chunks/);
    },
  );

  it('kill -9 of the gen process mid-load: the re-run loads exactly the missing chunks', async () => {
    const s = schema('kill9');
    const args = bfArgs(s, '--quiet');
    const p = genProcess(args);
    await waitForChunks(s, 10);
    p.child.kill('SIGKILL');
    const r = await p.done;
    expect(r.signal).toBe('SIGKILL');
    const second = await genProcess(args).done;
    expect(second.code, second.err).toBe(0);
    await expectComplete(url, s);
  });

  it('connections terminated by the server (pg_terminate_backend): chunks are retried, nothing is lost', async () => {
    const s = schema('terminate');
    const retries: string[] = [];
    const load = runLoad({
      plan,
      target: { kind: 'db', url, schema: s },
      jobs: 2,
      onRetry: (partition) => retries.push(partition),
    });
    await waitForChunks(s, 10);
    let killed = 0;
    for (let i = 0; i < 3; i++) {
      const r = await adminClient().query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where backend_type = 'client backend' and pid <> pg_backend_pid() and query ilike 'copy %'`,
      );
      killed += r.rowCount ?? 0;
      await new Promise((res) => setTimeout(res, 300));
    }
    await load;
    expect(killed).toBeGreaterThan(0);
    expect(retries.length).toBeGreaterThan(0);
    await expectComplete(url, s);
  });
});

describe('the server restarted mid-load', () => {
  const home = mkdtempSync(join(tmpdir(), 'dp-restart-'));
  afterAll(async () => {
    await stopEmbedded({ home }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  it('retries across the restart, or the re-run completes it; the content is exactly the scenario', async () => {
    const port = 56000 + Math.floor(Math.random() * 2000);
    const server = await ensureEmbedded({ home, port });
    const s = 'restart';
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const load = runLoad({ plan, target: { kind: 'db', url: server.url, schema: s }, jobs: 2 }).then(
      () => 'finished',
      (e: unknown) => `failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    for (;;) {
      const r = await c.query<{ n: string }>('select count(*) n from restart._gen_ledger').catch(() => null);
      if (r && Number(r.rows[0]?.n) >= 10) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await c.end();
    expect(await stopEmbedded({ home })).toBe(true);
    await ensureEmbedded({ home, port });
    const outcome = await load;
    // either the retries bridged the restart, or the failure names the chunk; a re-run completes it
    if (outcome !== 'finished') expect(outcome).toMatch(/failed: loading \S+_p\d{8}/);
    await runLoad({ plan, target: { kind: 'db', url: server.url, schema: s }, jobs: 2 });
    await expectComplete(server.url, s);
  });
});

describe('under load', () => {
  it('a load at --jobs 4 while 8 query clients run: everything in place, no connection leaked', async () => {
    const before = await backends();
    const queried = schema('soak_q');
    const tiny = buildPlan(applyOverrides(loadScenario('tiny'), {}));
    await runLoad({ plan: tiny, target: { kind: 'db', url, schema: queried }, jobs: 2 });
    const s = schema('soak');
    const smaller = buildPlan(applyOverrides(loadScenario('black-friday'), { hours: 3, scale: BF_SCALE }));
    const [, queries] = await Promise.all([
      runLoad({ plan: smaller, target: { kind: 'db', url, schema: s }, jobs: 4 }),
      runWorkload({ url, schema: queried, clients: 8, durationMs: 4000, seed: 1 }),
    ]);
    expect(queries.errors).toBe(0);
    expect(queries.queries.every((q) => q.count > 0)).toBe(true);
    await expectComplete(url, s, smaller);
    // pools and clients closed: back to the connections there were before
    for (let i = 0; i < 50 && (await backends()) > before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await backends()).toBe(before);
  });
});
