/**
 * gen bench --live on a real server (issue 7 §2): the same live run of tiny in two layouts, each in its own
 * schema, then one comparison table and the runs in --json. A short window at a high speed: this checks that
 * both layouts played and the table is there, not how fast they are (timings belong to `npm run bench`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ident, qualified } from '../../src/model/ddl.js';
import { readJsonReport } from '../../src/report/json.js';
import { gen } from './run-gen.js';

const url = inject('databaseUrl');
const prefix = `blive_${randomBytes(3).toString('hex')}`;
let admin: pg.Client;
let dir: string;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  dir = await mkdtemp(join(tmpdir(), 'bench-live-'));
});

afterAll(async () => {
  for (const l of ['hourly', 'daily'])
    await admin.query(`DROP SCHEMA IF EXISTS ${ident(`${prefix}_${l}`)} CASCADE`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
});

const orders = async (schema: string): Promise<number> =>
  Number(
    (await admin.query<{ n: string }>(`select count(*) n from ${qualified(schema, 'shop_order')}`)).rows[0]
      ?.n,
  );

describe('gen bench --live', () => {
  it('plays the same window in each layout and prints one comparison table', async () => {
    const json = join(dir, 'bench.json');
    const r = await gen([
      'bench',
      '--live',
      ...['--layouts', 'hourly,daily', '--scenario', 'tiny', '--hours', '1', '--speed', '7200'],
      ...['--writers', '2', '--clients', '1', '--quiet', '--db', url, '--schema-prefix', prefix],
      ...['--json', json],
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`hourly: playing live into ${prefix}_hourly`);
    expect(r.err).toContain(`daily: playing live into ${prefix}_daily`);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(
      /^at --speed 7200 \(2 writers \(2 transactions in flight each\), premake 4 h, dashboards meanwhile\)/,
    );
    expect(lines[1]?.split(/\s+/)).toEqual(['figure', 'hourly', 'daily', 'ratio']);
    expect(r.out).toMatch(/^checkout p99 ms +[\d.,]+ +[\d.,]+ +[\d.]+x$/m);
    expect(r.out).toMatch(/^lag p99 ms +[\d.,]+ +[\d.,]+ /m);
    // partitions are made under load, in both layouts (one hour: one partition per table in either)
    const creates = /^create count +(\d+) +(\d+) /m.exec(r.out);
    expect(Number(creates?.[1])).toBeGreaterThan(0);
    expect(Number(creates?.[2])).toBeGreaterThan(0);
    expect(r.out).toMatch(/^WAL written MB +[\d.,]+ +[\d.,]+ /m);
    expect(r.out).not.toContain('transactions that failed');

    // both schemas hold the same window
    const hourly = await orders(`${prefix}_hourly`);
    expect(hourly).toBeGreaterThan(0);
    expect(await orders(`${prefix}_daily`)).toBe(hourly);

    const report = await readJsonReport(json);
    expect(report.liveLayouts?.map((l) => [l.layout, l.schema, l.live.finished])).toEqual([
      ['hourly', `${prefix}_hourly`, true],
      ['daily', `${prefix}_daily`, true],
    ]);
    const [h, d] = report.liveLayouts ?? [];
    expect(d?.live.transactions).toBe(h?.live.transactions);
    expect(h?.live.errors).toEqual({});
    expect(h?.live.dashboards?.queries.length).toBeGreaterThan(0);
    expect(report.scenario.hours).toBe(1);
  });

  it('--find-speed: probes each layout from --speed, the window replayed from its start each time', async () => {
    const json = join(dir, 'speed.json');
    const schema = `${prefix}_hourly`;
    const r = await gen([
      'bench',
      '--live',
      '--find-speed',
      ...[
        '--layouts',
        'hourly',
        '--scenario',
        'tiny',
        '--hours',
        '1',
        '--speed',
        '900',
        '--probe-seconds',
        '6',
      ],
      ...['--writers', '2', '--clients', '0', '--db', url, '--schema-prefix', prefix, '--json', json],
    ]);
    expect(r.code, r.err).toBe(0);
    const m = (await readJsonReport(json)).liveLayouts?.[0]?.maxSpeed;
    if (m === undefined) throw new Error(`no maxSpeed in the report: ${r.err}`);
    const speeds = m.probes.map((p) => p.speed);
    // from --speed, doubling while the probes pass, never faster than the hour lasting a third of a probe
    // (6 s probes: the hour lasts 4 s at 900 and 2 s at the cap, so even a loaded machine plays it whole in time)
    expect(speeds[0]).toBe(900);
    expect(m.speedCap).toBe(1800);
    expect(m.probes.length).toBeGreaterThan(1);
    expect(m.probes.length).toBeLessThanOrEqual(10);
    for (const v of speeds) expect(v).toBeLessThanOrEqual(1800);
    for (const p of m.probes) {
      expect(p.pass, `speed ${p.speed}`).toBe(p.transactions > 0 && p.lagP99Ms < 1000 && p.errors === 0);
      expect(r.err).toContain(`hourly: probe speed ${p.speed}: ${p.pass ? 'pass' : 'FAIL'}`);
    }
    // each probe replays the window from its start: those that played all of it committed the same transactions
    const whole = m.probes.filter((p) => p.whole === true);
    expect(whole.length).toBeGreaterThan(0);
    for (const p of whole) expect(p.transactions, `speed ${p.speed}`).toBe(whole[0]?.transactions);
    for (const p of m.probes.filter((p) => !p.whole)) expect(p.playS).toBeGreaterThan(m.probeSeconds - 0.5);
    expect(r.err).toMatch(/probe speed \d+: \w+, .* \(the whole window\)/);
    const passed = m.probes.filter((p) => p.pass).map((p) => p.speed);
    expect(m.speed).toBe(passed.length > 0 ? Math.max(...passed) : null);
    expect(r.out).toMatch(/^max speed \(lag p99 < 1 s\) +[\d,]+$/m);
    // the schema holds what the last probe played
    expect(await orders(schema)).toBeGreaterThan(0);
  });

  it('refuses live flags without --live and bulk flags with it, before connecting', async () => {
    const noLive = await gen([
      'bench',
      '--scenario',
      'tiny',
      '--speed',
      '10',
      '--db',
      'postgres://nowhere:1/x',
    ]);
    expect(noLive.code).toBe(2);
    expect(noLive.err).toMatch(/--speed: only with --live/);
    const bulk = await gen(['bench', '--live', '--duration', '3', '--db', 'postgres://nowhere:1/x']);
    expect(bulk.code).toBe(2);
    expect(bulk.err).toMatch(/--duration: not used with --live/);
    const noLiveSpeed = await gen(['bench', '--find-speed', '--db', 'postgres://nowhere:1/x']);
    expect(noLiveSpeed.code).toBe(2);
    expect(noLiveSpeed.err).toMatch(/--find-speed: only with --live/);
    const retention = await gen([
      ...['bench', '--live', '--find-speed', '--retention', '48', '--scenario', 'tiny'],
      ...['--db', 'postgres://nowhere:1/x'],
    ]);
    expect(retention.code).toBe(2);
    expect(retention.err).toMatch(/--find-speed: not with --retention/);
    const seconds = await gen(['bench', '--live', '--probe-seconds', '0', '--db', 'postgres://nowhere:1/x']);
    expect(seconds.code).toBe(2);
    expect(seconds.err).toMatch(/--probe-seconds: 0 is not allowed; expected a number from 1 to 3600/);
    const alone = await gen(['bench', '--live', '--probe-seconds', '5', '--db', 'postgres://nowhere:1/x']);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/--probe-seconds: only with --find-speed/);
  });
});
