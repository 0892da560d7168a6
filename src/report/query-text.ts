/** The query report for people: pruning per plan, planning vs execution time, latency and throughput. */

import { plural } from '../plural.js';
import type { QueryCommandResult } from '../query/command.js';
import type { PlanCheck, QueryReport } from '../query/types.js';
import { textTable } from './text-table.js';

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "1/1/72": expected/scanned/total, then FAIL when the claim does not hold. */
const pruning = (c: PlanCheck): string =>
  `${c.partitionsExpected}/${c.partitionsScanned}/${c.partitionsTotal}${c.ok ? '' : ' FAIL'}`;

export function formatQueryReport(r: QueryReport): string {
  const head = [
    'query',
    'literal e/s/t',
    'plan ms',
    'exec ms',
    'generic e/s/t',
    'removed',
    'plan ms',
    'exec ms',
    'count',
    'qps',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'server p50',
    'client p50',
    'errors',
  ];
  const rows: string[][] = [head];
  for (const q of r.queries) {
    const l = q.latencyMs;
    rows.push([
      q.name,
      pruning(q.literal),
      ms(q.literal.planningMs),
      ms(q.literal.executionMs),
      pruning(q.generic),
      String(q.generic.subplansRemoved),
      ms(q.generic.planningMs),
      ms(q.generic.executionMs),
      int(q.count),
      q.qps.toFixed(1),
      ms(l.p50),
      ms(l.p95),
      ms(l.p99),
      ms(l.max),
      q.serverMs === undefined ? '-' : ms(q.serverMs.p50),
      q.clientMs === undefined ? '-' : ms(q.clientMs.p50),
      int(q.errors),
    ]);
  }
  const total = r.queries.reduce((a, q) => a + q.count, 0);
  const lines = [
    textTable(rows, (i) => i !== 0 && i !== 1 && i !== 4),
    '',
    'e/s/t: partitions expected / scanned / total of the checked tables; literal = values inlined (plan-time ' +
      'pruning), generic = prepared with plan_cache_mode = force_generic_plan (run-time pruning, "removed" = ' +
      'Subplans Removed); generic plan ms is the one-off build of the generic plan. server: from the query ' +
      "written to its answer's last bytes read; client: the rest of each latency (this process: waiting its " +
      'turn, writing the messages, reading the answer).',
    `${plural(total, 'query', 'queries')} in ${(r.durationMs / 1000).toFixed(2)} s by ${plural(r.clients, 'client')}: ` +
      `${r.qps.toFixed(1)} queries/s` +
      (r.rate === undefined
        ? ' (closed loop: latency from send)'
        : ` of ${r.rate} targeted${r.arrivals === 'poisson' ? ', Poisson arrivals' : ''} (latency from each query's scheduled start)`) +
      `, ${plural(r.errors, 'error')}`,
  ];
  const failed = r.queries.flatMap((q) =>
    (['literal', 'generic'] as const)
      .filter((k) => !q[k].ok)
      .map(
        (k) =>
          `PRUNING CLAIM FAILED: ${q.name} (${k} plan) scanned ${q[k].partitionsScanned} of ` +
          `${q[k].partitionsTotal} partitions, expected ${q[k].partitionsExpected}`,
      ),
  );
  if (failed.length > 0) lines.push('', ...failed);
  return lines.join('\n');
}

/** `gen query`'s output: the table, then for each failed claim which partitions it got, then first errors. */
export function formatQueryRun(r: QueryCommandResult): string {
  const lines = [formatQueryReport(r.report)];
  // Which partitions a failed claim expected and which it got: the first thing to look at.
  for (const c of r.checks) {
    for (const kind of ['literal', 'generic'] as const) {
      if (c[kind].ok) continue;
      for (const t of c.tables[kind]) {
        const extra = t.scanned.filter((s) => !t.expected.includes(s));
        const missing = t.expected.filter((s) => !t.scanned.includes(s));
        if (extra.length === 0 && missing.length === 0) continue;
        lines.push(
          `  ${c.name} ${kind} ${t.table}: ${extra.length} unexpected (${sample(extra)}), ` +
            `${missing.length} expected but not scanned (${sample(missing)}); parameters ${JSON.stringify(c.params)}`,
        );
      }
    }
  }
  for (const [query, m] of r.firstErrors) lines.push(`first error of ${query}: ${m}`);
  return lines.join('\n');
}

const sample = (names: string[]): string =>
  names.length === 0 ? '-' : names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, ...`;
