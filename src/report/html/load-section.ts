/** The Load section: headline figures, where the time went, throughput over time and a row per table. */
import type { LoadReport } from '../types.js';
import { esc, fmtFixed, fmtInt, fmtMB, fmtMs, fmtS } from './format.js';
import { kpis, table, td, th } from './page-kit.js';
import { serverSideBlock } from './server-section.js';
import { throughputChart } from './throughput-chart.js';

/** what a load's bytes are: its COPY's wire format (older reports did not say) */
function bytesOf(load: LoadReport): string {
  if (load.copyFormat === 'binary') return 'bytes sent by COPY (binary format)';
  if (load.copyFormat === 'csv') return 'CSV bytes (sent by COPY, or written to --out files)';
  return 'bytes sent by COPY';
}

export function loadSection(load: LoadReport): string {
  const rowSecs = (load.wallMs - load.ddlMs) / 1000;
  const genCopy = load.genMs + load.copyMs;
  const genShare = genCopy > 0 ? load.genMs / genCopy : 0;
  const summary = [
    ['rows', fmtInt(load.rows), `${fmtInt(load.chunks)} chunks in ${Object.keys(load.tables).length} tables`],
    ['data', `${fmtMB(load.bytes)} MB`, bytesOf(load)],
    [
      'wall time',
      `${fmtS(load.wallMs)} s`,
      `schema and partitions ${fmtS(load.ddlMs)} s, rows ${fmtFixed(rowSecs, 2)} s`,
    ],
    ...(load.analyzeMs !== undefined
      ? [['VACUUM (ANALYZE)', `${fmtS(load.analyzeMs)} s`, 'of the loaded tables, after the wall time above']]
      : []),
    ['throughput', `${fmtInt(load.rowsPerSec)} rows/s`, 'rows ÷ row-loading time'],
    ['', `${fmtFixed(load.mbPerSec, 1)} MB/s`, ''],
    ['generation', `${fmtS(load.genMs)} s`, 'client CPU inside the generator, summed over streams'],
    [
      'COPY',
      `${fmtS(load.copyMs)} s`,
      'chunk wall time minus generation (server, socket, backpressure), summed over streams',
    ],
    [
      'generation : COPY',
      `<span class="split" title="generation ${fmtFixed(genShare * 100, 0)}%"><span style="width:${fmtFixed(genShare * 100, 1)}%"></span></span>`,
      `<span class="sw gen"></span>generation ${fmtFixed(genShare * 100, 0)}% · <span class="sw copy"></span>COPY ${fmtFixed((1 - genShare) * 100, 0)}% of their sum`,
    ],
    ['parallel streams', String(load.jobs), `layout ${esc(load.layout)}, schema ${esc(load.schema)}`],
    [
      'chunk COPY',
      `p50 ${fmtMs(load.chunkMs.p50)} ms`,
      `p95 ${fmtMs(load.chunkMs.p95)}, p99 ${fmtMs(load.chunkMs.p99)}, max ${fmtMs(load.chunkMs.max)} ms over ${fmtInt(load.chunkMs.count)} chunks`,
    ],
  ].map(
    ([k, v, note]) =>
      `<tr><th scope="row">${k}</th><td class="num">${v}</td><td class="note">${note}</td></tr>`,
  );

  const perTable = Object.entries(load.tables).map(([name, t]) =>
    td([
      `<code>${esc(name)}</code>`,
      fmtInt(t.partitions),
      fmtInt(t.rows),
      fmtMB(t.bytes),
      fmtS(t.genMs),
      fmtS(t.copyMs),
      fmtMs(t.chunkMs.p50),
      fmtMs(t.chunkMs.p95),
      fmtMs(t.chunkMs.p99),
      fmtMs(t.chunkMs.max),
    ]),
  );
  perTable.push(
    `<tr class="total">${[
      'total',
      // the tables' partitions, as the terminal's total (not the chunks: a daily leaf holds 24)
      fmtInt(Object.values(load.tables).reduce((n, t) => n + t.partitions, 0)),
      fmtInt(load.rows),
      fmtMB(load.bytes),
      fmtS(load.genMs),
      fmtS(load.copyMs),
      fmtMs(load.chunkMs.p50),
      fmtMs(load.chunkMs.p95),
      fmtMs(load.chunkMs.p99),
      fmtMs(load.chunkMs.max),
    ]
      .map((c) => `<td>${c}</td>`)
      .join('')}</tr>`,
  );

  return `<section id="load">
<h2>Load</h2>
${kpis([
  [fmtInt(load.rows), 'rows'],
  [fmtMB(load.bytes), 'MB'],
  [fmtS(load.wallMs), 'seconds'],
  [fmtInt(load.rowsPerSec), 'rows/s'],
  [fmtFixed(load.mbPerSec, 1), 'MB/s'],
])}
<div class="table-wrap"><table class="kv"><tbody>${summary.join('')}</tbody></table></div>
<figure><figcaption>Throughput over time <span>rows/s between consecutive samples; the dashed line is the run's average: rows ÷ row-loading time, the schema's creation left out</span></figcaption>
${throughputChart(load)}</figure>
<h3>Per table</h3>
${table(
  `<tr><th rowspan="2">table</th><th rowspan="2">partitions</th><th rowspan="2">rows</th><th rowspan="2">MB</th><th rowspan="2">gen s</th><th rowspan="2">copy s</th><th colspan="4" class="group">chunk COPY, ms</th></tr>${th(['p50', 'p95', 'p99', 'max'])}`,
  perTable,
  'numeric',
)}
${load.serverSide ? serverSideBlock(load.serverSide) : ''}
</section>`;
}
