/**
 * traffic-5xx-load on hand-made hours: it fails a window whose busy hours answer fewer 5xx than its quiet ones,
 * and judges only what can be judged: a day or more, a load rhythm of LOAD_SPREAD or more, MIN_5XX 5xx or more.
 * (The loads of load.test are 3 hours: the check never judges them; small populations made it fail on noise.)
 * The table holds the two columns the check reads.
 */

import { beforeAll, expect, inject, it } from 'vitest';
import { ident, qualified } from '../../src/model/ddl.js';
import { checkContext } from '../../src/verify/check.js';
import { LOAD_SPREAD, MIN_5XX, TRAFFIC } from '../../src/verify/checks/traffic.js';
import { scratchSchemas } from './scratch.js';

const scratch = scratchSchemas(inject('databaseUrl'), 'it_5xx');
const schema = scratch.schema('log');
const START = Date.UTC(2026, 10, 27);
const check = TRAFFIC.find((c) => c.name === 'traffic-5xx-load');

beforeAll(async () => {
  await scratch.admin().query(`CREATE SCHEMA ${ident(schema)}`);
  await scratch
    .admin()
    .query(
      `CREATE TABLE ${qualified(schema, 'request_response_log')} (event_time timestamptz, status_code int)`,
    );
});

interface Day {
  hours?: number;
  /** requests an hour in the quietest quarter of the hours, and its 5xx */
  quiet: [number, number];
  /** requests an hour in the busiest quarter, and its 5xx; the hours between have the mean, no 5xx */
  busy: [number, number];
}

/** The rows the check returns for a window of such hours. */
async function offending({ hours = 24, quiet, busy }: Day): Promise<unknown[]> {
  const T = qualified(schema, 'request_response_log');
  await scratch.admin().query(`TRUNCATE ${T}`);
  const quarter = Math.floor(hours / 4);
  const mid = Math.round((quiet[0] + busy[0]) / 2);
  const rows = Array.from({ length: hours }, (_, h) =>
    h < quarter ? quiet : h >= hours - quarter ? busy : ([mid, 0] as [number, number]),
  );
  await scratch.admin().query(
    `INSERT INTO ${T}
     SELECT $1::timestamptz + v.h * interval '1 hour' + i * interval '100 ms', CASE WHEN i <= v.e THEN 503 ELSE 200 END
     FROM unnest($2::int[], $3::int[], $4::int[]) AS v(h, n, e), generate_series(1, v.n) AS i`,
    [new Date(START).toISOString(), rows.map((_, h) => h), rows.map((r) => r[0]), rows.map((r) => r[1])],
  );
  if (!check) throw new Error('no traffic-5xx-load check');
  const res = await scratch.admin().query(check.sql(checkContext(schema, { start: START, hours })));
  return res.rows;
}

it('fails a day whose busy hours answer a smaller share of 5xx than its quiet hours', async () => {
  // 6 busy hours of 4,000 requests (0.1% 5xx) against 6 quiet ones of 1,000 (1%)
  expect(await offending({ quiet: [1_000, 10], busy: [4_000, 4] })).toHaveLength(1);
  // equal shares fail too: load shows no effect
  expect(await offending({ quiet: [1_000, 10], busy: [4_000, 40] })).toHaveLength(1);
  expect(await offending({ quiet: [1_000, 10], busy: [4_000, 41] })).toEqual([]);
});

it('judges only a day or more, with a load rhythm and enough 5xx to compare', async () => {
  // a rhythm just under LOAD_SPREAD: small populations reach it from clumping alone
  const under = Math.floor(1_000 * LOAD_SPREAD) - 50;
  expect(await offending({ quiet: [1_000, 10], busy: [under, 4] })).toEqual([]);
  expect(await offending({ quiet: [1_000, 10], busy: [under + 100, 4] })).toHaveLength(1);
  // fewer than MIN_5XX 5xx in the two quarters (6 hours each), then enough
  expect(await offending({ quiet: [1_000, Math.floor((MIN_5XX - 1) / 6)], busy: [4_000, 0] })).toEqual([]);
  expect(await offending({ quiet: [1_000, Math.ceil(MIN_5XX / 6)], busy: [4_000, 0] })).toHaveLength(1);
  // 23 hours (a rhythm and 5xx that a day fails)
  expect(await offending({ hours: 23, quiet: [1_000, 10], busy: [8_000, 4] })).toEqual([]);
  expect(await offending({ hours: 24, quiet: [1_000, 10], busy: [8_000, 4] })).toHaveLength(1);
});
