/** What `gen verify` prints while it runs and at the end, and its `--json FILE`. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChunkVerdict, IntegrityCheck, IntegrityResult } from '../verify/index.js';

export const secs = (ms: number): string => (ms / 1000).toFixed(1);

/** `name 12,345 ms, ...`: the n slowest checks, slowest first. */
export function slowest(results: readonly IntegrityResult[], n: number): string {
  return [...results]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((r) => `${r.name} ${Math.round(r.ms).toLocaleString('en-US')} ms`)
    .join(', ');
}

/** The progress of both phases, fed by their callbacks, as one line: chunks, rows, the checks running, k/N. */
export function verifyProgress(
  chunksTotal: number,
  checksTotal: number,
): {
  chunkDone: (v: ChunkVerdict) => void;
  checkStarted: (c: IntegrityCheck) => void;
  checkDone: (r: IntegrityResult) => void;
  line: () => string;
} {
  const t0 = performance.now();
  let chunks = 0;
  let rows = 0;
  let checks = 0;
  const running = new Set<string>();
  return {
    chunkDone: (v) => {
      chunks++;
      rows += v.actualRows;
    },
    checkStarted: (c) => {
      running.add(c.name);
    },
    checkDone: (r) => {
      checks++;
      running.delete(r.name);
    },
    line: () => {
      const now = running.size > 0 ? ` (${[...running].join(', ')})` : '';
      return (
        `gen verify: ${chunks}/${chunksTotal} partitions, ${rows.toLocaleString('en-US')} rows; ` +
        `checks ${checks}/${checksTotal}${now}; ${secs(performance.now() - t0)} s`
      );
    },
  };
}

/** `gen verify --json FILE`: the verdicts and timings of both phases (ms since the phases started). */
interface VerifyJson {
  schema: string;
  /** the run the schema holds, as the ledger describes it */
  run: string;
  jobs: number;
  totalMs: number;
  chunks: {
    /** the chunks compared: all the window's, less the retired ones */
    total: number;
    /** partitions gen live --retention retired: not compared */
    retired: number;
    ok: number;
    rows: number;
    ms: number;
    differing: { partition: string; problem: string }[];
  };
  checks: {
    /** why some integrity checks were not run (a schema gen live --retention has retired hours of) */
    notRun?: string;
    /** the checks not run, by name */
    left?: string[];
    total: number;
    ok: number;
    ms: number;
    results: { name: string; ok: boolean; offending: number; ms: number }[];
  };
}

/** Written to a temporary name and renamed: a crash never leaves half a file. */
export async function writeVerifyJson(file: string, report: VerifyJson): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(tmp, file);
}
