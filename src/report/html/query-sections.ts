/** The Queries section (pruning per plan, latency under load) and the Layouts section of `gen bench`. */
import { at } from '../../at.js';
import { plural } from '../../plural.js';
import type { LayoutResult, PlanCheck, QueryReport, QueryResult } from '../types.js';
import { latencyChart, layoutsChart } from './bar-charts.js';
import { esc, fmtFixed, fmtInt, fmtMB, fmtMs, fmtS, fmtSecs, ratioCell } from './format.js';
import { badge, table, td, th } from './page-kit.js';

/** expected / scanned / total, in the terminal's order (e/s/t); the scanned marked when they are not the expected */
function pruneCells(c: PlanCheck, withSubplans: boolean): string[] {
  const scanned = c.ok
    ? fmtInt(c.partitionsScanned)
    : `<strong class="bad">${fmtInt(c.partitionsScanned)}</strong>`;
  return [
    `<span class="of">${fmtInt(c.partitionsExpected)} /</span> ${scanned} <span class="of">/ ${fmtInt(c.partitionsTotal)}</span>`,
    ...(withSubplans ? [fmtInt(c.subplansRemoved)] : []),
    `${fmtMs(c.planningMs)} <span class="of">/</span> ${fmtMs(c.executionMs)}`,
    badge(c.ok),
  ];
}

function queryName(r: QueryResult): string {
  return `<code>${esc(r.name)}</code>${r.description ? `<div class="desc">${esc(r.description)}</div>` : ''}`;
}

export function queriesSection(q: QueryReport): string {
  const failed = q.queries.filter((r) => !(r.literal.ok && r.generic.ok));
  const verdict =
    q.queries.length === 0
      ? ''
      : failed.length === 0
        ? `<p class="verdict ok">${badge(true)} All ${q.queries.length} queries scan exactly the partitions expected, with literals and with a generic plan.</p>`
        : `<p class="verdict bad">${badge(false)} ${failed.length} of ${q.queries.length} queries ${failed.length === 1 ? 'scans' : 'scan'} other partitions than expected: ${failed
            .map((r) => {
              const c = r.literal.ok ? r.generic : r.literal;
              return `<code>${esc(r.name)}</code> (${r.literal.ok ? 'generic plan' : 'literals'}: ${fmtInt(c.partitionsScanned)} of ${fmtInt(c.partitionsTotal)}, expected ${fmtInt(c.partitionsExpected)})`;
            })
            .join(', ')}.</p>`;
  const pruning = q.queries.map(
    (r) =>
      `<tr class="${r.literal.ok && r.generic.ok ? '' : 'failed'}">${[
        queryName(r),
        ...pruneCells(r.literal, false),
        ...pruneCells(r.generic, true),
      ]
        .map((c, i) => `<td${i === 0 ? ' class="name"' : ''}>${c}</td>`)
        .join('')}</tr>`,
  );
  const latency = q.queries.map((r) =>
    td([
      `<code>${esc(r.name)}</code>`,
      fmtInt(r.count),
      fmtFixed(r.qps, 1),
      r.errors > 0 ? `<strong class="bad">${fmtInt(r.errors)}</strong>` : '0',
      fmtMs(r.latencyMs.mean),
      fmtMs(r.latencyMs.p50),
      fmtMs(r.latencyMs.p95),
      fmtMs(r.latencyMs.p99),
      fmtMs(r.latencyMs.max),
      r.serverMs === undefined ? '–' : fmtMs(r.serverMs.p50),
      r.clientMs === undefined ? '–' : fmtMs(r.clientMs.p50),
    ]),
  );
  const rate =
    q.rate !== undefined
      ? ` at a target rate of ${fmtFixed(q.rate, 1)} queries/s${q.arrivals === 'poisson' ? ' (Poisson arrivals)' : ''} (latency counted from each query's scheduled start, so a stall is not hidden)`
      : ' as fast as they can (latency of each query from send to result)';
  return `<section id="queries">
<h2>Queries</h2>
<p>${plural(q.clients, 'client')} for ${fmtSecs(q.durationMs)} s${rate} against schema <code>${esc(q.schema)}</code>: ${fmtFixed(q.qps, 1)} queries/s, ${plural(q.errors, 'error')}.</p>
<h3>Partition pruning</h3>
${verdict}
${table(
  `<tr><th rowspan="2">query</th><th colspan="3" class="group">literals: plan-time pruning</th><th colspan="4" class="group">generic plan: run-time pruning</th></tr>${th(['partitions expected / scanned / total', 'planning / execution ms', '', 'partitions expected / scanned / total', 'subplans removed', 'planning / execution ms', ''])}`,
  pruning,
  'numeric pruning',
)}
<h3>Latency under load</h3>
<figure><figcaption>Latency percentiles per query <span>milliseconds; bars start at the axis minimum</span></figcaption>
${q.queries.length > 0 ? latencyChart(q) : '<p class="note">No queries ran.</p>'}</figure>
${table(th(['query', 'count', 'queries/s', 'errors', 'mean', 'p50', 'p95', 'p99', 'max', 'server p50', 'client p50']), latency, 'numeric')}
<p class="note">server: from the query written to the socket to the last bytes of its answer read (the database and the connection); client: the rest of each latency, spent in this process (waiting its turn, writing the messages, reading the answer).</p>
</section>`;
}

export function layoutsSection(layouts: LayoutResult[]): string {
  const base = at(layouts, 0);
  const loadRows = layouts.map((l, i) => {
    const passed = l.queries.queries.filter((q) => q.literal.ok && q.generic.ok).length;
    return td([
      `<code>${esc(l.layout)}</code>${i === 0 ? ' <span class="of">baseline</span>' : ''}<div class="desc">schema <code>${esc(l.schema)}</code></div>`,
      fmtInt(l.load.rowsPerSec),
      ratioCell(l.load.rowsPerSec, base.load.rowsPerSec, 'higher'),
      fmtS(l.load.wallMs),
      fmtS(l.load.ddlMs),
      fmtMB(l.sizeBytes),
      ratioCell(l.sizeBytes, base.sizeBytes, 'lower'),
      l.load.serverSide ? fmtMB(l.load.serverSide.walBytes) : '–',
      l.load.serverSide && base.load.serverSide
        ? ratioCell(l.load.serverSide.walBytes, base.load.serverSide.walBytes, 'lower')
        : '',
      fmtFixed(l.queries.qps, 1),
      `${passed} / ${l.queries.queries.length}`,
    ]);
  });
  const names = [...new Set(layouts.flatMap((l) => l.queries.queries.map((q) => q.name)))];
  // p50 with its ratio to the baseline, then what the terminal's table has too: p95, planning time (literals) and
  // the partitions the literal plan scanned of its tables' (an unpartitioned table: 1 of 1, the whole table)
  const p50Rows = names.map((name) => {
    const b = base.queries.queries.find((q) => q.name === name)?.latencyMs.p50;
    return td([
      `<code>${esc(name)}</code>`,
      ...layouts.map((l, i) => {
        const q = l.queries.queries.find((x) => x.name === name);
        if (q === undefined) return '–';
        const v = q.latencyMs.p50;
        const p50 = i === 0 || b === undefined ? fmtMs(v) : `${fmtMs(v)} ${ratioCell(v, b, 'lower')}`;
        return `${p50}<div class="desc">p95 ${fmtMs(q.latencyMs.p95)} · planning ${fmtMs(q.literal.planningMs)} · ${fmtInt(q.literal.partitionsScanned)} of ${fmtInt(q.literal.partitionsTotal)} partitions</div>`;
      }),
    ]);
  });
  return `<section id="layouts">
<h2>Layouts</h2>
<p>The same rows loaded and queried in ${layouts.length} partition layouts; ratios are to <code>${esc(base.layout)}</code>.</p>
<figure><figcaption>Layouts compared <span>ratios to the first layout</span></figcaption>
${layoutsChart(layouts)}</figure>
${table(th(['layout', 'rows/s', '', 'load s', 'DDL s', 'size MB', '', 'WAL MB', '', 'queries/s', 'pruning pass']), loadRows, 'numeric')}
<h3>Query p50 by layout, ms <span class="of">(under it: p95 ms, planning ms with literals, partitions scanned of the tables')</span></h3>
${table(th(['query', ...layouts.map((l) => `<code>${esc(l.layout)}</code>`)]), p50Rows, 'numeric')}
</section>`;
}
