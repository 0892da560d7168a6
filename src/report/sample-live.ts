/**
 * The live parts of the sample report (sample-report.ts): `gen live --speed 60 --clients 2` over black-friday's
 * three doorbuster hours, and `gen bench --live` of the three built-in layouts over the same hours. Figures of
 * the shape a run gives, not measured; deterministic (no clock, no Math.random).
 */
import type { LiveReport, MaxSpeed, Percentiles, ServerSide } from './types.js';

/** A live report with its optional parts: tests reach into them without checking for each. */
export type FullLive = LiveReport & Required<Pick<LiveReport, 'serverSide' | 'dashboards'>>;

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

const pct = (p50: number, p99: number, count: number): Percentiles => ({
  count,
  mean: round(p50 * 1.2),
  p50,
  p95: round((p50 + p99) / 2),
  p99,
  max: round(p99 * 2.5),
});

const HOURS = ['2026-11-27T00:00:00.000Z', '2026-11-27T01:00:00.000Z', '2026-11-27T02:00:00.000Z'];

/** How a layout changes the hourly run: insert latency, maintenance, dashboards and WAL, as factors. */
interface Shape {
  insert: number;
  lag: number;
  maintenance: number;
  /** partitions made: hourly makes one per table and hour, daily one per table and day, none none */
  partitions: number;
  dashboards: number;
  wal: number;
}

const HOURLY: Shape = { insert: 1, lag: 1, maintenance: 1, partitions: 63, dashboards: 1, wal: 1 };

function serverSide(factor: number): ServerSide {
  const walBytes = Math.round(612_000_000 * factor);
  return {
    walBytes,
    walPositionBytes: Math.round(walBytes * 1.004),
    walRecords: Math.round(walBytes / 180),
    walFullPageImages: Math.round(walBytes / 8192 / 25),
    checkpointsTimed: 0,
    checkpointsRequested: Math.round(2 * factor),
    buffersWrittenBackend: Math.round(4_100 * factor),
    buffersWrittenCheckpointer: 51_300,
    buffersWrittenBgwriter: 2_900,
    blockSize: 8192,
    autovacuumRuns: Math.round(18 * factor),
    autoanalyzeRuns: Math.round(27 * factor),
    tables: [
      { table: 'shop_order', bytes: Math.round(38_200_000 * factor), indexBytes: 9_100_000 },
      { table: 'shop_order_item', bytes: Math.round(61_700_000 * factor), indexBytes: 14_800_000 },
      { table: 'request_response_log', bytes: Math.round(151_000_000 * factor), indexBytes: 21_600_000 },
    ],
    source: 'pg_stat_wal+pg_stat_checkpointer+pg_stat_io+pg_stat_all_tables+pg_total_relation_size',
    ms: 212_000,
  };
}

function live(s: Shape): FullLive {
  const lat = (p50: number, p99: number, count: number): Percentiles =>
    pct(round(p50 * s.insert), round(p99 * s.insert), count);
  /** a type's figures per hour: its counts, p50 and p99 growing a little with the traffic */
  const byHour = (counts: number[], p50: number, p99: number) =>
    HOURS.map((hour, i) => ({
      hour,
      count: counts[i] ?? 0,
      p50: round((p50 + 0.05 * i) * s.insert),
      p99: round((p99 + 0.3 * i) * s.insert),
    }));
  const maint = (count: number, totalMs: number, maxMs: number) => ({
    count,
    totalMs: round(totalMs * s.maintenance, 1),
    maxMs: round(maxMs * s.maintenance, 1),
  });
  return {
    speed: 60,
    writers: 4,
    pipelineDepth: 2,
    premakeHours: 4,
    retentionHours: null,
    playedFrom: '2026-11-27T00:00:00.000Z',
    resumed: false,
    finished: true,
    snapshot: { rows: 1_164_311, ms: 21_480 },
    backfill: { transactions: 0, rows: 0 },
    follow: false,
    realTime: false,
    elapsedMs: 203_900,
    transactions: 96_412,
    rows: 412_007,
    late: Math.round(12 * s.lag),
    lateAfterMs: 100,
    lag: pct(round(0.2 * s.lag), round(38 * s.lag), 905),
    types: [
      {
        type: 'payment',
        count: 30_118,
        late: Math.round(5 * s.lag),
        errors: 0,
        latency: lat(0.9, 4.2, 30_118),
        service: lat(0.8, 4, 30_118),
        byHour: byHour([9_061, 9_957, 11_100], 0.85, 3.9),
      },
      {
        type: 'checkout',
        count: 21_310,
        late: Math.round(4 * s.lag),
        errors: 0,
        latency: lat(2.1, 9.8, 21_310),
        service: lat(1.9, 9.1, 21_310),
        byHour: byHour([6_402, 7_051, 7_857], 2.0, 9.2),
      },
      {
        type: 'request_log',
        count: 10_800,
        late: Math.round(3 * s.lag),
        errors: 0,
        latency: lat(1.4, 6.3, 10_800),
        service: lat(1.3, 6, 10_800),
        byHour: byHour([3_240, 3_565, 3_995], 1.35, 6.1),
      },
      {
        type: 'metrics',
        count: 3,
        late: 0,
        errors: 0,
        latency: lat(410, 520, 3),
        service: lat(405, 515, 3),
        // one hour close per hour
        byHour: byHour([1, 1, 1], 410, 520),
      },
    ],
    hours: HOURS.map((hour, i) => ({
      hour,
      transactions: [29_004, 31_870, 35_538][i] ?? 0,
      late: i === 2 ? Math.round(12 * s.lag) : 0,
      p50: round((1.3 + 0.05 * i) * s.insert),
      p99: round((7.9 + 0.45 * i) * s.insert),
      lagMax: round(([4, 9, 38][i] ?? 0) * s.lag),
    })),
    maintenance: {
      ops:
        s.partitions === 0
          ? []
          : [
              { op: 'create', ...maint(s.partitions, 410, 14.2), blocked: 0, waitedMs: 0 },
              {
                op: 'attach',
                ...maint(s.partitions, 690, 22.5),
                blocked: 1,
                waitedMs: round(3.4 * s.maintenance, 1),
              },
            ],
      events:
        s.partitions === 0
          ? []
          : [
              {
                op: 'create',
                partition: 'shop_order_p20261127_040000',
                clock: 1_795_737_600_000,
                ms: 6.1,
                blocked: 0,
                waitedMs: 0,
              },
            ],
      eventsLeftOut: 0,
    },
    errors: {},
    serverSide: serverSide(s.wal),
    dashboards: {
      queries: [
        ['orders_in_hour', 412, 1.1, 6.8],
        ['revenue_by_hour_6h', 205, 14.2, 61.5],
        ['user_orders_window', 398, 3.4, 22.9],
      ].map(([name, count, p50, p99]) => {
        const n = Number(count);
        const [a, b] = [round(Number(p50) * s.dashboards), round(Number(p99) * s.dashboards)];
        return {
          name: String(name),
          count: n,
          errors: 0,
          overall: pct(a, b, n),
          // the client's part of a dashboard query: ~0.1 ms (gen query's encoded messages)
          serverMs: pct(round(a - 0.1), round(b - 0.1), n),
          clientMs: pct(0.1, 0.1, n),
          byHour: HOURS.map((hour, i) => ({
            hour,
            count: Math.round(n / 3),
            p50: round(a * (0.9 + 0.1 * i)),
            p99: round(b * (0.9 + 0.1 * i)),
          })),
        };
      }),
    },
  };
}

export function sampleLive(): FullLive {
  return live(HOURLY);
}

/**
 * --find-speed's probes as the search runs them from speed 60 (src/live/speed-search.ts): passing up to `limit`,
 * `tpsPerSpeed` transactions/s per unit of speed while it keeps up
 */
function maxSpeed(speeds: number[], limit: number, tpsPerSpeed: number): MaxSpeed {
  const probes = speeds.map((speed) => {
    const pass = speed <= limit;
    const tps = round(Math.min(speed, limit * 1.1) * tpsPerSpeed, 1);
    return {
      speed,
      pass,
      transactions: Math.round(tps * 30),
      tps,
      lagP99Ms: pass ? round(40 + speed / 10, 1) : round(1500 + speed * 4, 1),
      errors: 0,
      playS: 30,
      whole: false,
    };
  });
  const passed = probes.filter((p) => p.pass).map((p) => p.speed);
  const failed = probes.filter((p) => !p.pass && p.speed > Math.max(...passed)).map((p) => p.speed);
  return {
    speed: Math.max(...passed),
    failedAt: Math.min(...failed),
    // black-friday's 2 busiest hours, the window lasting 10 s
    speedCap: 720,
    lagP99Ms: 1000,
    probeSeconds: 30,
    probes,
  };
}

/** `gen bench --live --layouts hourly,daily,none --find-speed` */
export function sampleLiveLayouts(): {
  layout: string;
  schema: string;
  live: FullLive;
  maxSpeed: MaxSpeed;
}[] {
  return [
    {
      layout: 'hourly',
      schema: 'bench_hourly',
      live: live(HOURLY),
      maxSpeed: maxSpeed([60, 120, 240, 480, 360, 300, 330, 315], 315, 8.2),
    },
    {
      layout: 'daily',
      schema: 'bench_daily',
      live: live({ insert: 0.94, lag: 0.8, maintenance: 0.9, partitions: 21, dashboards: 1.3, wal: 0.97 }),
      maxSpeed: maxSpeed([60, 120, 240, 480, 360, 420, 390, 405], 390, 8.2),
    },
    {
      layout: 'none',
      schema: 'bench_none',
      live: live({ insert: 0.88, lag: 0.7, maintenance: 0, partitions: 0, dashboards: 1.6, wal: 0.95 }),
      maxSpeed: maxSpeed([60, 120, 240, 480, 360, 420, 450, 435], 420, 8.2),
    },
  ];
}
