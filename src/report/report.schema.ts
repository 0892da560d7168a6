/**
 * JSON Schema (draft 2020-12) of a RunReport: what `--json FILE` writes and `gen compare` accepts. It mirrors
 * src/report/types.ts field for field; test/unit/report-json.test.ts fails when the two drift apart (a field
 * the schema does not know is rejected by `additionalProperties: false`, a required field the type lacks
 * makes the fully-populated sample fail).
 *
 * A TS module rather than a .json file so that tsc carries it to dist/ and the import needs no JSON import
 * attributes; `gen` users who want the file can print it with JSON.stringify(REPORT_SCHEMA).
 */
import { COPY_FORMATS } from '../load/copy-format.js';
import { ARRIVALS } from '../query/types.js';

const count = { type: 'integer', minimum: 0 } as const;
/** times, sizes, rates: JSON has no NaN or Infinity, and JSON.stringify turns them into null, which fails here */
const amount = { type: 'number', minimum: 0 } as const;
const text = { type: 'string' } as const;
/** a count the server may not have (an older version's missing view) */
const nullableCount = { anyOf: [count, { type: 'null' }] } as const;
/** ISO 8601 with a time zone, as Date.prototype.toISOString writes it (no ajv-formats dependency for one format) */
const isoTime = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;

/** An object whose properties are all listed, all required except `optional`, and nothing else allowed. */
function record<P extends Record<string, object>>(properties: P, optional: (keyof P)[] = []) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  } as const;
}

const ref = (name: string) => ({ $ref: `#/$defs/${name}` }) as const;

/** a transaction type's or a dashboard query's figures in one scenario hour */
const HOUR_FIGURES = record({ hour: isoTime, count, p50: amount, p99: amount });

export const REPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'data-playground run report',
  $defs: {
    Percentiles: record({ count, mean: amount, p50: amount, p95: amount, p99: amount, max: amount }),
    ThroughputSample: record({ tMs: amount, rows: count, bytes: count }),
    ChunkLoad: record({
      partition: text,
      table: text,
      rows: count,
      bytes: count,
      genMs: amount,
      copyMs: amount,
      rowsPerSec: amount,
      mbPerSec: amount,
    }),
    TableLoad: record({
      rows: count,
      bytes: count,
      partitions: count,
      genMs: amount,
      copyMs: amount,
      chunkMs: ref('Percentiles'),
    }),
    TableSize: record({ table: text, bytes: count, indexBytes: count }),
    ServerSide: record({
      walBytes: count,
      walPositionBytes: count,
      walRecords: nullableCount,
      walFullPageImages: nullableCount,
      checkpointsTimed: count,
      checkpointsRequested: count,
      buffersWrittenBackend: nullableCount,
      buffersWrittenCheckpointer: count,
      buffersWrittenBgwriter: count,
      blockSize: { type: 'integer', minimum: 1 },
      autovacuumRuns: count,
      autoanalyzeRuns: count,
      tables: { type: 'array', items: ref('TableSize') },
      source: text,
      ms: amount,
    }),
    LoadReport: record(
      {
        layout: text,
        schema: text,
        copyFormat: { enum: [...COPY_FORMATS] },
        jobs: count,
        rows: count,
        bytes: count,
        chunks: count,
        wallMs: amount,
        ddlMs: amount,
        genMs: amount,
        copyMs: amount,
        rowsPerSec: amount,
        mbPerSec: amount,
        chunkMs: ref('Percentiles'),
        tables: { type: 'object', additionalProperties: ref('TableLoad') },
        samples: { type: 'array', items: ref('ThroughputSample') },
        partitions: { type: 'array', items: ref('ChunkLoad') },
        fkMs: amount,
        analyzeMs: amount,
        skipped: count,
        serverSide: ref('ServerSide'),
      },
      ['copyFormat', 'partitions', 'fkMs', 'analyzeMs', 'skipped', 'serverSide'],
    ),
    PlanCheck: record({
      partitionsScanned: count,
      partitionsTotal: count,
      partitionsExpected: count,
      subplansRemoved: count,
      planningMs: amount,
      executionMs: amount,
      ok: { type: 'boolean' },
    }),
    QueryResult: record(
      {
        name: text,
        description: text,
        literal: ref('PlanCheck'),
        generic: ref('PlanCheck'),
        latencyMs: ref('Percentiles'),
        serverMs: ref('Percentiles'),
        clientMs: ref('Percentiles'),
        count,
        errors: count,
        qps: amount,
      },
      // reports written before 6 December have neither
      ['serverMs', 'clientMs'],
    ),
    QueryReport: record(
      {
        schema: text,
        clients: count,
        durationMs: amount,
        rate: amount,
        arrivals: { enum: [...ARRIVALS] },
        queries: { type: 'array', items: ref('QueryResult') },
        qps: amount,
        errors: count,
      },
      // a closed loop has neither; reports written before 6 December have no arrivals
      ['rate', 'arrivals'],
    ),
    Share: record({ name: text, count }),
    ProfileHour: record({
      start: isoTime,
      expectedOrders: amount,
      plannedOrders: count,
      orders: count,
      paidOrders: count,
      revenue: amount,
      refunded: amount,
      requests: count,
      errors: count,
      serverErrors: count,
      rateLimited: count,
      latencyP50: amount,
      latencyP95: amount,
    }),
    DataProfile: record({
      schema: text,
      ms: amount,
      queries: { type: 'array', items: record({ name: text, ms: amount, rows: count }) },
      reportingCurrency: text,
      currencies: { type: 'array', items: text },
      hours: { type: 'array', items: ref('ProfileHour') },
      orderStatus: { type: 'array', items: ref('Share') },
      refunds: { type: 'array', items: record({ name: text, count, value: amount }) },
      payments: { type: 'array', items: ref('Share') },
      topProducts: record({
        products: {
          type: 'array',
          items: record({ id: text, name: text, revenue: amount, units: count }),
        },
        productsSold: count,
        revenue: amount,
        restRevenue: amount,
      }),
      apiStatus: { type: 'array', items: ref('Share') },
      funnel: { type: 'array', items: ref('Share') },
      traffic: record({
        sampleRate: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        sessions: count,
        botSessions: count,
        requests: count,
        botRequests: count,
      }),
    }),
    LiveReport: record(
      {
        speed: amount,
        writers: count,
        pipelineDepth: count,
        premakeHours: count,
        retentionHours: { anyOf: [count, { type: 'null' }] },
        playedFrom: isoTime,
        resumed: { type: 'boolean' },
        finished: { type: 'boolean' },
        snapshot: record({ rows: count, ms: amount }),
        backfill: record({ transactions: count, rows: count }),
        follow: { type: 'boolean' },
        realTime: { type: 'boolean' },
        elapsedMs: amount,
        transactions: count,
        rows: count,
        late: count,
        lateAfterMs: amount,
        lag: ref('Percentiles'),
        types: {
          type: 'array',
          items: record(
            {
              type: text,
              count,
              late: count,
              errors: count,
              latency: ref('Percentiles'),
              service: ref('Percentiles'),
              byHour: { type: 'array', items: HOUR_FIGURES },
            },
            // byHour: reports written before 5 December have none
            ['byHour'],
          ),
        },
        hours: {
          type: 'array',
          items: record({
            hour: isoTime,
            transactions: count,
            late: count,
            p50: amount,
            p99: amount,
            lagMax: amount,
          }),
        },
        maintenance: record(
          {
            ops: {
              type: 'array',
              items: record(
                { op: text, count, totalMs: amount, maxMs: amount, blocked: count, waitedMs: amount },
                ['waitedMs'],
              ),
            },
            events: {
              type: 'array',
              items: record(
                { op: text, partition: text, clock: count, ms: amount, blocked: count, waitedMs: amount },
                ['waitedMs'],
              ),
            },
            eventsLeftOut: count,
          },
          // eventsLeftOut: reports written before 5 December (the first 1,000 events kept) have none
          ['eventsLeftOut'],
        ),
        errors: { type: 'object', additionalProperties: count },
        serverSide: ref('ServerSide'),
        dashboards: record({
          queries: {
            type: 'array',
            items: record(
              {
                name: text,
                count,
                errors: count,
                overall: ref('Percentiles'),
                serverMs: ref('Percentiles'),
                clientMs: ref('Percentiles'),
                byHour: { type: 'array', items: HOUR_FIGURES },
              },
              // reports written before 6 December 2026 have no server/client split
              ['serverMs', 'clientMs'],
            ),
          },
        }),
      },
      // pipelineDepth: reports written before it existed (one transaction at a time per writer) have none
      ['serverSide', 'dashboards', 'pipelineDepth'],
    ),
    LiveLayoutResult: record(
      {
        layout: text,
        schema: text,
        live: ref('LiveReport'),
        maxSpeed: record({
          speed: { anyOf: [amount, { type: 'null' }] },
          failedAt: { anyOf: [amount, { type: 'null' }] },
          speedCap: amount,
          lagP99Ms: amount,
          probeSeconds: amount,
          probes: {
            type: 'array',
            items: record(
              {
                speed: amount,
                pass: { type: 'boolean' },
                transactions: count,
                tps: amount,
                lagP99Ms: amount,
                errors: count,
                playS: amount,
                whole: { type: 'boolean' },
              },
              ['whole'],
            ),
          },
        }),
      },
      // maxSpeed: only with --find-speed
      ['maxSpeed'],
    ),
    LayoutResult: record({
      layout: text,
      schema: text,
      load: ref('LoadReport'),
      sizeBytes: count,
      queries: ref('QueryReport'),
    }),
  },
  ...record(
    {
      tool: record({ name: text, version: text }),
      createdAt: isoTime,
      command: { type: 'array', items: text },
      scenario: record({
        name: text,
        seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
        scale: { type: 'number', exclusiveMinimum: 0 },
        hours: { type: 'integer', minimum: 1 },
        start: isoTime,
      }),
      server: record({
        version: text,
        versionNum: count,
        settings: { type: 'object', additionalProperties: text },
      }),
      target: text,
      load: ref('LoadReport'),
      profile: ref('DataProfile'),
      queries: ref('QueryReport'),
      layouts: { type: 'array', items: ref('LayoutResult') },
      live: ref('LiveReport'),
      liveLayouts: { type: 'array', items: ref('LiveLayoutResult') },
    },
    ['server', 'load', 'profile', 'queries', 'layouts', 'live', 'liveLayouts'],
  ),
} as const;
