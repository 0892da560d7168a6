/**
 * A realistic RunReport for tests and for working on the HTML without a database: the README's black-friday
 * run (72 hours, 21 tables, 1098 chunks on a 2-core machine), a query workload with one pruning failure, and
 * a `gen bench` comparison of the three built-in layouts. Deterministic (no clock, no Math.random), so
 * snapshots and screenshots do not move between runs.
 */
import { at } from '../at.js';
import { percentiles } from '../query/latencies.js';
import { type FullLive, sampleLive, sampleLiveLayouts } from './sample-live.js';
import { sampleProfile } from './sample-profile.js';
import { sampleServerSide, sampleSettings } from './sample-server.js';
import type {
  LayoutResult,
  LoadReport,
  Percentiles,
  PlanCheck,
  QueryReport,
  QueryResult,
  RunReport,
  TableLoad,
  ThroughputSample,
} from './types.js';

/** table, partitions (= chunks), rows, MB, gen s, copy s: the README's table */
const TABLES: [string, number, number, number, number, number][] = [
  ['global_event', 72, 563_722, 157.1, 1.0, 4.58],
  ['users', 72, 53_719, 15.2, 0.23, 0.8],
  ['shop', 72, 3_250, 1.0, 0.02, 0.25],
  ['global_entity', 72, 1_476_830, 229.4, 2.27, 8.55],
  ['shop_order', 72, 191_778, 56.3, 0.43, 2.09],
  ['shop_product', 72, 167_035, 46.2, 0.7, 1.22],
  ['shop_order_item', 72, 428_279, 114.0, 0.68, 3.31],
  ['shop_order_payment', 72, 179_337, 57.6, 0.45, 2.04],
  ['invoice', 72, 168_722, 47.6, 0.39, 1.6],
  ['invoice_payment', 72, 168_722, 46.0, 0.37, 1.64],
  ['shop_promotion', 72, 1_773, 0.5, 0.02, 0.53],
  ['shop_review', 72, 6_483, 2.4, 0.03, 0.58],
  ['shop_inventory_log', 72, 395_652, 102.3, 0.54, 4.07],
  ['user_payment_method', 72, 107_732, 22.9, 0.39, 0.78],
  ['request_response_log', 72, 1_438_484, 435.0, 3.02, 13.11],
  ['user_metrics_hourly', 3, 190_711, 36.2, 2.28, 0.95],
  ['user_metrics_daily', 3, 105_284, 20.0, 1.0, 0.82],
  ['shop_metrics_hourly', 3, 83_638, 18.5, 0.4, 1.26],
  ['shop_metrics_daily', 3, 9_179, 2.1, 0.61, 0.29],
  ['shop_product_metrics_hourly', 3, 313_503, 73.8, 1.54, 2.01],
  ['shop_product_metrics_daily', 3, 134_948, 31.9, 1.4, 1.81],
];

/** A fixed pseudo-random value in [0, 1) for index i: the fractional part of i times the golden ratio. */
const jitter = (i: number): number => (i * 0.618_033_988_75) % 1;

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** `n` chunk COPY times averaging `totalMs / n`, with a slow one now and then as real loads have. */
function chunkTimes(totalMs: number, n: number, offset: number): number[] {
  const raw = Array.from({ length: n }, (_, i) => {
    const k = offset + i;
    return (0.55 + 0.9 * jitter(k)) * (k % 37 === 0 ? 3.4 : 1);
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => round((r / sum) * totalMs, 3));
}

/** Cumulative samples every second of the row phase; the rate warms up, wobbles, and dips at a checkpoint. */
function samples(ddlMs: number, wallMs: number, rows: number, bytes: number): ThroughputSample[] {
  const steps = Math.floor((wallMs - ddlMs) / 1000);
  const rate = (k: number): number => {
    const warm = Math.min(1, 0.45 + 0.2 * k);
    const dip = k > steps * 0.55 && k < steps * 0.55 + 3 ? 0.62 : 1;
    return warm * dip * (1 + 0.09 * Math.sin(k * 1.7) + 0.05 * (jitter(k) - 0.5));
  };
  const weights = Array.from({ length: steps + 1 }, (_, k) => (k === 0 ? 0 : rate(k)));
  // the last interval is the remainder of a second
  const last = (wallMs - ddlMs - steps * 1000) / 1000;
  const lastRate = rate(steps + 1) * last;
  const total = weights.reduce((a, b) => a + b, 0) + lastRate;
  const out: ThroughputSample[] = [];
  let acc = 0;
  for (let k = 0; k <= steps; k++) {
    acc += at(weights, k);
    out.push({
      tMs: ddlMs + k * 1000,
      rows: Math.round((acc / total) * rows),
      bytes: Math.round((acc / total) * bytes),
    });
  }
  if (last > 0) out.push({ tMs: wallMs, rows, bytes });
  return out;
}

interface LoadShape {
  layout: string;
  schema: string;
  ddlMs: number;
  wallMs: number;
  /** multiplies every table's COPY time */
  copyFactor: number;
}

function load(shape: LoadShape): LoadReport {
  const tables: Record<string, TableLoad> = {};
  const all: number[] = [];
  let rows = 0;
  let bytes = 0;
  let genMs = 0;
  let copyMs = 0;
  let chunks = 0;
  TABLES.forEach(([name, hourlyParts, tRows, mb, genS, copyS], i) => {
    // one chunk per hour or per day of data, whatever the layout: chunking follows the generator; the
    // sample's `partitions` are those chunks, as a load of the hourly layout counts them (src/load/stats.ts
    // counts the layout's partitions)
    const nChunks = hourlyParts;
    const times = chunkTimes(copyS * 1000 * shape.copyFactor, nChunks, i * 101);
    const tBytes = Math.round(mb * 1e6);
    const tCopy = round(
      times.reduce((a, b) => a + b, 0),
      3,
    );
    tables[name] = {
      rows: tRows,
      bytes: tBytes,
      partitions: nChunks,
      genMs: round(genS * 1000, 3),
      copyMs: tCopy,
      chunkMs: percentiles(times),
    };
    all.push(...times);
    rows += tRows;
    bytes += tBytes;
    genMs += genS * 1000;
    copyMs += tCopy;
    chunks += nChunks;
  });
  const loadSecs = (shape.wallMs - shape.ddlMs) / 1000;
  return {
    layout: shape.layout,
    schema: shape.schema,
    copyFormat: 'binary',
    jobs: 2,
    rows,
    bytes,
    chunks,
    wallMs: shape.wallMs,
    ddlMs: shape.ddlMs,
    genMs: round(genMs, 3),
    copyMs: round(copyMs, 3),
    rowsPerSec: round(rows / loadSecs, 1),
    mbPerSec: round(bytes / 1e6 / loadSecs, 2),
    chunkMs: percentiles(all),
    tables,
    samples: samples(shape.ddlMs, shape.wallMs, rows, bytes),
    serverSide: sampleServerSide(tables, shape.copyFactor),
  };
}

function check(
  scanned: number,
  total: number,
  expected: number,
  planningMs: number,
  executionMs: number,
): PlanCheck {
  // a generic plan prunes at run time: what it does not scan shows up as "Subplans Removed"
  return {
    partitionsScanned: scanned,
    partitionsTotal: total,
    partitionsExpected: expected,
    subplansRemoved: 0,
    planningMs,
    executionMs,
    ok: scanned <= expected,
  };
}

interface QueryShape {
  name: string;
  description: string;
  /** leaf partitions the query's tables have, and what it should scan, per layout */
  total: number;
  expected: number;
  literalMs: [number, number];
  genericMs: [number, number];
  /** generic plan scans more than expected: the sample's pruning failure */
  genericScans?: number;
  p50: number;
}

/** The query workload against the hourly layout; other layouts scale it. */
const QUERIES: QueryShape[] = [
  {
    name: 'orders_in_hour',
    description: 'paid orders of one hour, event_time >= $1 and < $1 + 1 h (bounds computed by the client)',
    total: 72,
    expected: 1,
    literalMs: [0.21, 0.84],
    genericMs: [0.09, 1.02],
    p50: 1.12,
  },
  {
    name: 'revenue_by_hour_6h',
    description: 'revenue per hour over six hours (shop_order, group by date_trunc)',
    total: 72,
    expected: 6,
    literalMs: [0.35, 4.6],
    genericMs: [0.12, 5.1],
    p50: 5.9,
  },
  {
    name: 'order_items_in_hour',
    description: 'orders joined to their items in one hour (shop_order ⋈ shop_order_item)',
    total: 144,
    expected: 2,
    literalMs: [0.52, 2.3],
    genericMs: [0.2, 2.9],
    p50: 3.4,
  },
  {
    name: 'api_errors_15min',
    description: 'API responses with status >= 500 in a 15-minute window (request_response_log)',
    total: 72,
    expected: 1,
    literalMs: [0.24, 1.9],
    genericMs: [0.1, 2.2],
    p50: 2.1,
  },
  {
    name: 'shop_metrics_day',
    description: "one shop's daily metrics for one day (shop_metrics_daily)",
    total: 3,
    expected: 1,
    literalMs: [0.12, 0.06],
    genericMs: [0.05, 0.08],
    p50: 0.42,
  },
  {
    name: 'reviews_last_24h',
    description: "reviews in the 24 hours before $1, lower bound written as $1 - interval '1 day'",
    total: 72,
    expected: 24,
    literalMs: [16.8, 3.1],
    genericMs: [0.4, 9.7],
    genericScans: 72,
    p50: 14.6,
  },
  {
    name: 'user_orders_window',
    description: "one user's orders over the whole window: no time predicate, every partition is scanned",
    total: 72,
    expected: 72,
    literalMs: [19.7, 31.5],
    genericMs: [2.6, 33.8],
    p50: 41.3,
  },
];

interface QueryLayout {
  schema: string;
  /** partitions of an hourly table in this layout; the expected counts scale with it */
  hourlyParts: number;
  /** per query, in QUERIES order: coarser partitions make narrow queries slower and wide ones faster */
  latencyFactors: number[];
  planningFactor: number;
}

const CLIENT_MS = 0.14;

/** p with every figure but the count mapped */
const scaled = (p: Percentiles, f: (v: number) => number): Percentiles => ({
  count: p.count,
  mean: round(f(p.mean), 3),
  p50: round(f(p.p50), 3),
  p95: round(f(p.p95), 3),
  p99: round(f(p.p99), 3),
  max: round(f(p.max), 3),
});

function queries(q: QueryLayout): QueryReport {
  const durationMs = 30_000;
  const rate = 140;
  const perQuery = Math.round((rate * durationMs) / 1000 / QUERIES.length);
  const results: QueryResult[] = QUERIES.map((s, i) => {
    // in a coarser layout an hour-wide query still scans one partition, a window-wide one all of them
    const scale = (n: number): number =>
      s.total === 3
        ? Math.min(n, q.hourlyParts === 1 ? 1 : 3)
        : Math.max(1, Math.ceil((n * q.hourlyParts) / 72));
    const total = scale(s.total);
    const expected = scale(s.expected);
    const genericScanned = s.genericScans === undefined ? expected : scale(s.genericScans);
    const [lp, le] = s.literalMs;
    const [gp, ge] = s.genericMs;
    const p50 = round(s.p50 * (q.latencyFactors[i] ?? 1), 3);
    const errors = i === 5 ? 1 : 0;
    const latency: Percentiles = {
      count: perQuery,
      mean: round(p50 * 1.18, 3),
      p50,
      p95: round(p50 * (2.1 + jitter(i) * 0.6), 3),
      p99: round(p50 * (3.6 + jitter(i + 3) * 1.5), 3),
      max: round(p50 * (6.5 + jitter(i + 7) * 4), 3),
    };
    return {
      name: s.name,
      description: s.description,
      literal: check(expected, total, expected, round(lp * q.planningFactor, 3), le),
      generic: {
        ...check(genericScanned, total, expected, round(gp * q.planningFactor, 3), ge),
        subplansRemoved: total - genericScanned,
      },
      latencyMs: latency,
      // the client's own part: a fraction of a millisecond, most of it building and reading messages
      serverMs: scaled(latency, (v) => Math.max(0, v - CLIENT_MS)),
      clientMs: scaled(latency, () => CLIENT_MS),
      count: perQuery,
      errors,
      qps: round(perQuery / (durationMs / 1000), 2),
    };
  });
  const count = results.reduce((a, r) => a + r.count, 0);
  return {
    schema: q.schema,
    clients: 4,
    durationMs,
    rate,
    arrivals: 'even',
    queries: results,
    qps: round(count / (durationMs / 1000), 2),
    errors: results.reduce((a, r) => a + r.errors, 0),
  };
}

/** A report with every part: tests reach into them without checking for each. */
export type FullReport = RunReport &
  Required<Pick<RunReport, 'server' | 'load' | 'profile' | 'queries' | 'layouts'>> & {
    live: FullLive;
    liveLayouts: { layout: string; schema: string; live: FullLive }[];
  };

/** A fresh copy each call: tests mutate it. */
export function sampleReport(): FullReport {
  const hourly = (schema: string): { load: LoadReport; queries: QueryReport } => ({
    load: load({ layout: 'hourly', schema, ddlMs: 2270, wallMs: 37_350, copyFactor: 1 }),
    queries: queries({ schema, hourlyParts: 72, latencyFactors: [], planningFactor: 1 }),
  });
  const main = hourly('data_playground');
  // `gen bench` loads each layout into its own schema; the hourly one is the same run as the main report
  const layouts: LayoutResult[] = [
    { layout: 'hourly', schema: 'bench_hourly', sizeBytes: 2_093_907_968, ...hourly('bench_hourly') },
    {
      layout: 'daily',
      schema: 'bench_daily',
      sizeBytes: 2_031_616_000,
      load: load({
        layout: 'daily',
        schema: 'bench_daily',
        ddlMs: 140,
        wallMs: 33_910,
        copyFactor: 0.93,
      }),
      queries: queries({
        schema: 'bench_daily',
        hourlyParts: 3,
        latencyFactors: [1.34, 1.12, 1.41, 1.27, 1, 0.93, 0.58],
        planningFactor: 0.35,
      }),
    },
    {
      layout: 'none',
      schema: 'bench_none',
      sizeBytes: 1_998_848_000,
      load: load({
        layout: 'none',
        schema: 'bench_none',
        ddlMs: 35,
        wallMs: 36_080,
        copyFactor: 1.04,
      }),
      queries: queries({
        schema: 'bench_none',
        hourlyParts: 1,
        latencyFactors: [1.71, 1.36, 1.88, 1.62, 1.02, 0.97, 0.44],
        planningFactor: 0.12,
      }),
    },
  ];
  return {
    tool: { name: 'data-playground', version: '0.1.0' },
    createdAt: '2026-11-28T09:14:03.512Z',
    command: 'gen --scenario black-friday --hours 72 --json run.json --html run.html'.split(' '),
    scenario: {
      name: 'black-friday',
      seed: 20_261_127,
      scale: 1,
      hours: 72,
      start: '2026-11-27T00:00:00.000Z',
    },
    server: {
      version: '18.4',
      versionNum: 180_004,
      settings: sampleSettings(),
    },
    target: 'postgres://postgres:***@127.0.0.1:54330/postgres',
    load: main.load,
    profile: sampleProfile(),
    queries: main.queries,
    layouts,
    live: sampleLive(),
    liveLayouts: sampleLiveLayouts(),
  };
}
