/**
 * The command line, run in-process against the real server of the test run: --out files, determinism
 * across --jobs, loading, and bad input (one line, exit code 2, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPlan, listChunks } from '../../src/generate/index.js';
import { LoadAborted, runLoad } from '../../src/load/index.js';
import { ident, qualified } from '../../src/model/ddl.js';
import { TABLES } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
/** a file, where a report's folder would be */
const thisFile = fileURLToPath(import.meta.url);

// Users load --out files with psql; a fresh machine may not have it. .ci/run installs it: under CI a missing
// psql is a failure, never a quiet skip.
const hasPsql = spawnSync('psql', ['--version']).status === 0;
const skipPsql = !hasPsql && !process.env.CI;
if (skipPsql)
  console.warn('cli: the psql \\copy test is skipped: install psql (apt-get install postgresql-client)');

const digest = (dir: string): Map<string, string> =>
  new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );

const suffix = randomBytes(3).toString('hex');
const schemas: string[] = [];
let client: pg.Client;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dp-cli-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${ident(s)} CASCADE`);
  await client.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function schemaExists(s: string): Promise<boolean> {
  const r = await client.query('select 1 from pg_namespace where nspname = $1', [s]);
  return r.rowCount === 1;
}

describe('gen --out', () => {
  it('writes one CSV per leaf partition, byte-identical for --jobs 1 and --jobs 4', async () => {
    const a = tmp();
    const b = tmp();
    expect((await gen(['--scenario', 'tiny', '--out', a, '--jobs', '1', '--quiet'])).code).toBe(0);
    expect((await gen(['--scenario', 'tiny', '--out', b, '--jobs', '4', '--quiet'])).code).toBe(0);
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));
    const expected = listChunks(plan)
      .map((c) => `${c.partition.name}.csv`)
      .sort();
    expect([...digest(a).keys()]).toEqual(expected);
    expect(digest(b)).toEqual(digest(a));
    const first = readFileSync(join(a, 'shop_order_p20261127_010000.csv'), 'utf8').split('\n')[0];
    expect(first).toBe(
      TABLES.find((t) => t.name === 'shop_order')
        ?.columns.map((c) => c.name)
        .join(','),
    );
  });

  it('a stopped run leaves whole files only: a file not finished is not there under its name', async () => {
    const whole = tmp();
    const stopped = tmp();
    const plan = buildPlan(applyOverrides(loadScenario('tiny'), {}));
    await runLoad({ plan, target: { kind: 'dir', dir: whole }, jobs: 1 });
    // stopped while it writes (each chunk a few buffers): one file whole at least, not all
    const ac = new AbortController();
    const load = runLoad({ plan, target: { kind: 'dir', dir: stopped }, jobs: 1, signal: ac.signal });
    const done = load.then(
      () => 'finished',
      (e: unknown) => e,
    );
    while (!readdirSync(stopped).some((f) => f.endsWith('.csv'))) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    expect(await done).toBeInstanceOf(LoadAborted);
    const left = digest(stopped);
    const all = digest(whole);
    expect(left.size).toBeGreaterThan(0);
    expect(left.size).toBeLessThan(all.size);
    // nothing but whole files, each as the finished run wrote it
    for (const [f, h] of left) expect([f, h]).toEqual([f, all.get(f)]);
  });

  it("a chunk's file that cannot be written: one line naming it, a non-zero exit, the process still up", async () => {
    const dir = tmp();
    // a directory where the file goes: opening it fails (EISDIR), as a full disk or a read-only mount would
    mkdirSync(join(dir, 'shop_p20261127_000000.csv'));
    const r = await gen(['--scenario', 'tiny', '--out', dir, '--jobs', '1', '--quiet']);
    expect(r.code).not.toBe(0);
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => l.includes('shop_p20261127_000000')),
    ).toEqual([expect.stringMatching(/shop_p20261127_000000.*EISDIR/)]);
  });

  it('reports go into folders made for them, written whole', async () => {
    const dir = tmp();
    const html = join(dir, 'reports', 'new', 'run.html');
    const json = join(dir, 'reports', 'run.json');
    const r = await gen([
      '--scenario',
      'tiny',
      '--out',
      join(dir, 'csv'),
      '--html',
      html,
      '--json',
      json,
      '--quiet',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(readFileSync(json, 'utf8')).load.rows).toBeGreaterThan(0);
    // no temporary file left beside them
    expect(readdirSync(join(dir, 'reports')).sort()).toEqual(['new', 'run.json']);
    expect(readdirSync(join(dir, 'reports', 'new'))).toEqual(['run.html']);
  });

  it("a folder holding another run's files is refused (a load of it would mix them); this run's are written again", async () => {
    const dir = tmp();
    expect((await gen(['--scenario', 'tiny', '--hours', '4', '--out', dir, '--quiet'])).code).toBe(0);
    const before = digest(dir);
    const shorter = await gen(['--scenario', 'tiny', '--out', dir, '--quiet']);
    expect(shorter.code).toBe(2);
    expect(shorter.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^gen: --out: ".*" holds 15 CSV files that this run does not write \(such as global_entity_p20261127_030000\.csv\)/,
      ),
    ]);
    expect(digest(dir)).toEqual(before);
    expect((await gen(['--scenario', 'tiny', '--hours', '4', '--out', dir, '--quiet'])).code).toBe(0);
    expect(digest(dir)).toEqual(before);
    // a file where the folder should be: one line, before anything is generated
    const file = join(dir, 'users_p20261127_000000.csv');
    const r = await gen(['--scenario', 'tiny', '--out', file, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^gen: --out: ".*" cannot be written \(it is a file\)/),
    ]);
  });

  it.skipIf(skipPsql)(
    'files load with psql \\copy into their partitions, made by gen sql --partitions',
    async () => {
      const dir = tmp();
      expect((await gen(['--scenario', 'tiny', '--out', dir, '--quiet'])).code).toBe(0);
      const s = `cli_copy_${suffix}`;
      schemas.push(s);
      // the README's way: the tables and the window's partitions from gen sql, then a \copy per file
      const ddl = await gen(['sql', '--partitions', '--scenario', 'tiny', '--schema', s]);
      expect(ddl.code, ddl.err).toBe(0);
      const files = readdirSync(dir);
      const script = files
        .map(
          (f) =>
            `\\copy ${qualified(s, f.slice(0, -4))} FROM '${join(dir, f)}' WITH (FORMAT csv, HEADER true)`,
        )
        .join('\n');
      const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], {
        input: `${ddl.out}\n${script}`,
      });
      expect(r.status, r.stderr.toString()).toBe(0);
      const rows = (f: string): number => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').length - 1;
      for (const t of TABLES) {
        const want = files
          .filter((f) => new RegExp(`^${t.name}_p\\d`).test(f))
          .reduce((n, f) => n + rows(f), 0);
        const got = await client.query<{ n: string }>(`select count(*) n from ${qualified(s, t.name)}`);
        expect([t.name, Number(got.rows[0]?.n)]).toEqual([t.name, want]);
      }
    },
  );
});

describe('gen into a database', () => {
  it('loads tiny, prints a summary, and holds exactly the --out rows', async () => {
    const s = `cli_load_${suffix}`;
    schemas.push(s);
    const r = await gen(['--scenario', 'tiny', '--db', url, '--schema', s, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/total\s+51\s/);
    expect(r.out).toMatch(/rows\/s/);
    const password = new URL(url).password;
    if (password) expect(r.err + r.out).not.toContain(password); // no password in what it prints
    const dir = tmp();
    await gen(['--scenario', 'tiny', '--out', dir, '--quiet']);
    for (const t of TABLES) {
      const want = readdirSync(dir)
        .filter((f) => new RegExp(`^${t.name}_p\\d`).test(f))
        .reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').length - 1, 0);
      const got = await client.query<{ n: string }>(`select count(*) n from ${qualified(s, t.name)}`);
      expect(Number(got.rows[0]?.n), t.name).toBe(want);
    }
  });

  it('moves the window with --start and takes a schema name literally', async () => {
    const s = `cli "odd"; drop table x; -- ${suffix}`;
    schemas.push(s);
    const r = await gen([
      '--scenario',
      'tiny',
      '--hours',
      '1',
      '--start',
      '2027-01-05T10:00:00Z',
      '--db',
      url,
      '--schema',
      s,
      '--quiet',
    ]);
    expect(r.code, r.err).toBe(0);
    const parts = await client.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relkind = 'r' and c.relname ~ '^shop_order_p[0-9]' order by 1`,
      [s],
    );
    expect(parts.rows.map((x) => x.relname)).toEqual(['shop_order_p20270105_100000']);
  });
});

describe('bad input: one line, exit code 2, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['negative hours', ['--hours', '-1'], /--hours/],
    ['zero jobs', ['--jobs', '0'], /--jobs: 0 is not allowed/],
    ['a number that is not', ['--scale', 'lots'], /--scale/],
    ['unknown scenario', ['--scenario', 'cyber-tuesday'], /black-friday.*steady-week.*tiny|known scenarios/],
    ['unknown flag', ['--hourz', '3'], /hourz/],
    ['start not a date', ['--start', 'friday'], /--start/],
    ['missing scenario file', ['--scenario', '/nonexistent/x.yaml'], /x\.yaml/],
    // a report that cannot be written is found out before the load, not after it (tiny: were it found after,
    // the case fails in seconds)
    [
      'a report under a file',
      ['--scenario', 'tiny', '--html', join(thisFile, 'r.html')],
      /--html: .*cli\.test\.ts is not a folder/,
    ],
    ['a report that is a folder', ['--scenario', 'tiny', '--json', tmpdir()], /--json: .*it is a folder/],
    [
      'a report with no name',
      ['--scenario', 'tiny', '--json'],
      /^gen: --json: no value given; expected a value after it$/m,
    ],
    [
      'two reports in one file',
      [
        '--scenario',
        'tiny',
        '--json',
        join(tmpdir(), 'dp-cli-r.out'),
        '--html',
        join(tmpdir(), 'dp-cli-r.out'),
      ],
      /--json and --html: both are/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, pattern) => {
    const s = `cli_bad_${suffix}`;
    const r = await gen([...args, '--db', url, '--schema', s, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(await schemaExists(s)).toBe(false);
  });

  it('gen live and gen verify check their reports first too', async () => {
    const s = `cli_bad_${suffix}`;
    for (const command of ['live', 'verify']) {
      const r = await gen([
        command,
        '--scenario',
        'tiny',
        '--db',
        url,
        '--schema',
        s,
        '--json',
        join(thisFile, 'r.json'),
      ]);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^gen: --json: .* is not a folder/),
      ]);
    }
    expect(await schemaExists(s)).toBe(false);
  });

  it('an unreachable server is one line without the password', async () => {
    const r = await gen(['--scenario', 'tiny', '--db', 'postgres://me:s3cret@127.0.0.1:1/db', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/127\.0\.0\.1:1/);
    expect(r.err).not.toMatch(/s3cret/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
