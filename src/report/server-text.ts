/** The server's side of a run in a few terminal lines (gen, gen bench; gen live reuses it). */

import { plural } from '../plural.js';
import type { ServerSide } from './types.js';

/** 812 kB, 41.2 MB, 1.24 GB: decimal units, as the rest of the reports (MB = 1e6 bytes). */
export function fmtBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  return `${Math.round(b / 1e3)} kB`;
}

/**
 * `server: 1.24 GB WAL (3,100 full-page images), 3 checkpoints (1 requested), backends wrote 0.41 GB of
 * 1.10 GB buffers, 12 autovacuums, 20 autoanalyzes` and the schema's size on disk.
 */
export function formatServerSide(s: ServerSide): string {
  const fpi = s.walFullPageImages === null ? '' : ` (${plural(s.walFullPageImages, 'full-page image')})`;
  const checkpoints = s.checkpointsTimed + s.checkpointsRequested;
  const block = s.blockSize;
  const written = (s.buffersWrittenBackend ?? 0) + s.buffersWrittenCheckpointer + s.buffersWrittenBgwriter;
  const backends =
    s.buffersWrittenBackend === null
      ? `${fmtBytes(written * block)} of buffers written by the checkpointer and bgwriter`
      : `backends wrote ${fmtBytes(s.buffersWrittenBackend * block)} of ${fmtBytes(written * block)} buffers`;
  const bytes = s.tables.reduce((a, t) => a + t.bytes, 0);
  const indexBytes = s.tables.reduce((a, t) => a + t.indexBytes, 0);
  return [
    `server: ${fmtBytes(s.walBytes)} WAL${fpi}, ${plural(checkpoints, 'checkpoint')} ` +
      `(${s.checkpointsRequested.toLocaleString('en-US')} requested), ${backends}, ` +
      `${plural(s.autovacuumRuns, 'autovacuum')}, ${plural(s.autoanalyzeRuns, 'autoanalyze')}`,
    `on disk: ${fmtBytes(bytes)} in ${plural(s.tables.length, 'table')} (indexes ${fmtBytes(indexBytes)}); ` +
      `from ${s.source}`,
  ].join('\n');
}
