/** exceptBoth, the multiset difference both ways that most checks are: what EXCEPT ALL both ways returns. */
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { exceptBoth } from '../../src/verify/index.js';

const url = inject('databaseUrl');
let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(() => db.end());

it('gives each surplus copy of a row on its side, NULLs equal, columns named as given', async () => {
  const sql = exceptBoth(
    ['k', 'v'],
    `VALUES (1, 'a'), (1, 'a'), (2, NULL), (3, 'c'), (5, 'e')`,
    `SELECT * FROM (VALUES (1, 'a'), (2, NULL), (4, 'd'), (4, 'd'), (5, 'e')) t(other, names)`,
  );
  const r = await db.query<{ side: string; k: number; v: string | null }>(sql);
  expect(r.rows).toEqual([
    { side: 'expected, not loaded', k: 1, v: 'a' },
    { side: 'expected, not loaded', k: 3, v: 'c' },
    { side: 'loaded, not expected', k: 4, v: 'd' },
    { side: 'loaded, not expected', k: 4, v: 'd' },
  ]);
  // the same as the two EXCEPT ALLs it replaces
  const both = await db.query<{ n: string }>(
    `SELECT count(*) n FROM ((VALUES (1, 'a'), (1, 'a'), (2, NULL), (3, 'c'), (5, 'e'))
       EXCEPT ALL (VALUES (1, 'a'), (2, NULL), (4, 'd'), (4, 'd'), (5, 'e'))) x`,
  );
  expect(Number(both.rows[0]?.n)).toBe(2);
});
