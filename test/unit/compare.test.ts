import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { type CompareRow, compareReports, formatComparison, incomparable } from '../../src/report/compare.js';
import { sampleReport } from '../../src/report/sample-report.js';
import type { RunReport } from '../../src/report/types.js';

function row(rows: CompareRow[], figure: string): CompareRow {
  const r = rows.find((x) => x.figure === figure);
  if (r === undefined) throw new Error(`no figure ${figure} in ${rows.length} rows`);
  return r;
}

describe('compareReports', () => {
  it('finds nothing changed between a report and itself', () => {
    const rows = compareReports(sampleReport(), sampleReport());
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.filter((r) => r.verdict !== 'same')).toEqual([]);
    expect(new Set(rows.map((r) => r.figure)).size).toBe(rows.length);
  });

  it('gives b/a and calls it better or worse by which way is good', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.load.rowsPerSec = a.load.rowsPerSec * 2;
    at(b.queries.queries, 0).latencyMs.p95 = at(a.queries.queries, 0).latencyMs.p95 * 3;
    at(b.layouts, 1).sizeBytes = at(a.layouts, 1).sizeBytes / 2;
    b.load.rows = a.load.rows * 1.5;
    const rows = compareReports(a, b);

    expect(row(rows, 'load.rowsPerSec')).toMatchObject({ ratio: 2, better: 'higher', verdict: 'better' });
    const p95 = row(rows, 'queries.orders_in_hour.latencyMs.p95');
    expect(p95.ratio).toBeCloseTo(3, 10);
    expect(p95).toMatchObject({ better: 'lower', verdict: 'worse' });
    expect(row(rows, 'layouts.daily.sizeBytes')).toMatchObject({
      ratio: 0.5,
      better: 'lower',
      verdict: 'better',
    });
    // a bigger workload is a different run, neither better nor worse
    expect(row(rows, 'load.rows')).toMatchObject({ ratio: 1.5, better: 'exact', verdict: 'changed' });
  });

  it('calls changes within ±5% the same', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.load.rowsPerSec = a.load.rowsPerSec * 1.049;
    b.load.wallMs = a.load.wallMs * 0.951;
    b.load.copyMs = a.load.copyMs * 1.06;
    const rows = compareReports(a, b);
    expect(row(rows, 'load.rowsPerSec').verdict).toBe('same');
    expect(row(rows, 'load.wallMs').verdict).toBe('same');
    expect(row(rows, 'load.copyMs').verdict).toBe('worse');
  });

  it('compares settings, versions and pruning results as text', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.server.settings.shared_buffers = '1GB';
    b.server.version = '17.6';
    at(b.queries.queries, 5).generic.ok = true;
    at(b.queries.queries, 0).literal.ok = false;
    const rows = compareReports(a, b);
    expect(row(rows, 'server.settings.shared_buffers')).toEqual({
      figure: 'server.settings.shared_buffers',
      a: '128MB',
      b: '1GB',
      ratio: null,
      better: 'exact',
      verdict: 'changed',
    });
    expect(row(rows, 'server.version').verdict).toBe('changed');
    expect(row(rows, 'queries.reviews_last_24h.generic.ok')).toMatchObject({
      a: 'FAIL',
      b: 'PASS',
      verdict: 'better',
    });
    expect(row(rows, 'queries.orders_in_hour.literal.ok')).toMatchObject({
      a: 'PASS',
      b: 'FAIL',
      verdict: 'worse',
    });
    expect(row(rows, 'scenario.seed')).toMatchObject({ a: '20261127', ratio: null, verdict: 'same' });
  });

  it('lists figures only one run has, next to their neighbours', () => {
    const a: RunReport = sampleReport();
    const b = sampleReport();
    delete a.server;
    b.layouts = b.layouts.slice(0, 2);
    const extra = structuredClone(at(b.queries.queries, 1));
    extra.name = 'new_query';
    b.queries.queries.splice(2, 0, extra);
    const rows = compareReports(a, b);

    expect(row(rows, 'server.version')).toMatchObject({ a: null, b: '18.4', ratio: null, verdict: 'only-b' });
    expect(row(rows, 'layouts.none.sizeBytes')).toMatchObject({ b: null, ratio: null, verdict: 'only-a' });
    const figures = rows.map((r) => r.figure);
    const first = figures.indexOf('queries.new_query.latencyMs.count');
    expect(row(rows, 'queries.new_query.qps')).toMatchObject({ a: null, verdict: 'only-b' });
    expect(figures[first - 1]).toBe('queries.revenue_by_hour_6h.generic.ok');
    expect(figures.indexOf('queries.order_items_in_hour.latencyMs.count')).toBeGreaterThan(first);
  });

  it('calls any difference in what describes the run a change, however small; measurements only beyond ±5%', () => {
    const a = sampleReport();
    const b = sampleReport();
    // another seed: 2% more rows is another data set, not noise
    b.load.rows = Math.round(a.load.rows * 1.02);
    const t = Object.keys(a.load.tables)[0] as string;
    (b.load.tables[t] as { partitions: number }).partitions += 1;
    b.scenario.scale = a.scenario.scale * 1.01;
    b.load.copyFormat = 'csv';
    b.load.wallMs = a.load.wallMs * 1.02;
    const rows = compareReports(a, b);
    expect(row(rows, 'load.rows')).toMatchObject({ better: 'exact', verdict: 'changed' });
    expect(row(rows, `load.tables.${t}.partitions`).verdict).toBe('changed');
    expect(row(rows, 'scenario.scale').verdict).toBe('changed');
    expect(row(rows, 'load.copyFormat')).toMatchObject({ a: 'binary', b: 'csv', verdict: 'changed' });
    expect(row(rows, 'load.wallMs').verdict).toBe('same');
    const shown = formatComparison(rows, { changedOnly: true });
    expect(shown).toMatch(/^load\.rows /m);
    expect(shown).not.toMatch(/^load\.wallMs /m);
  });

  it("compares the load's analyze and foreign keys and every server counter the report has", () => {
    const a = sampleReport();
    const b = structuredClone(a);
    a.load.analyzeMs = 100;
    b.load.analyzeMs = 200;
    a.load.fkMs = 10;
    b.load.fkMs = 5;
    const server = b.load.serverSide;
    if (server === undefined) throw new Error('the sample has the server side');
    server.walRecords = (server.walRecords ?? 0) * 2 + 1;
    server.checkpointsTimed += 3;
    server.autoanalyzeRuns = server.autoanalyzeRuns * 2 + 1;
    const rows = compareReports(a, b);
    expect(row(rows, 'load.analyzeMs')).toMatchObject({ ratio: 2, verdict: 'worse' });
    expect(row(rows, 'load.fkMs')).toMatchObject({ ratio: 0.5, verdict: 'better' });
    for (const k of [
      'walPositionBytes',
      'walRecords',
      'checkpointsTimed',
      'buffersWrittenCheckpointer',
      'buffersWrittenBgwriter',
      'autoanalyzeRuns',
    ])
      expect(row(rows, `load.serverSide.${k}`).better).toBe('lower');
    expect(row(rows, 'load.serverSide.walRecords').verdict).toBe('worse');
    expect(row(rows, 'load.serverSide.autoanalyzeRuns').verdict).not.toBe('same');
  });

  it('says so when nothing differs, and refuses two reports with no part in common', () => {
    expect(formatComparison(compareReports(sampleReport(), sampleReport()), { changedOnly: true })).toMatch(
      /^no figure differs \(measurements by more than ±5%\); --all lists them\n\n\d+ figures: 0 better/,
    );
    const load: RunReport = sampleReport();
    const query: RunReport = sampleReport();
    for (const k of ['queries', 'layouts', 'live', 'liveLayouts'] as const) delete load[k];
    for (const k of ['load', 'layouts', 'live', 'liveLayouts'] as const) delete query[k];
    expect(incomparable(load, query, ['a.json', 'q.json'])).toBe(
      'a.json holds a load (gen), q.json holds queries (gen query): nothing to compare; expected two reports of the same kind of run',
    );
    // gen query --with-load holds a load too: the loads are compared
    query.load = structuredClone(sampleReport().load);
    expect(incomparable(load, query, ['a.json', 'q.json'])).toBeNull();
    expect(incomparable(sampleReport(), sampleReport(), ['a', 'b'])).toBeNull();
  });

  it('has no ratio when a is zero, but still a direction', () => {
    const a = sampleReport();
    const b = sampleReport();
    a.queries.errors = 0;
    b.queries.errors = 3;
    expect(row(compareReports(a, b), 'queries.errors')).toMatchObject({
      a: 0,
      b: 3,
      ratio: null,
      verdict: 'worse',
    });
  });
});

describe('compareReports on live runs', () => {
  /** two `gen live` reports: nothing but the live part */
  const liveOnly = (): RunReport => {
    const r: RunReport = sampleReport();
    delete r.load;
    delete r.profile;
    delete r.queries;
    delete r.layouts;
    delete r.liveLayouts;
    return r;
  };

  it('compares per transaction type p50/p99, lag, maintenance and dashboards, matched by name', () => {
    const a = liveOnly();
    const b = liveOnly();
    if (!a.live || !b.live) throw new Error('the sample report has no live run');
    const checkout = b.live.types.find((t) => t.type === 'checkout');
    if (!checkout) throw new Error('no checkout in the sample');
    checkout.latency.p99 *= 2;
    b.live.lag.p99 /= 4;
    // types in another order: matched by name, not position
    b.live.types.reverse();
    b.live.types.push({ ...checkout, type: 'review' });
    at(b.live.maintenance.ops, 1).maxMs *= 3;
    b.live.errors = { no_partition: 3 };
    const rows = compareReports(a, b);
    const changed = rows.filter((r) => r.verdict !== 'same').map((r) => r.figure);
    // review is a type only b has: all its figures are b's alone
    expect(changed.filter((f) => !f.startsWith('live.types.review.'))).toEqual([
      'live.lag.p99',
      'live.types.checkout.latency.p99',
      'live.maintenance.attach.maxMs',
      'live.errors.no_partition',
    ]);
    expect(row(rows, 'live.types.checkout.latency.p99')).toMatchObject({
      ratio: 2,
      better: 'lower',
      verdict: 'worse',
    });
    expect(row(rows, 'live.types.checkout.latency.p50').verdict).toBe('same');
    expect(row(rows, 'live.lag.p99')).toMatchObject({ ratio: 0.25, verdict: 'better' });
    expect(row(rows, 'live.maintenance.attach.maxMs').verdict).toBe('worse');
    expect(row(rows, 'live.types.review.latency.p99').verdict).toBe('only-b');
    expect(row(rows, 'live.errors.no_partition')).toMatchObject({ a: null, b: 3, verdict: 'only-b' });
    expect(row(rows, 'live.dashboards.orders_in_hour.latencyMs.p99').verdict).toBe('same');
    // a dashboard query's latency parts, as gen query's (their count is the latency's)
    expect(row(rows, 'live.dashboards.orders_in_hour.serverMs.p50')).toMatchObject({ better: 'lower' });
    expect(row(rows, 'live.dashboards.orders_in_hour.clientMs.p95').verdict).toBe('same');
    for (const part of ['serverMs', 'clientMs'])
      expect(rows.some((r) => r.figure === `live.dashboards.orders_in_hour.${part}.count`)).toBe(false);
    expect(row(rows, 'live.serverSide.walBytes').better).toBe('lower');
    // the schedule sets a live run's length: a shorter one is not better (a faster --speed, or a shorter window)
    expect(row(rows, 'live.elapsedMs').better).toBe('neutral');
  });

  it('a resumed run is told apart from a fresh one: its missing snapshot is not a faster one', () => {
    const a = liveOnly();
    const b = liveOnly();
    if (!a.live || !b.live) throw new Error('the sample report has no live run');
    b.live.resumed = true;
    b.live.playedFrom = '2026-11-27T01:00:00.000Z';
    b.live.snapshot = { rows: 0, ms: 0 };
    const rows = compareReports(a, b);
    expect(row(rows, 'live.resumed')).toMatchObject({ a: 'no', b: 'yes', verdict: 'changed' });
    expect(row(rows, 'live.playedFrom').verdict).toBe('changed');
    expect(row(rows, 'live.snapshot.rows').verdict).toBe('changed');
    expect(row(rows, 'live.snapshot.ms').verdict).toBe('only-a');
  });

  it('compares gen bench --live layout by layout', () => {
    const a = sampleReport();
    const b = sampleReport();
    const daily = at(b.liveLayouts, 1).live;
    at(daily.types, 0).latency.p50 *= 1.5;
    daily.serverSide.walBytes *= 2;
    const rows = compareReports(a, b);
    expect(rows.filter((r) => r.verdict !== 'same').map((r) => r.figure)).toEqual([
      'liveLayouts.daily.types.payment.latency.p50',
      'liveLayouts.daily.serverSide.walBytes',
    ]);
    // none makes no partitions: it has no maintenance figures to compare
    expect(rows.some((r) => r.figure.startsWith('liveLayouts.none.maintenance.'))).toBe(false);
    expect(row(rows, 'liveLayouts.hourly.maintenance.create.totalMs').a).toBe(410);
  });
});

describe('formatComparison', () => {
  it('prints ratios to two decimals with a marker beyond ±5%, and a tally', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.load.rowsPerSec = a.load.rowsPerSec * 1.25;
    at(b.queries.queries, 0).latencyMs.p99 = 10.934;
    b.load.mbPerSec = a.load.mbPerSec * 1.02;
    const noLayouts: RunReport = b;
    delete noLayouts.layouts;
    const rows = compareReports(a, noLayouts);
    const out = formatComparison(rows, { names: ['a.json', 'b.json'] });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^figure\s+a\.json\s+b\.json\s+b\/a$/);
    expect(lines.find((l) => l.startsWith('load.rowsPerSec '))).toMatch(
      /176,419\s+220,524\s+1\.25\s+\+ better$/,
    );
    expect(lines.find((l) => l.startsWith('queries.orders_in_hour.latencyMs.p99 '))).toMatch(
      /5\.47\s+10\.93\s+2\.00\s+- worse$/,
    );
    expect(lines.find((l) => l.startsWith('load.mbPerSec '))).toMatch(/43\.22\s+44\.08\s+1\.02$/);
    expect(lines.find((l) => l.startsWith('layouts.none.sizeBytes '))).toMatch(
      /1,998,848,000\s+missing\s+-\s+only in a$/,
    );
    expect(lines[lines.length - 1]).toMatch(
      /^\d+ figures: 1 better, 1 worse beyond ±5%, 0 other changes, \d+ in one run only$/,
    );
  });

  it('can leave out what did not change', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.load.ddlMs = a.load.ddlMs * 3;
    const out = formatComparison(compareReports(a, b), { changedOnly: true });
    expect(out.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^figure\s+a\s+b\s+b\/a$/),
      expect.stringMatching(/^load\.ddlMs\s+2,270\s+6,810\s+3\.00\s+- worse$/),
    ]);
    expect(out).toMatch(/the same not shown$/);
  });
});
