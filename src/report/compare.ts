/**
 * `gen compare a.json b.json`: two runs side by side, one row per figure, with b/a and whether that is an
 * improvement. Figures are flattened to paths (`load.rowsPerSec`, `queries.<name>.latencyMs.p95`,
 * `layouts.<layout>.sizeBytes`, `live.types.<type>.latency.p99`, `liveLayouts.<layout>.lag.p99`) so a
 * script can grep them; queries, tables, layouts and transaction types are matched by name, not position,
 * and a figure only one run has is listed as such.
 */
import { textTable } from './text-table.js';
import type {
  LiveReport,
  LoadReport,
  Percentiles,
  PlanCheck,
  QueryReport,
  RunReport,
  ServerSide,
} from './types.js';

/**
 * Which way is good: throughput up, times and sizes down; neither for what varies from run to run without
 * being better (queries run in a duration, a live run's wall time). `exact`: what describes the run itself (its
 * scenario, settings, rows, bytes, partitions): any difference is a change, however small (a seed that draws
 * 2% more users is another data set, not noise).
 */
export type Direction = 'higher' | 'lower' | 'neutral' | 'exact';

export type Verdict = 'better' | 'worse' | 'same' | 'changed' | 'only-a' | 'only-b';

export interface CompareRow {
  figure: string;
  /** null when run a does not have this figure */
  a: number | string | null;
  b: number | string | null;
  /** b / a for numbers both runs have, null otherwise (text, missing, or a = 0) */
  ratio: number | null;
  better: Direction;
  verdict: Verdict;
}

/**
 * Beyond ±5% a change is called better or worse. Run-to-run noise on a shared machine is larger than that
 * (see measured-facts: ±15–30%), so the marker says "look here", not "this is significant".
 */
export const THRESHOLD = 0.05;

type Value = number | string;
type Figures = Map<string, { value: Value; better: Direction }>;

function percentileFigures(out: Figures, prefix: string, p: Percentiles, withCount = true): void {
  if (withCount) out.set(`${prefix}.count`, { value: p.count, better: 'neutral' });
  for (const k of ['mean', 'p50', 'p95', 'p99', 'max'] as const) {
    out.set(`${prefix}.${k}`, { value: p[k], better: 'lower' });
  }
}

function loadFigures(out: Figures, prefix: string, l: LoadReport): void {
  const set = (k: string, value: Value, better: Direction): void => {
    out.set(`${prefix}.${k}`, { value, better });
  };
  set('layout', l.layout, 'exact');
  if (l.copyFormat !== undefined) set('copyFormat', l.copyFormat, 'exact');
  set('jobs', l.jobs, 'exact');
  set('rows', l.rows, 'exact');
  set('bytes', l.bytes, 'exact');
  set('chunks', l.chunks, 'exact');
  set('wallMs', l.wallMs, 'lower');
  set('ddlMs', l.ddlMs, 'lower');
  set('genMs', l.genMs, 'lower');
  set('copyMs', l.copyMs, 'lower');
  if (l.fkMs !== undefined) set('fkMs', l.fkMs, 'lower');
  if (l.analyzeMs !== undefined) set('analyzeMs', l.analyzeMs, 'lower');
  set('rowsPerSec', l.rowsPerSec, 'higher');
  set('mbPerSec', l.mbPerSec, 'higher');
  percentileFigures(out, `${prefix}.chunkMs`, l.chunkMs);
  for (const [name, t] of Object.entries(l.tables)) {
    const tp = `tables.${name}`;
    set(`${tp}.rows`, t.rows, 'exact');
    set(`${tp}.bytes`, t.bytes, 'exact');
    set(`${tp}.partitions`, t.partitions, 'exact');
    set(`${tp}.genMs`, t.genMs, 'lower');
    set(`${tp}.copyMs`, t.copyMs, 'lower');
    percentileFigures(out, `${prefix}.${tp}.chunkMs`, t.chunkMs);
  }
  if (l.serverSide) serverFigures(out, `${prefix}.serverSide`, l.serverSide);
}

/** The server's side: what the run cost the server, so lower is better; sizes per table by name. */
function serverFigures(out: Figures, prefix: string, s: ServerSide): void {
  const set = (k: string, value: number | null): void => {
    if (value !== null) out.set(`${prefix}.${k}`, { value, better: 'lower' });
  };
  set('walBytes', s.walBytes);
  set('walPositionBytes', s.walPositionBytes);
  set('walRecords', s.walRecords);
  set('walFullPageImages', s.walFullPageImages);
  set('checkpointsTimed', s.checkpointsTimed);
  set('checkpointsRequested', s.checkpointsRequested);
  set('buffersWrittenBackend', s.buffersWrittenBackend);
  set('buffersWrittenCheckpointer', s.buffersWrittenCheckpointer);
  set('buffersWrittenBgwriter', s.buffersWrittenBgwriter);
  set('autovacuumRuns', s.autovacuumRuns);
  set('autoanalyzeRuns', s.autoanalyzeRuns);
  for (const t of s.tables) {
    set(`tables.${t.table}.bytes`, t.bytes);
    set(`tables.${t.table}.indexBytes`, t.indexBytes);
  }
}

function planFigures(out: Figures, prefix: string, c: PlanCheck): void {
  out.set(`${prefix}.partitionsScanned`, { value: c.partitionsScanned, better: 'lower' });
  out.set(`${prefix}.partitionsExpected`, { value: c.partitionsExpected, better: 'exact' });
  out.set(`${prefix}.partitionsTotal`, { value: c.partitionsTotal, better: 'exact' });
  out.set(`${prefix}.subplansRemoved`, { value: c.subplansRemoved, better: 'exact' });
  out.set(`${prefix}.planningMs`, { value: c.planningMs, better: 'lower' });
  out.set(`${prefix}.executionMs`, { value: c.executionMs, better: 'lower' });
  // text, not 1/0: a ratio of a pass/fail is meaningless, but a flip from PASS to FAIL must stand out
  out.set(`${prefix}.ok`, { value: c.ok ? 'PASS' : 'FAIL', better: 'higher' });
}

function queryFigures(out: Figures, prefix: string, q: QueryReport): void {
  out.set(`${prefix}.clients`, { value: q.clients, better: 'exact' });
  // measured: the run's wall time (--duration or --count set it)
  out.set(`${prefix}.durationMs`, { value: q.durationMs, better: 'neutral' });
  if (q.rate !== undefined) out.set(`${prefix}.rate`, { value: q.rate, better: 'exact' });
  out.set(`${prefix}.qps`, { value: q.qps, better: 'higher' });
  out.set(`${prefix}.errors`, { value: q.errors, better: 'lower' });
  const seen = new Map<string, number>();
  for (const r of q.queries) {
    // two queries with one name would overwrite each other's figures: number the repeats
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    const qp = `${prefix}.${n === 1 ? r.name : `${r.name}#${n}`}`;
    percentileFigures(out, `${qp}.latencyMs`, r.latencyMs);
    // the same queries as latencyMs: their count once is enough
    if (r.serverMs !== undefined) percentileFigures(out, `${qp}.serverMs`, r.serverMs, false);
    if (r.clientMs !== undefined) percentileFigures(out, `${qp}.clientMs`, r.clientMs, false);
    out.set(`${qp}.count`, { value: r.count, better: 'neutral' });
    out.set(`${qp}.qps`, { value: r.qps, better: 'higher' });
    out.set(`${qp}.errors`, { value: r.errors, better: 'lower' });
    planFigures(out, `${qp}.literal`, r.literal);
    planFigures(out, `${qp}.generic`, r.generic);
  }
}

/**
 * A live run: per transaction type its latency from the schedule (and the database's share), lag, late and
 * failed transactions, the partition maintenance per operation, the dashboards meanwhile, the server's side.
 */
function liveFigures(out: Figures, prefix: string, l: LiveReport): void {
  const set = (k: string, value: Value, better: Direction): void => {
    out.set(`${prefix}.${k}`, { value, better });
  };
  set('speed', l.speed, 'exact');
  set('writers', l.writers, 'exact');
  set('pipelineDepth', l.pipelineDepth ?? 1, 'exact');
  set('premakeHours', l.premakeHours, 'exact');
  set('retentionHours', l.retentionHours === null ? 'none' : String(l.retentionHours), 'exact');
  set('finished', l.finished ? 'yes' : 'no', 'exact');
  set('transactions', l.transactions, 'exact');
  set('rows', l.rows, 'exact');
  // the schedule sets a live run's length (hours / speed): shorter is not better; falling behind shows in lag
  set('elapsedMs', l.elapsedMs, 'neutral');
  // a resumed run played from later and skipped the snapshot (and the partitions made before): another run's
  // figures, said first; its missing snapshot is not a faster one
  set('resumed', l.resumed ? 'yes' : 'no', 'exact');
  set('playedFrom', l.playedFrom, 'exact');
  set('snapshot.rows', l.snapshot.rows, 'exact');
  if (l.snapshot.rows > 0) set('snapshot.ms', l.snapshot.ms, 'lower');
  set('late', l.late, 'lower');
  percentileFigures(out, `${prefix}.lag`, l.lag);
  for (const t of l.types) {
    set(`types.${t.type}.late`, t.late, 'lower');
    set(`types.${t.type}.errors`, t.errors, 'lower');
    percentileFigures(out, `${prefix}.types.${t.type}.latency`, t.latency);
    percentileFigures(out, `${prefix}.types.${t.type}.service`, t.service);
  }
  for (const o of l.maintenance.ops) {
    // not exact: the keeper's last tick before the window's end lands where the timing puts it
    set(`maintenance.${o.op}.count`, o.count, 'neutral');
    set(`maintenance.${o.op}.totalMs`, o.totalMs, 'lower');
    set(`maintenance.${o.op}.maxMs`, o.maxMs, 'lower');
    set(`maintenance.${o.op}.blocked`, o.blocked, 'lower');
    if (o.waitedMs !== undefined) set(`maintenance.${o.op}.waitedMs`, o.waitedMs, 'lower');
  }
  for (const [kind, n] of Object.entries(l.errors)) set(`errors.${kind}`, n, 'lower');
  for (const q of l.dashboards?.queries ?? []) {
    set(`dashboards.${q.name}.errors`, q.errors, 'lower');
    percentileFigures(out, `${prefix}.dashboards.${q.name}.latencyMs`, q.overall);
    // the same queries as latencyMs: their count once is enough
    if (q.serverMs !== undefined)
      percentileFigures(out, `${prefix}.dashboards.${q.name}.serverMs`, q.serverMs, false);
    if (q.clientMs !== undefined)
      percentileFigures(out, `${prefix}.dashboards.${q.name}.clientMs`, q.clientMs, false);
  }
  if (l.serverSide) serverFigures(out, `${prefix}.serverSide`, l.serverSide);
}

/** A report's parts, by the command that writes each: two reports are compared on the parts they share. */
const PARTS = [
  ['load', 'a load (gen)'],
  ['queries', 'queries (gen query)'],
  ['layouts', 'layouts side by side (gen bench)'],
  ['live', 'a live run (gen live)'],
  ['liveLayouts', 'live runs side by side (gen bench --live)'],
] as const satisfies readonly (readonly [keyof RunReport, string])[];

function partsOf(r: RunReport): string[] {
  return PARTS.filter(([k]) => r[k] !== undefined).map(([, what]) => what);
}

/**
 * Why two reports cannot be compared (they share no part: a load's report and a query run's), or null. Their
 * scenario and server alone would make a table of "only in a" / "only in b" and nothing compared.
 */
export function incomparable(a: RunReport, b: RunReport, names: [string, string]): string | null {
  const [pa, pb] = [partsOf(a), partsOf(b)];
  if (pa.some((p) => pb.includes(p))) return null;
  const has = (name: string, parts: string[]): string =>
    `${name} holds ${parts.length > 0 ? parts.join(' and ') : 'no run'}`;
  return `${has(names[0], pa)}, ${has(names[1], pb)}: nothing to compare; expected two reports of the same kind of run`;
}

/** Every figure of a report, in report order. */
function reportFigures(r: RunReport): Figures {
  const out: Figures = new Map();
  const ctx = (k: string, value: Value): void => {
    out.set(k, { value, better: 'exact' });
  };
  ctx('tool.version', r.tool.version);
  ctx('scenario.name', r.scenario.name);
  // a seed is a name for a data set, not a quantity: compared as text
  ctx('scenario.seed', String(r.scenario.seed));
  ctx('scenario.scale', r.scenario.scale);
  ctx('scenario.hours', r.scenario.hours);
  ctx('scenario.start', r.scenario.start);
  if (r.server) {
    ctx('server.version', r.server.version);
    for (const [k, v] of Object.entries(r.server.settings)) ctx(`server.settings.${k}`, v);
  }
  if (r.load) loadFigures(out, 'load', r.load);
  if (r.queries) queryFigures(out, 'queries', r.queries);
  for (const l of r.layouts ?? []) {
    const lp = `layouts.${l.layout}`;
    out.set(`${lp}.sizeBytes`, { value: l.sizeBytes, better: 'lower' });
    loadFigures(out, `${lp}.load`, l.load);
    queryFigures(out, `${lp}.queries`, l.queries);
  }
  if (r.live) liveFigures(out, 'live', r.live);
  for (const l of r.liveLayouts ?? []) {
    liveFigures(out, `liveLayouts.${l.layout}`, l.live);
    // --find-speed: the highest speed it sustained (a layout where none passed has no figure)
    if (l.maxSpeed?.speed != null)
      out.set(`liveLayouts.${l.layout}.maxSpeed`, { value: l.maxSpeed.speed, better: 'higher' });
  }
  return out;
}

/**
 * The union of both key lists, in a's order, with b's extra keys placed after the key they follow in b, so a
 * query only b has appears next to its neighbours rather than at the end.
 */
function mergeOrder(a: string[], b: string[]): string[] {
  const inA = new Map(a.map((k, i) => [k, i]));
  const out: string[] = [];
  let i = 0;
  for (const k of b) {
    const j = inA.get(k);
    if (j === undefined) {
      out.push(k);
    } else if (j >= i) {
      out.push(...a.slice(i, j + 1));
      i = j + 1;
    }
  }
  out.push(...a.slice(i));
  return out;
}

function verdictOf(a: Value, b: Value, ratio: number | null, better: Direction): Verdict {
  if (a === b) return 'same';
  if (better === 'exact') return 'changed';
  if (typeof a === 'string' || typeof b === 'string') {
    if (better === 'neutral') return 'changed';
    // the only directed text figure is PASS/FAIL
    return b === 'PASS' ? 'better' : 'worse';
  }
  if (ratio !== null && Math.abs(ratio - 1) <= THRESHOLD) return 'same';
  if (better === 'neutral') return 'changed';
  return b > a === (better === 'higher') ? 'better' : 'worse';
}

export function compareReports(a: RunReport, b: RunReport): CompareRow[] {
  const fa = reportFigures(a);
  const fb = reportFigures(b);
  return mergeOrder([...fa.keys()], [...fb.keys()]).map((figure): CompareRow => {
    const x = fa.get(figure);
    const y = fb.get(figure);
    if (x === undefined) {
      // mergeOrder only lists keys of a or b
      if (y === undefined) throw new Error(`compareReports: ${figure} is in neither report`);
      return { figure, a: null, b: y.value, ratio: null, better: y.better, verdict: 'only-b' };
    }
    const better = x.better;
    if (y === undefined) return { figure, a: x.value, b: null, ratio: null, better, verdict: 'only-a' };
    const ratio =
      typeof x.value === 'number' && typeof y.value === 'number' && x.value !== 0 ? y.value / x.value : null;
    return {
      figure,
      a: x.value,
      b: y.value,
      ratio,
      better,
      verdict: verdictOf(x.value, y.value, ratio, better),
    };
  });
}

/** Integers with separators, small values with enough digits to tell 0.04 ms from 0.4 ms. */
function formatValue(v: Value | null): string {
  if (v === null) return 'missing';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v) || Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

const MARK: Record<Verdict, string> = {
  better: '+ better',
  worse: '- worse',
  same: '',
  changed: '~ changed',
  'only-a': 'only in a',
  'only-b': 'only in b',
};

export interface FormatOptions {
  /** leave out figures that are the same (within ±5%) in both runs */
  changedOnly?: boolean;
  /** column headers for the two runs, e.g. the file names */
  names?: [string, string];
}

/** A terminal table: figure, a, b, b/a to 2 decimals, and a marker; then a one-line tally. */
export function formatComparison(rows: CompareRow[], opts: FormatOptions = {}): string {
  const [na, nb] = opts.names ?? ['a', 'b'];
  const shown = opts.changedOnly ? rows.filter((r) => r.verdict !== 'same') : rows;
  const table: string[][] = [['figure', na, nb, 'b/a', '']];
  for (const r of shown) {
    const ratio =
      r.ratio !== null ? r.ratio.toFixed(2) : typeof r.a === 'string' || typeof r.b === 'string' ? '' : '-';
    table.push([r.figure, formatValue(r.a), formatValue(r.b), ratio, MARK[r.verdict]]);
  }
  const lines =
    shown.length === 0
      ? ['no figure differs (measurements by more than ±5%); --all lists them']
      : [textTable(table, (i) => i !== 0 && i !== 4)];
  const n = (v: Verdict): number => rows.filter((r) => r.verdict === v).length;
  const missing = n('only-a') + n('only-b');
  lines.push(
    '',
    `${rows.length} figures: ${n('better')} better, ${n('worse')} worse beyond ±${THRESHOLD * 100}%, ` +
      `${n('changed')} other changes, ${missing} in one run only` +
      (opts.changedOnly ? `; ${rows.length - shown.length} the same not shown` : ''),
  );
  return lines.join('\n');
}
