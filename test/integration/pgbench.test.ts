/**
 * gen query --pgbench DIR on loaded `tiny` data: the scripts and run.sh are written; pgbench runs each script
 * once against the same database, and every branch (every drawn parameter set) returns rows; a directory
 * holding a file that is not ours is refused with nothing written.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findPgbench } from '../../bench/pgbench.js';
import { buildPlan } from '../../src/generate/index.js';
import { runLoad } from '../../src/load/run.js';
import { ident } from '../../src/model/ddl.js';
import { PGBENCH_MARK } from '../../src/query/pgbench.js';
import { loadSuite } from '../../src/query/suite.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
const SCHEMA = `it_pgbench_${randomBytes(3).toString('hex')}`;

// pgbench ships in Debian's server package (postgresql-NN), not in postgresql-client. .ci/run installs it: under
// CI a missing pgbench is a failure, never a quiet skip.
const pgbench = findPgbench();
const skipPgbench = pgbench === undefined && !process.env.CI;
if (skipPgbench)
  console.warn('pgbench: running the scripts is skipped: install pgbench (apt-get install postgresql-15)');

let client: pg.Client;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dp-pgbench-'));
  dirs.push(d);
  return d;
};
let dir: string;

beforeAll(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await runLoad({
    plan: buildPlan(applyOverrides(loadScenario('tiny'), {})),
    target: { kind: 'db', url, schema: SCHEMA },
    jobs: 2,
  });
  dir = join(tmp(), 'scripts');
  const r = await gen(['query', '--db', url, '--schema', SCHEMA, '--pgbench', dir, '--rate', '70']);
  expect(r.code, r.err).toBe(0);
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
  await client.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const scripts = (): string[] => loadSuite().map((q) => `${q.name}.sql`);

describe('gen query --pgbench', () => {
  it('writes one script per query and run.sh, each marked as ours', () => {
    expect(readdirSync(dir).sort()).toEqual([...scripts(), 'run.sh'].sort());
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).toContain(PGBENCH_MARK);
    const runSh = readFileSync(join(dir, 'run.sh'), 'utf8');
    expect(runSh).toMatch(/exec pgbench -n -M extended -c 4 -j 1 -T 10 -R 70 -l --log-prefix=pgbench_log /);
    for (const f of scripts()) expect(runSh).toContain(`-f ${f}@1`);
  });

  it.skipIf(skipPgbench)('pgbench runs each script once, and every parameter set returns rows', () => {
    if (pgbench === undefined)
      throw new Error('pgbench is missing (CI is set): apt-get install postgresql-15');
    const check = tmp();
    for (const f of scripts()) {
      const file = join(dir, f);
      const once = spawnSync(pgbench, ['-n', '-M', 'extended', '-t', '1', '-f', file, url], {
        encoding: 'utf8',
      });
      expect(once.status, `${f}: ${once.stderr}`).toBe(0);
      expect(once.stdout).toMatch(/number of transactions actually processed: 1\/1/);
      // Rows: every branch's statement, wrapped so that no rows is a division by zero, in one transaction
      const text = readFileSync(file, 'utf8');
      const sets = Number(/\\set i random\(0, (\d+)\)/.exec(text)?.[1]) + 1;
      const statements = [...text.matchAll(/\\(?:if|elif) :i = \d+\n([^\\]*?);\n/g)].map((m) => m[1]);
      expect(statements.length).toBe(sets);
      const checkFile = join(check, f);
      writeFileSync(
        checkFile,
        statements.map((sql) => `SELECT 1 / (SELECT count(*) FROM (${sql}) AS q)::int;\n`).join(''),
      );
      const rows = spawnSync(pgbench, ['-n', '-t', '1', '-f', checkFile, url], { encoding: 'utf8' });
      expect(rows.status, `${f}: a parameter set returned no rows or failed: ${rows.stderr}`).toBe(0);
    }
  });

  it('refuses a directory holding a file it did not write, and writes nothing', async () => {
    const d = tmp();
    writeFileSync(join(d, 'entity-type.sql'), 'SELECT 1;\n');
    const r = await gen(['query', '--db', url, '--schema', SCHEMA, '--pgbench', d]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--pgbench: .*entity-type\.sql already exist and were not written by gen query --pgbench/,
    );
    expect(readdirSync(d)).toEqual(['entity-type.sql']);
    expect(readFileSync(join(d, 'entity-type.sql'), 'utf8')).toBe('SELECT 1;\n');
    // a file, not a directory
    const f = join(d, 'entity-type.sql');
    expect((await gen(['query', '--db', url, '--schema', SCHEMA, '--pgbench', f])).code).toBe(2);
    // its own files it overwrites
    expect((await gen(['query', '--db', url, '--schema', SCHEMA, '--pgbench', dir])).code).toBe(0);
  });
});
