/**
 * The Live run section (`gen live`): throughput and latency per transaction type, latency and lag over scenario
 * time, the partition maintenance, errors, the dashboards meanwhile and the server's side. Latency counts from
 * each transaction's scheduled time (open model), so a database that falls behind shows here, not as a slower
 * clock.
 */

import { plural } from '../../plural.js';
import type { HourFigures, LiveReport, Percentiles } from '../types.js';
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
interface Series {
  /** epoch ms of the first hour */
  start: number;
  hours: number;
}

/** The hours of the run and of every type's and query's figures, first to last. */
function hourSeries(r: LiveReport): Series {
  const times = [
    ...r.hours.map((h) => h.hour),
    ...r.types.flatMap((t) => (t.byHour ?? []).map((h) => h.hour)),
    ...(r.dashboards?.queries ?? []).flatMap((q) => q.byHour.map((h) => h.hour)),
  ];
  if (times.length === 0) return { start: 0, hours: 0 };
  // a loop, not Math.min(...): a long --follow run has more figures than a call takes arguments
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    const ms = Date.parse(t);
    start = Math.min(start, ms);
    end = Math.max(end, ms);
  }
  return { start, hours: Math.round((end - start) / HOUR_MS) + 1 };
}

/** `rows` by hour index of the series: undefined where a row has no figures */
function byIndex<T extends { hour: string }>(s: Series, rows: readonly T[]): (h: number) => T | undefined {
  const m = new Map(rows.map((x) => [Math.round((Date.parse(x.hour) - s.start) / HOUR_MS), x]));
  return (h) => m.get(h);
}

/** One transaction type's or one dashboard query's figures per scenario hour. */
interface Named {
  name: string;
  byHour: readonly HourFigures[];
}

/**
 * A line per transaction type (or per dashboard query) over the run's hours: its p99 latency, and how many ran.
 * Colours cycle through the palette; names past its length are drawn dashed. An hour a name had none of has no
 * dot, and its line breaks there.
 */
function perNameCharts(
  s: Series,
  items: readonly Named[],
  o: { testid: string; what: string; unit: string; latencyFrom: string },
): string {
  const palette = COLORS.categorical;
  const lines = items.map((it, i) => ({
    it,
    at: byIndex(s, it.byHour),
    color: seriesColor(palette, i),
    dashed: i >= palette.length,
  }));
  const chart = (kind: 'latency' | 'count') =>
    hourChart({
      testid: `${o.testid}-${kind}`,
      title:
        kind === 'latency'
          ? `p99 latency per ${o.what}, per scenario hour`
          : `${o.unit} per ${o.what}, per scenario hour`,
      desc:
        kind === 'latency'
          ? `Per scenario hour and ${o.what}: the p99 latency (${o.latencyFrom}); no dot where it had none that hour.`
          : `Per scenario hour and ${o.what}: how many ran.`,
      start: s.start,
      hours: s.hours,
      yLabel: kind === 'latency' ? 'ms' : o.unit,
      series: lines.map(({ it, at, color, dashed }) => ({
        label: it.name,
        values: Array.from({ length: s.hours }, (_, h) => {
          const x = at(h);
          return x === undefined ? null : kind === 'latency' ? x.p99 : x.count;
        }),
        color,
        kind: 'line' as const,
        ...(dashed ? { dashed: true } : {}),
        tip: (_v: number, h: number) => {
          const x = at(h);
          return `${it.name}: ${fmtInt(x?.count ?? 0)} ${o.unit}, p50 ${fmtMs(x?.p50 ?? 0)} ms, p99 ${fmtMs(x?.p99 ?? 0)} ms`;
        },
      })),
    });
  return `<figure><figcaption>Latency per ${esc(o.what)} over scenario time <span>p99, milliseconds (${esc(o.latencyFrom)}); the tooltips give p50 too</span></figcaption>
${chart('latency')}</figure>
<figure><figcaption>${esc(o.unit[0]?.toUpperCase() ?? '')}${esc(o.unit.slice(1))} per ${esc(o.what)} over scenario time <span>per scenario hour</span></figcaption>
${chart('count')}</figure>`;
}

function hourCharts(r: LiveReport, s: Series): string {
  if (s.hours === 0) return '<p class="note">No scenario hour was played.</p>';
  const at = byIndex(s, r.hours);
  // an hour the run has no figures for (a resumed run's gap, or the window end's metric close alone): no latency
  // mark there, and a count of 0
  const values = (
    f: (h: LiveReport['hours'][number]) => number,
    none: number | null = null,
  ): (number | null)[] =>
    Array.from({ length: s.hours }, (_, h) => {
      const x = at(h);
      return x ? f(x) : none;
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
        values: values((h) => h.transactions, 0),
        color: COLORS.area,
        kind: 'bar',
        tip: (v) => `${fmtInt(v)} committed`,
      },
      {
        label: `late (> ${fmtInt(r.lateAfterMs)} ms)`,
        values: values((h) => h.late, 0),
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
    td([
      `<code>${esc(o.op)}</code>`,
      fmtInt(o.count),
      fmtMs(o.totalMs),
      fmtMs(o.maxMs),
      bad(o.blocked),
      o.waitedMs === undefined ? '–' : fmtMs(o.waitedMs),
    ]),
  );
  return `<h3>Partition maintenance</h3>
<p class="note">Partitions kept ${plural(r.premakeHours, 'hour')} ahead of the scenario clock${r.retentionHours === null ? '' : `, event-table partitions older than ${plural(r.retentionHours, 'hour')} detached and dropped`}; lock waits seen are the most writers and queries seen waiting on an operation's locks at once (sampled every few ms while it ran), lock wait ms the time they waited, summed over them.</p>
${table(th(['operation', 'count', 'total ms', 'max ms', 'lock waits seen', 'lock wait ms']), rows, 'numeric')}`;
}

function dashboardsBlock(r: LiveReport, s: Series): string {
  const d = r.dashboards;
  if (!d) return '';
  const hourly = d.queries.filter((q) => q.byHour.length > 0);
  const rows = d.queries.map((q) =>
    td([
      `<code>${esc(q.name)}</code>`,
      fmtInt(q.count),
      bad(q.errors),
      fmtMs(q.overall.mean),
      ...pcts(q.overall),
      q.serverMs === undefined ? '–' : fmtMs(q.serverMs.p50),
      q.clientMs === undefined ? '–' : fmtMs(q.clientMs.p50),
    ]),
  );
  return `<h3>Dashboards meanwhile</h3>
<p class="note">The query suite, parameters relative to the scenario clock ("the last hour"), run while the transactions played; latency of each query from send to result, and its two parts at p50: the server's (from the query written to its answer read) and this process's own.</p>
${d.queries.length > 0 ? table(th(['query', 'count', 'errors', 'mean', 'p50', 'p95', 'p99', 'max', 'server p50', 'client p50']), rows, 'numeric') : '<p class="note">No dashboard query ran.</p>'}
${hourly.length > 0 ? perNameCharts(s, hourly, { testid: 'chart-live-query', what: 'query', unit: 'queries', latencyFrom: 'from send to result' }) : ''}`;
}

export function liveSection(r: LiveReport): string {
  const secs = playMs(r) / 1000;
  const series = hourSeries(r);
  // reports written before 5 December have no figures per type and hour
  const hourlyTypes = r.types.flatMap((t) =>
    t.byHour && t.byHour.length > 0 ? [{ name: t.type, byHour: t.byHour }] : [],
  );
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
${hourCharts(r, series)}
${hourlyTypes.length > 0 && series.hours > 0 ? perNameCharts(series, hourlyTypes, { testid: 'chart-live-type', what: 'transaction type', unit: 'transactions', latencyFrom: "from each transaction's scheduled time" }) : ''}
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
${dashboardsBlock(r, series)}
${r.serverSide ? serverSideBlock(r.serverSide, 'before the snapshot and after the last transaction') : ''}
</section>`;
}
