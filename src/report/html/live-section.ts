/**
 * The Live run section (`gen live`): throughput and latency per transaction type, latency and lag over scenario
 * time, the partition maintenance, errors, the dashboards meanwhile and the server's side. Latency counts from
 * each transaction's scheduled time (open model), so a database that falls behind shows here, not as a slower
 * clock.
 */
import type { LiveReport, Percentiles } from '../types.js';
import { esc, fmtFixed, fmtInt, fmtMs, fmtS, fmtTime } from './format.js';
import { hourChart } from './hour-chart.js';
import { kpis, table, td, th } from './page-kit.js';
import { serverSideBlock } from './server-section.js';
import { COLORS, seriesColor } from './theme.js';

const HOUR_MS = 3_600_000;

/** Wall time of play: the run less the snapshot (the population loaded in bulk before the window). */
const playMs = (r: LiveReport): number => Math.max(1, r.elapsedMs - r.snapshot.ms);

const bad = (n: number): string => (n > 0 ? `<strong class="bad">${fmtInt(n)}</strong>` : '0');

const pcts = (p: Percentiles): string[] => [fmtMs(p.p50), fmtMs(p.p95), fmtMs(p.p99), fmtMs(p.max)];

/** The run's hours as a contiguous series from the first to the last (a resumed run may skip some). */
function hourSeries(r: LiveReport): {
  start: number;
  hours: number;
  at: (h: number) => LiveReport['hours'][number] | undefined;
} {
  const byHour = new Map(r.hours.map((h) => [Date.parse(h.hour), h]));
  const times = [...byHour.keys()];
  const start = Math.min(...times);
  const hours = times.length === 0 ? 0 : Math.round((Math.max(...times) - start) / HOUR_MS) + 1;
  return { start, hours, at: (h) => byHour.get(start + h * HOUR_MS) };
}

function hourCharts(r: LiveReport): string {
  const s = hourSeries(r);
  if (s.hours === 0) return '<p class="note">No scenario hour was played.</p>';
  const values = (f: (h: LiveReport['hours'][number]) => number): number[] =>
    Array.from({ length: s.hours }, (_, h) => {
      const x = s.at(h);
      return x ? f(x) : 0;
    });
  const ms = (v: number): string => `${fmtMs(v)} ms`;
  const latency = hourChart({
    testid: 'chart-live-latency',
    title: 'Latency and lag per scenario hour',
    desc: 'Per scenario hour: the p50 and p99 latency of the transactions scheduled in it, from their scheduled time, and the largest lag sampled while it played.',
    start: s.start,
    hours: s.hours,
    yLabel: 'ms',
    series: [
      {
        label: 'latency p50',
        values: values((h) => h.p50),
        color: seriesColor(COLORS.percentiles, 1),
        kind: 'line',
        tip: (v) => `p50 ${ms(v)}`,
      },
      {
        label: 'latency p99',
        values: values((h) => h.p99),
        color: seriesColor(COLORS.percentiles, 2),
        kind: 'line',
        tip: (v) => `p99 ${ms(v)}`,
      },
      {
        label: 'lag max',
        values: values((h) => h.lagMax),
        color: seriesColor(COLORS.categorical, 5),
        kind: 'line',
        tip: (v) => `lag max ${ms(v)}`,
      },
    ],
  });
  const count = hourChart({
    testid: 'chart-live-transactions',
    title: 'Transactions per scenario hour',
    desc: 'Per scenario hour: the transactions committed, and how many of them started late.',
    start: s.start,
    hours: s.hours,
    yLabel: 'transactions',
    series: [
      {
        label: 'committed',
        values: values((h) => h.transactions),
        color: COLORS.area,
        kind: 'bar',
        tip: (v) => `${fmtInt(v)} committed`,
      },
      {
        label: `late (> ${fmtInt(r.lateAfterMs)} ms)`,
        values: values((h) => h.late),
        color: seriesColor(COLORS.categorical, 5),
        kind: 'bar',
        tip: (v) => `${fmtInt(v)} late`,
      },
    ],
  });
  return `<figure><figcaption>Latency and lag over scenario time <span>milliseconds; latency from each transaction's scheduled time</span></figcaption>
${latency}</figure>
<figure><figcaption>Transactions over scenario time <span>committed per scenario hour, and those that started late</span></figcaption>
${count}</figure>`;
}

function maintenanceBlock(r: LiveReport): string {
  const ops = r.maintenance.ops;
  if (ops.length === 0)
    return '<h3>Partition maintenance</h3>\n<p class="note">No partition was created, attached, detached or dropped during the run.</p>';
  const rows = ops.map((o) =>
    td([`<code>${esc(o.op)}</code>`, fmtInt(o.count), fmtMs(o.totalMs), fmtMs(o.maxMs), bad(o.blocked)]),
  );
  return `<h3>Partition maintenance</h3>
<p class="note">Partitions kept ${fmtInt(r.premakeHours)} hours ahead of the scenario clock${r.retentionHours === null ? '' : `, event-table partitions older than ${fmtInt(r.retentionHours)} hours detached and dropped`}; lock waits are the writers and queries seen waiting on a lock right after each operation.</p>
${table(th(['operation', 'count', 'total ms', 'max ms', 'lock waits seen']), rows, 'numeric')}`;
}

function dashboardsBlock(r: LiveReport): string {
  const d = r.dashboards;
  if (!d) return '';
  const rows = d.queries.map((q) =>
    td([
      `<code>${esc(q.name)}</code>`,
      fmtInt(q.count),
      bad(q.errors),
      fmtMs(q.overall.mean),
      ...pcts(q.overall),
    ]),
  );
  return `<h3>Dashboards meanwhile</h3>
<p class="note">The query suite, parameters relative to the scenario clock ("the last hour"), run while the transactions played; latency of each query from send to result.</p>
${d.queries.length > 0 ? table(th(['query', 'count', 'errors', 'mean', 'p50', 'p95', 'p99', 'max']), rows, 'numeric') : '<p class="note">No dashboard query ran.</p>'}`;
}

export function liveSection(r: LiveReport): string {
  const secs = playMs(r) / 1000;
  const errors = Object.values(r.errors).reduce((a, n) => a + n, 0);
  const types = r.types.map((t) =>
    td([
      `<code>${esc(t.type)}</code>`,
      fmtInt(t.count),
      fmtFixed(t.count / secs, 1),
      bad(t.late),
      bad(t.errors),
      ...pcts(t.latency),
      fmtMs(t.service.p50),
      fmtMs(t.service.p99),
    ]),
  );
  const facts = [
    [
      'played',
      `from ${esc(fmtTime(r.playedFrom))}`,
      `${r.resumed ? 'resumed where an earlier run stopped; ' : ''}${r.finished ? 'to the end of the window' : '<strong class="bad">stopped before the end of the window</strong>'}`,
    ],
    ['speed', `${esc(String(r.speed))}×`, 'scenario seconds per wall second'],
    ['writers', fmtInt(r.writers), 'connections executing the transactions'],
    [
      'snapshot',
      `${fmtInt(r.snapshot.rows)} rows`,
      `the population before the window, loaded in bulk in ${fmtS(r.snapshot.ms)} s`,
    ],
    ['wall time', `${fmtS(r.elapsedMs)} s`, `${fmtFixed(secs, 2)} s of it playing`],
    [
      'lag',
      `p99 ${fmtMs(r.lag.p99)} ms`,
      `p50 ${fmtMs(r.lag.p50)}, max ${fmtMs(r.lag.max)} ms: how far behind schedule the oldest waiting transaction was, sampled every 200 ms`,
    ],
  ].map(
    ([k, v, note]) =>
      `<tr><th scope="row">${k}</th><td class="num">${v}</td><td class="note">${note}</td></tr>`,
  );
  const errorList = Object.entries(r.errors);
  return `<section id="live">
<h2>Live run</h2>
${kpis([
  [fmtInt(r.transactions), 'transactions'],
  [fmtFixed(r.transactions / secs, 1), 'transactions/s'],
  [fmtInt(r.late), `late (> ${fmtInt(r.lateAfterMs)} ms)`],
  [fmtMs(r.lag.p99), 'lag p99 ms'],
  [fmtInt(errors), 'errors'],
])}
<div class="table-wrap"><table class="kv"><tbody>${facts.join('')}</tbody></table></div>
<h3>Transactions by type</h3>
${table(
  `<tr><th rowspan="2">type</th><th rowspan="2">count</th><th rowspan="2">per s</th><th rowspan="2">late</th><th rowspan="2">errors</th><th colspan="4" class="group">latency from schedule, ms</th><th colspan="2" class="group">in the database, ms</th></tr>${th(['p50', 'p95', 'p99', 'max', 'p50', 'p99'])}`,
  types,
  'numeric',
)}
${hourCharts(r)}
${maintenanceBlock(r)}
<h3>Errors</h3>
${
  errorList.length === 0
    ? '<p class="note">None: every transaction committed.</p>'
    : table(
        th(['kind', 'count']),
        errorList.map(([k, n]) => td([`<code>${esc(k)}</code>`, bad(n)])),
        'numeric',
      )
}
${dashboardsBlock(r)}
${r.serverSide ? serverSideBlock(r.serverSide, 'before the snapshot and after the last transaction') : ''}
</section>`;
}
