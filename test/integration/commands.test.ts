/** gen query, gen bench, gen verify and gen compare, run in-process against the test server. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ident } from '../../src/model/ddl.js';
import { requireQueryable } from '../../src/query/index.js';
import { readJsonReport } from '../../src/report/json.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
const suffix = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'dp-cmd-'));
const s = `cmd_tiny_${suffix}`;
const prefix = `cmdb_${suffix}`;
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const r = await gen([
    '--scenario',
    'tiny',
    '--db',
    url,
    '--schema',
    s,
    '--quiet',
    '--json',
    join(dir, 'load.json'),
  ]);
  expect(r.code, r.err).toBe(0);
});

afterAll(async () => {
  const all = await client.query<{ nspname: string }>(
    'select nspname from pg_namespace where nspname = $1 or nspname like $2',
    [s, `${prefix}%`],
  );
  for (const row of all.rows) await client.query(`DROP SCHEMA IF EXISTS ${ident(row.nspname)} CASCADE`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('gen --json', () => {
  it('writes a report that validates against its schema, with the load and the server settings', async () => {
    const report = await readJsonReport(join(dir, 'load.json'));
    expect(report.scenario).toMatchObject({ name: 'tiny', seed: 42, hours: 3 });
    expect(report.load?.rows).toBeGreaterThan(4000);
    expect(report.load?.chunks).toBe(51);
    expect(report.server?.settings).toHaveProperty('shared_buffers');
    const password = new URL(url).password;
    if (password) expect(readFileSync(join(dir, 'load.json'), 'utf8')).not.toContain(password);
  });
});

describe('gen query', () => {
  it('proves pruning, runs the clients, and writes JSON and HTML', async () => {
    const json = join(dir, 'query.json');
    const html = join(dir, 'query.html');
    const r = await gen([
      'query',
      '--db',
      url,
      '--schema',
      s,
      '--clients',
      '2',
      '--count',
      '70',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/shop-orders-hour\s+1\/1\/3/);
    const report = await readJsonReport(json);
    expect(report.queries?.queries).toHaveLength(7);
    expect(report.queries?.queries.every((q) => q.literal.ok && q.generic.ok && q.count === 10)).toBe(true);
    expect(report.scenario.name).toBe('tiny');
    expect(readFileSync(html, 'utf8')).toMatch(/data-testid="chart-latency"/);
  });

  it('refuses a schema gen did not load, and one without rows, in one line before anything else', async () => {
    const r = await gen(['query', '--db', url, '--schema', `nothing_${suffix}`, '--count', '7']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^gen: schema nothing_\w+ has no data-playground tables \(21 of 21 missing[^\n]*\n$/,
    );
    const empty = `${prefix}_empty`;
    const load = await gen(['--scenario', 'tiny', '--hours', '2', '--db', url, '--schema', empty, '--quiet']);
    expect(load.code, load.err).toBe(0);
    // its first partition empty, the next one not: still a schema to query (the first is only looked at first)
    await client.query(`DELETE FROM ONLY ${ident(empty)}.global_entity_p20261127_000000`);
    await expect(requireQueryable(client, empty)).resolves.toBeUndefined();
    await client.query(`TRUNCATE ${ident(empty)}.global_entity`);
    const e = await gen(['query', '--db', url, '--schema', empty, '--count', '7']);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/^gen: schema \w+ has gen's tables but no rows; load a scenario into it first\n$/);
  });
});

describe('gen verify', () => {
  it('finds a loaded schema equal to its scenario, and a changed row', async () => {
    const ok = await gen(['verify', '--scenario', 'tiny', '--db', url, '--schema', s, '--quiet']);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toMatch(/51\/51 chunks \(a table's hour or day each\) match/);
    expect(ok.out).toMatch(/(\d+)\/\1 integrity checks pass/);
    await client.query(
      `update ${ident(s)}.shop_order set total = total + 1 where id = (select id from ${ident(s)}.shop_order limit 1)`,
    );
    const bad = await gen(['verify', '--scenario', 'tiny', '--db', url, '--schema', s, '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/DIFF shop_order_p20261127_\d{6}: same row count, different rows/);
    expect(bad.out).toMatch(/FAIL order-totals: 1 offending rows/);
    const other = await gen([
      'verify',
      '--scenario',
      'tiny',
      '--seed',
      '7',
      '--db',
      url,
      '--schema',
      s,
      '--quiet',
    ]);
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/holds another run/);
  });
});

describe('a scenario file edited after the load', () => {
  it('is told apart in words: described alike, other contents', async () => {
    const edited = join(dir, 'tiny.yaml');
    writeFileSync(
      edited,
      readFileSync('scenarios/tiny.yaml', 'utf8').replace(
        'payment_failure_rate: 0.35',
        'payment_failure_rate: 0.36',
      ),
    );
    const load = await gen(['--scenario', edited, '--db', url, '--schema', s, '--quiet']);
    expect(load.code).toBe(2);
    expect(load.err).toMatch(
      /^gen: schema "[^"]+" holds another run \(scenario tiny, [^)]*\): described as this one, but its scenario or layout file's contents \(or gen's data version\) differ; to replace it add --reset/,
    );
    const v = await gen(['verify', '--scenario', edited, '--db', url, '--schema', s, '--quiet']);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      /^described alike: the scenario or layout file's contents \(or gen's data version\) differ from the load's$/m,
    );
  });
});

describe('gen bench and gen compare', () => {
  it('compares layouts in one table and two runs as ratios', async () => {
    const a = join(dir, 'bench-a.json');
    const r = await gen([
      'bench',
      '--scenario',
      'tiny',
      '--hours',
      '2',
      '--layouts',
      'hourly,daily,none',
      '--db',
      url,
      '--schema-prefix',
      prefix,
      '--duration',
      '0.5',
      '--clients',
      '2',
      '--json',
      a,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^figure\s+hourly\s+daily\s+ratio\s+none\s+ratio/m);
    expect(r.out).toMatch(/shop-revenue-day partitions scanned\s+2\s+1\s+0\.50x\s+1\s+0\.50x/);
    // of how many: the unpartitioned table's 1 is the whole table
    expect(r.out).toMatch(/shop-orders-hour partitions scanned\s+1\s+1\s+1\.00x\s+1\s+1\.00x/);
    expect(r.out).toMatch(/shop-orders-hour partitions in its tables\s+2\s+1\s+0\.50x\s+1\s+0\.50x/);
    const report = await readJsonReport(a);
    // a query run's report against this bench's: no part in common, refused in one line
    const queriesOnly = join(dir, 'queries-only.json');
    const { layouts, ...rest } = report;
    writeFileSync(queriesOnly, JSON.stringify({ ...rest, queries: layouts?.[0]?.queries }));
    const kinds = await gen(['compare', a, queriesOnly]);
    expect(kinds.code).toBe(2);
    expect(kinds.err).toMatch(
      /^gen: \S+ holds layouts side by side \(gen bench\), \S+ holds queries \(gen query\): nothing to compare; expected two reports of the same kind of run\n$/,
    );
    expect(report.layouts?.map((l) => l.layout)).toEqual(['hourly', 'daily', 'none']);
    const c = await gen(['compare', a, a, '--all']);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/1\.00/);
    const broken = join(dir, 'broken.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(broken, '{"tool": 1}'));
    const e = await gen(['compare', a, broken]);
    expect(e.code).toBe(2);
    expect(e.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('gen query --with-load (mixed mode)', () => {
  it('loads a scenario into <schema>_mixed_load while the queries run', async () => {
    const json = join(dir, 'mixed.json');
    const r = await gen([
      'query',
      '--db',
      url,
      '--schema',
      s,
      '--clients',
      '2',
      '--duration',
      '1',
      '--with-load',
      '--scenario',
      'tiny',
      '--json',
      json,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/meanwhile loaded [\d,]+ rows into cmd_tiny_\w+_mixed_load/);
    const report = await readJsonReport(json);
    expect(report.load?.rows).toBeGreaterThan(4000);
    expect(report.queries?.errors).toBe(0);
    await client.query(`DROP SCHEMA IF EXISTS ${ident(`${s}_mixed_load`)} CASCADE`);
  });
});

describe('a role that may not create schemas', () => {
  it('gets one line saying what to grant, and nothing is written', async () => {
    const role = `dp_nocreate_${suffix}`;
    await client.query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD 'pw-${suffix}'`);
    await client.query(
      `REVOKE CREATE ON DATABASE ${ident(new URL(url).pathname.slice(1) || 'postgres')} FROM PUBLIC`,
    );
    try {
      const u = new URL(url);
      u.username = role;
      u.password = `pw-${suffix}`;
      const target = `noperm_${suffix}`;
      const r = await gen(['--scenario', 'tiny', '--db', u.toString(), '--schema', target, '--quiet']);
      expect(r.code).toBe(3);
      const last = r.err.trim().split('\n').at(-1);
      expect(last).toMatch(/cannot create schema "noperm_\w+".*grant the role CREATE/);
      expect(r.err).not.toContain(`pw-${suffix}`);
      const exists = await client.query('select 1 from pg_namespace where nspname = $1', [target]);
      expect(exists.rowCount).toBe(0);
    } finally {
      await client.query(`DROP ROLE IF EXISTS ${ident(role)}`);
    }
  });
});
