/** A load's summary as the report's LoadReport: rates, and chunk COPY time percentiles per table. */
import type { LoadSummary } from '../load/stats.js';
import { Latencies } from '../query/latencies.js';
import type { LoadReport, TableLoad } from './types.js';

export function toLoadReport(s: LoadSummary, schema: string): LoadReport {
  const all = new Latencies();
  const perTable = new Map<string, Latencies>();
  for (const c of s.chunks) {
    all.record(c.copyMs);
    let l = perTable.get(c.table);
    if (!l) {
      l = new Latencies();
      perTable.set(c.table, l);
    }
    l.record(c.copyMs);
  }
  const tables: Record<string, TableLoad> = {};
  for (const [name, t] of Object.entries(s.tables)) {
    const chunkMs = perTable.get(name);
    // s.tables is summed from s.chunks, so every table has chunks
    if (chunkMs === undefined) throw new Error(`internal: table ${name} has totals but no chunks`);
    tables[name] = { ...t, chunkMs: chunkMs.summary() };
  }
  const loadSecs = Math.max(1e-9, (s.wallMs - s.ddlMs - s.fkMs) / 1000);
  return {
    layout: s.layout,
    schema,
    copyFormat: s.copyFormat,
    jobs: s.jobs,
    rows: s.rows,
    bytes: s.bytes,
    chunks: s.partitions,
    wallMs: s.wallMs,
    ddlMs: s.ddlMs,
    genMs: s.genMs,
    copyMs: s.copyMs,
    rowsPerSec: s.rows / loadSecs,
    mbPerSec: s.bytes / 1e6 / loadSecs,
    chunkMs: all.summary(),
    tables,
    samples: s.samples,
    partitions: s.chunks.map((c) => {
      const secs = Math.max(1e-9, (c.genMs + c.copyMs) / 1000);
      return { ...c, rowsPerSec: c.rows / secs, mbPerSec: c.bytes / 1e6 / secs };
    }),
    fkMs: s.fkMs,
    ...(s.analyzeMs !== undefined ? { analyzeMs: s.analyzeMs } : {}),
    skipped: s.skipped,
    ...(s.serverSide ? { serverSide: s.serverSide } : {}),
  };
}
