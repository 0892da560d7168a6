/**
 * `gen bench --live`: one table comparing the same live run in several layouts, with ratios to the first —
 * insert latency per transaction type, lag, partition maintenance, dashboard latency under load and the
 * server's side. A figure a layout does not have is shown as `-`.
 */

import type { MaintenanceOp } from '../live/partitions.js';
import type { LiveReport } from '../live/report.js';
import { plural } from '../plural.js';
import { textTable } from './text-table.js';
import type { LiveLayoutResult } from './types.js';

const OPS: readonly MaintenanceOp[] = ['create', 'attach', 'detach', 'drop'];

const fmt = (n: number, digits: number): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';

/** Names in the order the runs list them, the first run's first. */
function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** One line on what was played, the same for every layout (the flags are shared). */
function setting(r: LiveReport): string {
  const depth = r.pipelineDepth ?? 1;
  const parts = [
    `${plural(r.writers, 'writer')}${depth > 1 ? ` (${depth} transactions in flight each)` : ''}`,
    `premake ${r.premakeHours} h`,
  ];
  if (r.retentionHours !== null) parts.push(`retention ${r.retentionHours} h`);
  if (r.dashboards) parts.push('dashboards meanwhile');
  return `at --speed ${r.speed} (${parts.join(', ')}); latency from each transaction's scheduled time`;
}

export function formatLiveLayoutComparison(results: LiveLayoutResult[]): string {
  const [base] = results;
  if (base === undefined) return '';
  const rows: string[][] = [
    ['figure', ...results.flatMap((r, i) => (i === 0 ? [r.layout] : [r.layout, 'ratio']))],
  ];
  const addOf = (figure: string, get: (r: LiveLayoutResult) => number, digits = 0): void => {
    const b = get(base);
    rows.push([
      figure,
      ...results.flatMap((r, i) => {
        const v = get(r);
        if (i === 0) return [fmt(v, digits)];
        const ratio = Number.isFinite(v) && Number.isFinite(b) && b !== 0 ? `${(v / b).toFixed(2)}x` : '-';
        return [fmt(v, digits), ratio];
      }),
    ]);
  };
  const add = (figure: string, get: (r: LiveReport) => number, digits = 0): void =>
    addOf(figure, (r) => get(r.live), digits);
  add('transactions', (r) => r.transactions);
  add(`late (> ${base.live.lateAfterMs} ms)`, (r) => r.late);
  add('errors', (r) => Object.values(r.errors).reduce((a, n) => a + n, 0));
  add('lag p50 ms', (r) => r.lag.p50, 1);
  add('lag p99 ms', (r) => r.lag.p99, 1);
  add('lag max ms', (r) => r.lag.max, 1);
  // --find-speed: the highest speed each layout sustained in its probes, and its rate there
  const found = results.flatMap((r) => (r.maxSpeed ? [r.maxSpeed] : []));
  const limit = found[0]?.lagP99Ms;
  if (limit !== undefined) {
    addOf(`max speed (lag p99 < ${limit / 1000} s)`, (r) => r.maxSpeed?.speed ?? Number.NaN);
    addOf(
      'transactions/s at it',
      (r) => r.maxSpeed?.probes.find((p) => p.speed === r.maxSpeed?.speed)?.tps ?? Number.NaN,
    );
    addOf('first failing speed', (r) => r.maxSpeed?.failedAt ?? Number.NaN);
  }
  for (const type of union(results.map((r) => r.live.types.map((t) => t.type)))) {
    const get = (r: LiveReport) => r.types.find((t) => t.type === type)?.latency;
    add(`${type} p50 ms`, (r) => get(r)?.p50 ?? Number.NaN, 2);
    add(`${type} p99 ms`, (r) => get(r)?.p99 ?? Number.NaN, 2);
  }
  // a layout without partitions makes none: its cost is zero, not unknown
  const ops = OPS.filter((op) => results.some((r) => r.live.maintenance.ops.some((o) => o.op === op)));
  for (const op of ops) {
    const get = (r: LiveReport) => r.maintenance.ops.find((o) => o.op === op);
    add(`${op} count`, (r) => get(r)?.count ?? 0);
    add(`${op} total ms`, (r) => get(r)?.totalMs ?? 0, 1);
    add(`${op} max ms`, (r) => get(r)?.maxMs ?? 0, 1);
  }
  if (ops.length > 0) {
    add('lock waits seen', (r) => r.maintenance.ops.reduce((a, o) => a + o.blocked, 0));
    add('lock wait ms', (r) => r.maintenance.ops.reduce((a, o) => a + (o.waitedMs ?? Number.NaN), 0), 1);
  }
  for (const q of union(results.map((r) => r.live.dashboards?.queries.map((x) => x.name) ?? []))) {
    const get = (r: LiveReport) => r.dashboards?.queries.find((x) => x.name === q)?.overall;
    add(`${q} p50 ms`, (r) => get(r)?.p50 ?? Number.NaN, 2);
    add(`${q} p99 ms`, (r) => get(r)?.p99 ?? Number.NaN, 2);
  }
  // whole-server counters: another client's writes meanwhile count too
  add('WAL written MB', (r) => (r.serverSide?.walBytes ?? Number.NaN) / 1e6, 1);
  add('checkpoints requested', (r) => r.serverSide?.checkpointsRequested ?? Number.NaN);
  add(
    'backend buffer writes MB',
    (r) => {
      const s = r.serverSide;
      return s?.buffersWrittenBackend == null ? Number.NaN : (s.buffersWrittenBackend * s.blockSize) / 1e6;
    },
    1,
  );
  add('autovacuum runs', (r) => r.serverSide?.autovacuumRuns ?? Number.NaN);
  add(
    'size on disk MB',
    (r) => (r.serverSide ? r.serverSide.tables.reduce((a, t) => a + t.bytes, 0) / 1e6 : Number.NaN),
    1,
  );
  const notes = results.flatMap((r) => {
    const m = r.maxSpeed;
    if (m === undefined) return [];
    if (m.speed === null)
      return [
        `${r.layout}: no probe passed, down to speed ${fmt(Math.min(...m.probes.map((p) => p.speed)), 0)}`,
      ];
    if (m.failedAt !== null) return [];
    // no probe was faster: the window would have lasted less than a third of a probe
    const capped =
      m.speed >= m.speedCap
        ? ` (no probe is faster: the window would last under ${fmt(m.probeSeconds / 3, 0)} s; a longer --hours measures more)`
        : '';
    return [`${r.layout}: no probe failed up to speed ${fmt(m.speed, 0)}: its limit is higher${capped}`];
  });
  const searched = results.find((r) => r.maxSpeed !== undefined)?.maxSpeed;
  if (searched)
    notes.unshift(
      `max speed: the highest --speed whose probe (the window from its start, at most ${searched.probeSeconds} s, no dashboards) kept the lag p99 under ${searched.lagP99Ms / 1000} s with no failed transaction`,
    );
  return `${setting(base.live)}\n${textTable(rows, (i) => i !== 0)}${notes.map((n) => `\n${n}`).join('')}`;
}
