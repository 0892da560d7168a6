/**
 * What a running load or live run exposes to Prometheus (issue 7 §2, `--metrics-port`): the gen_* families,
 * recorded through one small interface so the loader and the live runner never see prom-client.
 *
 * Two registries, one per exposition format. One registry switched per scrape is not enough: prom-client 15
 * renames a registered counter in place (`gen_rows_total` -> `gen_rows`) the first time it renders OpenMetrics,
 * so a later Prometheus-text scrape would lose the `_total` suffix (prometheus/client_js PR 829 describes it).
 * So each registry has its own counters (a count is recorded twice), while gauges and histograms, which it
 * does not rename, are one object registered in both.
 */
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type OpenMetricsContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';

/** Where a run reports as it goes. Times in milliseconds, as the callers measure them; exposed in seconds. */
export interface LiveMetrics {
  /** one business transaction committed (type e.g. 'checkout'), latency from its scheduled time, in ms */
  transaction(type: string, latencyMs: number, late: boolean): void;
  /** a transaction that failed (kind: 'no_partition' | 'error' | ...) */
  error(type: string, kind: string): void;
  /** lag: how far behind schedule the oldest waiting transaction is, ms */
  lag(ms: number): void;
  /** scenario time as epoch ms */
  scenarioClock(ms: number): void;
  /** hours of partitions that exist ahead of the scenario clock */
  partitionsAhead(hours: number): void;
  /** one partition maintenance statement, its duration and the lock waits it caused, ms */
  maintenance(op: 'create' | 'attach' | 'detach' | 'drop', ms: number, lockWaitMs: number): void;
  /** one dashboard query, ms */
  query(name: string, latencyMs: number): void;
  /** rows written to a table (committed), by bulk loads too */
  rows(table: string, n: number): void;
}

export interface Exposition {
  contentType: string;
  body: string;
}

export interface LiveMetricsSink extends LiveMetrics {
  /** the Prometheus-text registry, for tests and for a caller that serves metrics itself */
  readonly registry: Registry;
  /** the text a scraper with this Accept header gets: OpenMetrics when it asks for it, else Prometheus text */
  expose(accept?: string): Promise<Exposition>;
}

/** 0.5 ms .. 10 s: an insert on an idle server up to a transaction stuck behind a lock or a lagging writer */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** DDL: a CREATE on an idle catalog (ms) up to a DETACH waiting for long queries (a minute) */
const MAINTENANCE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];

const seconds = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0);

/** The counters, one set per registry (see the top of the file for why). */
function counters(register: Registry<RegistryContentType>) {
  const registers = [register];
  return {
    transactions: new Counter({
      name: 'gen_transactions_total',
      help: 'business transactions committed',
      labelNames: ['type'],
      registers,
    }),
    late: new Counter({
      name: 'gen_transactions_late_total',
      help: 'business transactions committed later than their schedule allows',
      labelNames: ['type'],
      registers,
    }),
    errors: new Counter({
      name: 'gen_errors_total',
      help: 'business transactions that failed, by kind (no_partition: no partition for its time)',
      labelNames: ['type', 'kind'],
      registers,
    }),
    lockWait: new Counter({
      name: 'gen_lock_wait_seconds_total',
      help: 'time writers and queries waited for locks taken by partition maintenance',
      labelNames: ['op'],
      registers,
    }),
    rows: new Counter({
      name: 'gen_rows_total',
      help: 'rows written and committed',
      labelNames: ['table'],
      registers,
    }),
  };
}

/** Gauges and histograms render without being renamed: one object in both registries, recorded once. */
function shared(registers: Registry<RegistryContentType>[]) {
  return {
    latency: new Histogram({
      name: 'gen_transaction_latency_seconds',
      help: 'business transaction latency, measured from its scheduled time',
      labelNames: ['type'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    lag: new Gauge({
      name: 'gen_lag_seconds',
      help: 'how far behind schedule the oldest waiting transaction is',
      registers,
    }),
    clock: new Gauge({
      name: 'gen_scenario_time_seconds',
      help: 'the scenario clock, as Unix time',
      registers,
    }),
    ahead: new Gauge({
      name: 'gen_partitions_ahead',
      help: 'hours of partitions premade ahead of the scenario clock',
      registers,
    }),
    maintenance: new Histogram({
      name: 'gen_maintenance_seconds',
      help: 'partition maintenance statements (create, attach, detach, drop)',
      labelNames: ['op'],
      buckets: MAINTENANCE_BUCKETS,
      registers,
    }),
    query: new Histogram({
      name: 'gen_query_latency_seconds',
      help: 'dashboard query latency',
      labelNames: ['query'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/**
 * The gen_* metrics without a server: what serveMetrics exposes, and a sink for runs without --metrics-port.
 * processMetrics adds prom-client's process_* and nodejs_* metrics (they install a GC observer and an event-loop
 * monitor for the life of the process, so only a served sink asks for them).
 */
export function createLiveMetrics(options: { processMetrics?: boolean } = {}): LiveMetricsSink {
  const prometheus = new Registry();
  // prom-client's typings declare no constructor argument, hence the setter
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  if (options.processMetrics === true) {
    collectDefaultMetrics({ register: prometheus });
    collectDefaultMetrics({ register: openMetrics });
  }
  const both = [counters(prometheus), counters(openMetrics)];
  const one = shared([prometheus, openMetrics]);
  return {
    registry: prometheus,
    async expose(accept) {
      const r = wantsOpenMetrics(accept) ? openMetrics : prometheus;
      return { contentType: r.contentType, body: await r.metrics() };
    },
    transaction(type, latencyMs, late) {
      for (const f of both) {
        f.transactions.inc({ type });
        if (late) f.late.inc({ type });
      }
      one.latency.observe({ type }, seconds(latencyMs));
    },
    error(type, kind) {
      for (const f of both) f.errors.inc({ type, kind });
    },
    lag(ms) {
      one.lag.set(seconds(ms));
    },
    scenarioClock(ms) {
      one.clock.set(ms / 1000);
    },
    partitionsAhead(hours) {
      one.ahead.set(hours);
    },
    maintenance(op, ms, lockWaitMs) {
      one.maintenance.observe({ op }, seconds(ms));
      for (const f of both) f.lockWait.inc({ op }, seconds(lockWaitMs));
    },
    query(name, latencyMs) {
      one.query.observe({ query: name }, seconds(latencyMs));
    },
    rows(table, n) {
      if (n > 0) for (const f of both) f.rows.inc({ table }, n);
    },
  };
}

/**
 * Content negotiation as Prometheus does it: it sends
 * `application/openmetrics-text;version=1.0.0,...;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`.
 * OpenMetrics when an openmetrics-text entry is acceptable (q > 0) and not ranked below text/plain.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let om = 0;
  let text = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'application/openmetrics-text') om = Math.max(om, q);
    else if (type === 'text/plain') text = Math.max(text, q);
  }
  return om > 0 && om >= text;
}
