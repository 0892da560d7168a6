/** Load summaries for people: a table per table, totals, and generation time kept apart from database time. */

import type { Progress } from '../load/run.js';
import type { LoadSummary } from '../load/stats.js';
import { percentiles } from '../query/latencies.js';
import { formatServerSide } from './server-text.js';
import { textTable } from './text-table.js';

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMB = (b: number): string => (b / 1e6).toFixed(1);
const fmtS = (ms: number): string => (ms / 1000).toFixed(2);

export function formatSummary(s: LoadSummary): string {
  const rows: string[][] = [['table', 'partitions', 'rows', 'MB', 'gen s', 'copy s']];
  for (const [name, t] of Object.entries(s.tables)) {
    rows.push([name, String(t.partitions), fmtInt(t.rows), fmtMB(t.bytes), fmtS(t.genMs), fmtS(t.copyMs)]);
  }
  // the tables' partitions (a load's layout's), not its chunks (s.partitions: a partition loaded in slices is several)
  let partitions = 0;
  for (const t of Object.values(s.tables)) partitions += t.partitions;
  rows.push(['total', String(partitions), fmtInt(s.rows), fmtMB(s.bytes), fmtS(s.genMs), fmtS(s.copyMs)]);
  const secs = s.wallMs / 1000;
  const loadSecs = (s.wallMs - s.ddlMs) / 1000;
  return [
    textTable(rows, (i) => i !== 0),
    '',
    `${fmtInt(s.rows)} rows, ${fmtMB(s.bytes)} MB (${s.copyFormat === 'binary' ? 'binary COPY' : 'CSV'}) into ${s.target} in ${secs.toFixed(2)} s ` +
      `(schema and partitions ${fmtS(s.ddlMs)} s, rows ${loadSecs.toFixed(2)} s)`,
    `throughput: ${fmtInt(s.rows / loadSecs)} rows/s, ${fmtMB(s.bytes / loadSecs)} MB/s; ` +
      `generation ${fmtS(s.genMs)} s of client CPU, COPY ${fmtS(s.copyMs)} s summed over streams`,
    chunkLine(s),
    ...(s.byOthers > 0
      ? [`${s.byOthers} chunks of this process's list were loaded by other gen processes meanwhile`]
      : []),
    ...(s.pendingElsewhere !== undefined
      ? [
          `this process's chunks are committed; ${s.pendingElsewhere} chunks of the run are still loading elsewhere: ` +
            'the last process to finish adds the foreign keys and analyzes',
        ]
      : []),
    ...(s.analyzeMs !== undefined
      ? [`VACUUM (ANALYZE) of the schema's tables afterwards: ${fmtS(s.analyzeMs)} s (--no-analyze skips it)`]
      : []),
    ...(s.serverSide ? [formatServerSide(s.serverSide)] : []),
  ].join('\n');
}

/** COPY time per chunk from the HDR histogram: where the slow partitions are. */
function chunkLine(s: LoadSummary): string {
  if (s.chunks.length === 0) return 'no chunks loaded';
  const p = percentiles(s.chunks.map((c) => c.copyMs));
  const slowest = s.chunks.reduce((a, b) => (b.copyMs > a.copyMs ? b : a));
  return (
    `chunk COPY ms: p50 ${p.p50.toFixed(1)}, p95 ${p.p95.toFixed(1)}, p99 ${p.p99.toFixed(1)}, ` +
    `max ${p.max.toFixed(1)} (${slowest.partition}); per chunk figures in --json`
  );
}

export function formatProgress(p: Progress): string {
  const secs = p.elapsedMs / 1000;
  return (
    `${p.chunksDone}/${p.chunksTotal} chunks, ${fmtInt(p.rows)} rows, ${fmtMB(p.bytes)} MB, ` +
    `${fmtInt(p.rows / Math.max(secs, 0.001))} rows/s, ${secs.toFixed(1)} s`
  );
}
