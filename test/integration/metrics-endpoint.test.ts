/**
 * --metrics-port (issue 7 §2): the endpoint scraped over HTTP in both formats, and scraped while `gen` loads.
 * No mocks: a real HTTP server on 127.0.0.1 and, for the load, the real server of the test run.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli.js';
import { UserError } from '../../src/errors.js';
import { ident } from '../../src/model/ddl.js';
import { TABLES } from '../../src/model/tables.js';
import { serveMetrics } from '../../src/report/metrics-endpoint.js';
import { type Exposition, parseExposition, sampleValue } from '../unit/exposition.js';

const url = inject('databaseUrl');
const schema = `metrics_${randomBytes(3).toString('hex')}`;

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${ident(`${schema}_taken`)} CASCADE`);
  await client.end();
});

async function scrape(at: string, accept?: string): Promise<{ type: string; text: string }> {
  const res = await fetch(at, accept === undefined ? {} : { headers: { accept } });
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('serveMetrics', () => {
  it('serves what was recorded as Prometheus text and as OpenMetrics, on a free port', async () => {
    const server = await serveMetrics(0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(server.url).not.toMatch(/:0\//);
      const m = server.metrics;
      m.transaction('checkout', 4, false);
      m.transaction('checkout', 2000, true);
      m.error('payment', 'no_partition');
      m.rows('shop_order', 5);
      m.rows('shop_order', 7);
      m.maintenance('drop', 3, 1);
      m.scenarioClock(Date.UTC(2026, 10, 27, 3));

      const text = await scrape(server.url);
      expect(text.type).toMatch(/^text\/plain; version=0\.0\.4/);
      const p = parseExposition(text.text);
      expect(p.types.get('gen_transactions_total')).toBe('counter');
      expect(sampleValue(p, 'gen_transactions_total', { type: 'checkout' })).toBe(2);
      expect(sampleValue(p, 'gen_transactions_late_total', { type: 'checkout' })).toBe(1);
      expect(
        sampleValue(p, 'gen_transaction_latency_seconds_bucket', { type: 'checkout', le: '0.005' }),
      ).toBe(1);
      expect(sampleValue(p, 'gen_errors_total', { type: 'payment', kind: 'no_partition' })).toBe(1);
      expect(sampleValue(p, 'gen_rows_total', { table: 'shop_order' })).toBe(12);
      expect(sampleValue(p, 'gen_maintenance_seconds_count', { op: 'drop' })).toBe(1);
      expect(sampleValue(p, 'gen_scenario_time_seconds')).toBe(Date.UTC(2026, 10, 27, 3) / 1000);
      // prom-client's process metrics come along
      expect(sampleValue(p, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

      // what Prometheus 2 and 3 send
      const om = await scrape(
        server.url,
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      );
      expect(om.type).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      expect(om.text.endsWith('# EOF\n')).toBe(true);
      const o = parseExposition(om.text);
      expect(o.types.get('gen_transactions')).toBe('counter');
      expect(sampleValue(o, 'gen_transactions_total', { type: 'checkout' })).toBe(2);
      expect(sampleValue(o, 'gen_rows_total', { table: 'shop_order' })).toBe(12);

      expect((await fetch(new URL('/', server.url))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);

      // the port is taken: one line naming the flag
      const port = Number(new URL(server.url).port);
      await expect(serveMetrics(port)).rejects.toThrow(UserError);
      await expect(serveMetrics(port)).rejects.toThrow(
        /^--metrics-port: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE/,
      );
      await expect(serveMetrics(70_000)).rejects.toThrow(
        /^--metrics-port: 70000 is not allowed; expected a port/,
      );
      // and gen, gen live: that line alone (it came after the run's header), exit 2
      for (const live of [[], ['live', '--speed', '1000000']]) {
        const stderr = new LineSink(() => undefined);
        const argv = ['--scenario', 'tiny', '--hours', '1', '--db', url, '--schema', `${schema}_taken`];
        const code = await main([...live, ...argv, '--metrics-port', String(port)], {
          stdout: new LineSink(() => undefined),
          stderr,
          env: {},
        });
        expect([live[0], code]).toEqual([live[0], 2]);
        expect(stderr.text).toMatch(
          /^gen: --metrics-port: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE[^\n]*\n$/,
        );
      }
    } finally {
      await server.close();
    }
    // closed means closed, also for a connection the scraper kept alive
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

/** stderr of an in-process run that tells the test each line as it is written */
class LineSink extends Writable {
  text = '';
  constructor(private readonly onLine: (line: string) => void) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    const s = chunk.toString();
    this.text += s;
    for (const line of s.split('\n')) this.onLine(line);
    cb();
  }
}

describe('gen --metrics-port', () => {
  it('can be scraped while the load runs: rows per table and the scenario clock', async () => {
    let endpoint: string | undefined;
    const stderr = new LineSink((line) => {
      endpoint ??= /^gen: metrics at (\S+)$/.exec(line)?.[1];
    });
    const stdout = new LineSink(() => undefined);
    let finished = false;
    // --jobs 1: 51 chunks, each its own COPY and commit, one after the other
    const run = main(
      [
        '--scenario',
        'tiny',
        '--db',
        url,
        '--schema',
        schema,
        '--jobs',
        '1',
        '--quiet',
        '--metrics-port',
        '0',
      ],
      { stdout, stderr, env: {} },
    ).finally(() => {
      finished = true;
    });
    const scrapes: Exposition[] = [];
    while (!finished) {
      if (endpoint !== undefined) {
        try {
          scrapes.push(parseExposition((await scrape(endpoint)).text));
        } catch (e) {
          if (!finished) throw e; // refused after the run closed it: expected; before: a failure
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await run, stderr.text).toBe(0);
    expect(endpoint, stderr.text).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const rowsSeen = (e: Exposition): number =>
      e.samples.filter((s) => s.name === 'gen_rows_total').reduce((a, s) => a + s.value, 0);
    // some scrape saw rows committed and the scenario clock inside tiny's window, before the load ended
    const during = scrapes.filter((e) => rowsSeen(e) > 0);
    expect(during.length, `${scrapes.length} scrapes`).toBeGreaterThan(0);
    const last = during.at(-1);
    if (last === undefined) throw new Error('unreachable');
    expect(sampleValue(last, 'gen_scenario_time_seconds')).toBeGreaterThanOrEqual(
      Date.UTC(2026, 10, 27) / 1000,
    );
    expect(sampleValue(last, 'gen_scenario_time_seconds')).toBeLessThan(Date.UTC(2026, 10, 27, 3) / 1000);
    // the counts only grow, never past what the load committed (tiny: 5,899 rows), and name real tables
    expect(scrapes.map(rowsSeen)).toEqual(scrapes.map(rowsSeen).sort((a, b) => a - b));
    expect(rowsSeen(last)).toBeLessThanOrEqual(5899);
    const names = new Set<string>(TABLES.map((t) => t.name));
    for (const s of last.samples.filter((x) => x.name === 'gen_rows_total')) {
      expect(names.has(s.labels.table ?? '')).toBe(true);
    }
    // closed when the command returned
    await expect(fetch(endpoint ?? '')).rejects.toThrow();
  });
});
