/**
 * The Live layouts section of `gen bench --live`: the same live run in each layout, ratios to the first —
 * lag and late transactions, partition maintenance, WAL and size, then insert latency per transaction type
 * and dashboard latency under load, p50 and p99.
 */
import { at } from '../../at.js';
import { plural } from '../../plural.js';
import type { LiveLayoutResult, LiveReport, Percentiles } from '../types.js';
import { esc, fmtInt, fmtMB, fmtMs, ratioCell } from './format.js';
import { table, td, th } from './page-kit.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** "p50 / p99" of one layout, with the p99's ratio to the baseline's */
function pair(p: Percentiles | undefined, base: Percentiles | undefined, first: boolean): string {
  if (p === undefined) return '–';
  const ratio = first || base === undefined ? '' : ` ${ratioCell(p.p99, base.p99, 'lower')}`;
  return `${fmtMs(p.p50)} <span class="of">/</span> ${fmtMs(p.p99)}${ratio}`;
}

/** One row per name (transaction type, query), one "p50 / p99" cell per layout. */
function byName(
  layouts: LiveLayoutResult[],
  names: string[],
  get: (r: LiveReport, name: string) => Percentiles | undefined,
): string[] {
  const base = at(layouts, 0).live;
  return names.map((name) =>
    td([
      `<code>${esc(name)}</code>`,
      ...layouts.map((l, i) => pair(get(l.live, name), get(base, name), i === 0)),
    ]),
  );
}

/** --find-speed: each layout's highest sustained speed, its rate there, and its probes */
function speedBlock(layouts: LiveLayoutResult[]): string {
  const searched = layouts.find((l) => l.maxSpeed !== undefined)?.maxSpeed;
  if (searched === undefined) return '';
  const base = at(layouts, 0).maxSpeed?.speed ?? null;
  const rows = layouts.map((l, i) => {
    const m = l.maxSpeed;
    const there = m?.probes.find((p) => p.speed === m.speed);
    return td([
      `<code>${esc(l.layout)}</code>`,
      m?.speed == null
        ? '–'
        : `${fmtInt(m.speed)}×${i > 0 && base !== null ? ` ${ratioCell(m.speed, base, 'higher')}` : ''}`,
      there === undefined ? '–' : fmtInt(Math.round(there.tps)),
      m === undefined ? '–' : m.failedAt === null ? 'none up to it' : `${fmtInt(m.failedAt)}×`,
      m === undefined
        ? '–'
        : m.probes
            .map((p) => (p.pass ? fmtInt(p.speed) : `<strong class="bad">${fmtInt(p.speed)}</strong>`))
            .join(', '),
    ]);
  });
  return `<h3>Highest sustained speed</h3>
<p class="note">The highest <code>--speed</code> whose probe (the window from its start, at most ${fmtInt(searched.probeSeconds)} s, no dashboards) kept the lag p99 under ${fmtMs(searched.lagP99Ms)} ms with no failed transaction: doubling while probes passed, then bisecting. Failing probes in bold.</p>
${table(th(['layout', 'max speed', 'transactions/s there', 'first failing speed', 'probes']), rows, 'numeric')}`;
}

export function liveLayoutsSection(layouts: LiveLayoutResult[]): string {
  const base = at(layouts, 0);
  const maint = (r: LiveReport): { total: number; max: number } => ({
    total: sum(r.maintenance.ops.map((o) => o.totalMs)),
    max: Math.max(0, ...r.maintenance.ops.map((o) => o.maxMs)),
  });
  const size = (r: LiveReport): number => sum(r.serverSide?.tables.map((t) => t.bytes) ?? []);
  const rows = layouts.map((l, i) => {
    const r = l.live;
    const b = base.live;
    const errors = sum(Object.values(r.errors));
    const cmp = (v: number, bv: number): string => (i === 0 ? '' : ratioCell(v, bv, 'lower'));
    return td([
      `<code>${esc(l.layout)}</code>${i === 0 ? ' <span class="of">baseline</span>' : ''}<div class="desc">schema <code>${esc(l.schema)}</code></div>`,
      fmtInt(r.transactions),
      r.late > 0 ? `<strong class="bad">${fmtInt(r.late)}</strong>` : '0',
      errors > 0 ? `<strong class="bad">${fmtInt(errors)}</strong>` : '0',
      `${fmtMs(r.lag.p99)} ${cmp(r.lag.p99, b.lag.p99)}`,
      `${fmtMs(maint(r).total)} ${cmp(maint(r).total, maint(b).total)}`,
      fmtMs(maint(r).max),
      r.serverSide ? fmtMB(r.serverSide.walBytes) : '–',
      r.serverSide && b.serverSide ? cmp(r.serverSide.walBytes, b.serverSide.walBytes) : '',
      r.serverSide ? fmtMB(size(r)) : '–',
    ]);
  });
  const types = [...new Set(layouts.flatMap((l) => l.live.types.map((t) => t.type)))];
  const queries = [...new Set(layouts.flatMap((l) => l.live.dashboards?.queries.map((q) => q.name) ?? []))];
  const head = th(['', ...layouts.map((l) => `<code>${esc(l.layout)}</code>`)]);
  return `<section id="live-layouts">
<h2>Live layouts</h2>
<p>The same live run at speed ${esc(String(base.live.speed))}× with ${plural(base.live.writers, 'writer')} in ${plural(layouts.length, 'partition layout')}, each in its own schema; ratios are to <code>${esc(base.layout)}</code>. Latency counts from each transaction's scheduled time.</p>
${table(th(['layout', 'transactions', 'late', 'errors', 'lag p99 ms', 'maintenance ms', 'max op ms', 'WAL MB', '', 'size MB']), rows, 'numeric')}
<h3>Insert latency by transaction type, p50 / p99 ms</h3>
${table(
  head,
  byName(layouts, types, (r, n) => r.types.find((t) => t.type === n)?.latency),
  'numeric',
)}
${speedBlock(layouts)}
${
  queries.length > 0
    ? `<h3>Dashboards under load, p50 / p99 ms</h3>\n${table(
        head,
        byName(layouts, queries, (r, n) => r.dashboards?.queries.find((q) => q.name === n)?.overall),
        'numeric',
      )}`
    : ''
}
</section>`;
}
