/**
 * `gen query`: the EXPLAIN pruning checks, then the concurrent load, as a report and a terminal table.
 * The CLI parses flags into these options and prints `text`; `ok` is false when a pruning claim failed or a
 * query errored, for the exit code.
 */
import type { QueryReport } from '../report/types.js';
import type { QueryCheck } from './explain.js';
import { formatQueryReport } from './format.js';
import { runWorkload, type WorkloadOptions } from './workload.js';

export type QueryCommandOptions = Omit<WorkloadOptions, 'onError' | 'onChecks' | 'checks'>;

export interface QueryCommandResult {
  report: QueryReport;
  text: string;
  ok: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function runQueryCommand(o: QueryCommandOptions): Promise<QueryCommandResult> {
  const firstError = new Map<string, string>();
  let checks: readonly QueryCheck[] = [];
  const report = await runWorkload({
    ...o,
    onChecks: (c) => {
      checks = c;
    },
    onError: (query, e) => {
      if (!firstError.has(query)) firstError.set(query, message(e));
    },
  });
  const lines = [formatQueryReport(report)];
  // Which partitions a failed claim expected and which it got: the first thing to look at.
  for (const c of checks) {
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
  for (const [query, m] of firstError) lines.push(`first error of ${query}: ${m}`);
  const ok = report.errors === 0 && report.queries.every((q) => q.literal.ok && q.generic.ok);
  return { report, text: lines.join('\n'), ok };
}

const sample = (names: string[]): string =>
  names.length === 0 ? '-' : names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, ...`;
