/** The query report for people: pruning per plan, planning vs execution time, latency and throughput. */
import type { PlanCheck, QueryReport } from '../report/types.js';

function table(rows: string[][], rightAlign: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

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
      int(q.errors),
    ]);
  }
  const right = head.map((_, i) => i !== 0 && i !== 1 && i !== 4);
  const total = r.queries.reduce((a, q) => a + q.count, 0);
  const lines = [
    table(rows, right),
    '',
    'e/s/t: partitions expected / scanned / total of the checked tables; literal = values inlined (plan-time ' +
      'pruning), generic = prepared with plan_cache_mode = force_generic_plan (run-time pruning, "removed" = ' +
      'Subplans Removed); generic plan ms is the one-off build of the generic plan.',
    `${int(total)} queries in ${(r.durationMs / 1000).toFixed(2)} s by ${r.clients} client${r.clients === 1 ? '' : 's'}: ` +
      `${r.qps.toFixed(1)} queries/s` +
      (r.rate === undefined
        ? ' (closed loop: latency from send)'
        : ` of ${r.rate} targeted (latency from each query's scheduled start)`) +
      `, ${int(r.errors)} error${r.errors === 1 ? '' : 's'}`,
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
