/** The server's side of a load: what the statistics views say the server did, and the schema's size on disk. */
import type { ServerSide, TableSize } from '../types.js';
import { esc, fmtInt, fmtMB } from './format.js';
import { table, td, th } from './page-kit.js';

/** `span`: when the statistics were read, e.g. before the first COPY and after the last (a load) */
export function serverSideBlock(s: ServerSide, span = 'before the first COPY and after the last'): string {
  const mb = (buffers: number): string => `${fmtMB(buffers * s.blockSize)} MB`;
  const written = (s.buffersWrittenBackend ?? 0) + s.buffersWrittenCheckpointer + s.buffersWrittenBgwriter;
  const rows: [string, string, string][] = [
    [
      'WAL written',
      `${fmtMB(s.walBytes)} MB`,
      `${s.walRecords === null ? '' : `${fmtInt(s.walRecords)} records, `}${
        s.walFullPageImages === null ? '' : `${fmtInt(s.walFullPageImages)} full-page images; `
      }the WAL position advanced ${fmtMB(s.walPositionBytes)} MB (whole server, all databases)`,
    ],
    [
      'checkpoints',
      fmtInt(s.checkpointsTimed + s.checkpointsRequested),
      `${fmtInt(s.checkpointsTimed)} timed, ${fmtInt(s.checkpointsRequested)} requested (WAL past max_wal_size, or asked for)`,
    ],
    [
      'buffers written',
      mb(written),
      `${s.buffersWrittenBackend === null ? 'backends: not reported' : `backends ${mb(s.buffersWrittenBackend)}`}, checkpointer ${mb(s.buffersWrittenCheckpointer)}, background writer ${mb(s.buffersWrittenBgwriter)}`,
    ],
    [
      'autovacuum',
      fmtInt(s.autovacuumRuns),
      `runs on the schema's tables; ${fmtInt(s.autoanalyzeRuns)} autoanalyze runs`,
    ],
  ];
  const kv = rows
    .map(
      ([k, v, note]) =>
        `<tr><th scope="row">${k}</th><td class="num">${v}</td><td class="note">${note}</td></tr>`,
    )
    .join('');
  const sizes = s.tables.map((t) =>
    td([`<code>${esc(t.table)}</code>`, fmtMB(t.bytes), fmtMB(t.indexBytes), fmtMB(t.bytes - t.indexBytes)]),
  );
  const total = (f: (t: TableSize) => number): string => fmtMB(s.tables.reduce((a, t) => a + f(t), 0));
  sizes.push(
    `<tr class="total"><td>total</td><td>${total((t) => t.bytes)}</td><td>${total((t) => t.indexBytes)}</td><td>${total((t) => t.bytes - t.indexBytes)}</td></tr>`,
  );
  // ≤15 counted a sync request per block a backend added to a relation as a backend write (pg_stat_io fixed it)
  const extends15 = s.source.includes('pg_stat_io')
    ? ''
    : ' This server (≤15) counts the blocks backends added to relations among their writes.';
  return `<h3>Server side</h3>
<p class="note">From the statistics views ${esc(span)} (${esc(s.source)}). WAL, checkpoints and buffer writes are the whole server's.${extends15}</p>
<div class="table-wrap" data-testid="server-side"><table class="kv"><tbody>${kv}</tbody></table></div>
${table(th(['table', 'MB on disk', 'indexes MB', 'heap and TOAST MB']), sizes, 'numeric')}`;
}
