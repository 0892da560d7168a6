/**
 * `gen query`: the EXPLAIN pruning checks, then the concurrent load. Returns the report, the checks (which
 * partitions a failed claim expected and which it got) and each query's first error; the reporter
 * (src/report/query-text.ts) turns them into the terminal text. `ok` is false when a pruning claim failed or
 * a query errored, for the exit code.
 */
import type { QueryCheck } from './explain.js';
import type { QueryReport } from './types.js';
import { runWorkload, type WorkloadOptions } from './workload.js';

export type QueryCommandOptions = Omit<WorkloadOptions, 'onError' | 'onChecks' | 'checks'>;

export interface QueryCommandResult {
  report: QueryReport;
  checks: readonly QueryCheck[];
  /** query name -> the first line of its first error, in the order the errors happened */
  firstErrors: ReadonlyMap<string, string>;
  ok: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

export async function runQueryCommand(o: QueryCommandOptions): Promise<QueryCommandResult> {
  const firstErrors = new Map<string, string>();
  let checks: readonly QueryCheck[] = [];
  const report = await runWorkload({
    ...o,
    onChecks: (c) => {
      checks = c;
    },
    onError: (query, e) => {
      if (!firstErrors.has(query)) firstErrors.set(query, message(e));
    },
  });
  const ok = report.errors === 0 && report.queries.every((q) => q.literal.ok && q.generic.ok);
  return { report, checks, firstErrors, ok };
}
