import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { wantsOpenMetrics } from '../../src/report/live-metrics.js';
import { createLiveMetrics, parseMetricsAddress } from '../../src/report/metrics-endpoint.js';
import { parseExposition, sampleValue } from './exposition.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function record() {
  const m = createLiveMetrics();
  m.transaction('checkout', 3, false);
  m.transaction('checkout', 1500, true);
  m.transaction('signup', 0.2, false);
  m.error('checkout', 'no_partition');
  m.error('checkout', 'no_partition');
  m.lag(250);
  m.scenarioClock(Date.UTC(2024, 10, 29, 5));
  m.partitionsAhead(4);
  m.maintenance('create', 12, 0);
  m.maintenance('detach', 40, 30);
  m.maintenance('detach', 60, 20);
  m.query('shop-orders-hour', 8);
  m.rows('orders', 100);
  m.rows('orders', 23);
  m.rows('users', 0);
  return m;
}

describe('live metrics', () => {
  it('counts, sums and buckets what was recorded (Prometheus text)', async () => {
    const { contentType, body } = await record().expose();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const e = parseExposition(body);
    expect(e.types.get('gen_transactions_total')).toBe('counter');
    expect(sampleValue(e, 'gen_transactions_total', { type: 'checkout' })).toBe(2);
    expect(sampleValue(e, 'gen_transactions_total', { type: 'signup' })).toBe(1);
    expect(sampleValue(e, 'gen_transactions_late_total', { type: 'checkout' })).toBe(1);
    expect(sampleValue(e, 'gen_transactions_late_total', { type: 'signup' })).toBeUndefined();
    // ms in, seconds out; 0.2 ms falls in the first bucket (0.5 ms), 1.5 s in 2.5 s but not in 1 s
    expect(sampleValue(e, 'gen_transaction_latency_seconds_count', { type: 'checkout' })).toBe(2);
    expect(sampleValue(e, 'gen_transaction_latency_seconds_sum', { type: 'checkout' })).toBeCloseTo(1.503, 9);
    expect(sampleValue(e, 'gen_transaction_latency_seconds_bucket', { type: 'signup', le: '0.0005' })).toBe(
      1,
    );
    expect(sampleValue(e, 'gen_transaction_latency_seconds_bucket', { type: 'checkout', le: '1' })).toBe(1);
    expect(sampleValue(e, 'gen_transaction_latency_seconds_bucket', { type: 'checkout', le: '2.5' })).toBe(2);
    expect(sampleValue(e, 'gen_transaction_latency_seconds_bucket', { type: 'checkout', le: '+Inf' })).toBe(
      2,
    );
    expect(sampleValue(e, 'gen_errors_total', { type: 'checkout', kind: 'no_partition' })).toBe(2);
    expect(sampleValue(e, 'gen_lag_seconds')).toBe(0.25);
    expect(sampleValue(e, 'gen_scenario_time_seconds')).toBe(Date.UTC(2024, 10, 29, 5) / 1000);
    expect(sampleValue(e, 'gen_partitions_ahead')).toBe(4);
    expect(sampleValue(e, 'gen_maintenance_seconds_count', { op: 'detach' })).toBe(2);
    expect(sampleValue(e, 'gen_maintenance_seconds_sum', { op: 'detach' })).toBeCloseTo(0.1, 9);
    expect(sampleValue(e, 'gen_lock_wait_seconds_total', { op: 'detach' })).toBeCloseTo(0.05, 9);
    expect(sampleValue(e, 'gen_lock_wait_seconds_total', { op: 'create' })).toBe(0);
    expect(sampleValue(e, 'gen_query_latency_seconds_count', { query: 'shop-orders-hour' })).toBe(1);
    expect(sampleValue(e, 'gen_rows_total', { table: 'orders' })).toBe(123);
    expect(sampleValue(e, 'gen_rows_total', { table: 'users' })).toBeUndefined();
    // no process metrics unless asked for: a sink without a server stays cheap
    expect(e.samples.some((s) => s.name.startsWith('process_'))).toBe(false);
  });

  it('speaks OpenMetrics to a scraper that asks, and Prometheus text again afterwards', async () => {
    const m = record();
    const om = await m.expose(PROMETHEUS_ACCEPT);
    expect(om.contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    const e = parseExposition(om.body);
    // OpenMetrics names the counter family without _total and its samples with it
    expect(e.types.get('gen_rows')).toBe('counter');
    expect(sampleValue(e, 'gen_rows_total', { table: 'orders' })).toBe(123);
    expect(sampleValue(e, 'gen_errors_total', { type: 'checkout', kind: 'no_partition' })).toBe(2);
    // histograms and gauges are one object in both registries: the same values
    expect(e.types.get('gen_transaction_latency_seconds')).toBe('histogram');
    expect(sampleValue(e, 'gen_transaction_latency_seconds_count', { type: 'checkout' })).toBe(2);
    expect(sampleValue(e, 'gen_maintenance_seconds_count', { op: 'detach' })).toBe(2);
    expect(sampleValue(e, 'gen_lag_seconds')).toBe(0.25);
    // prom-client renames a counter in place when it renders OpenMetrics: the Prometheus registry is separate
    const again = parseExposition((await m.expose('text/plain')).body);
    expect(again.types.get('gen_rows_total')).toBe('counter');
    expect(sampleValue(again, 'gen_rows_total', { table: 'orders' })).toBe(123);
  });

  it('negotiates the format from the Accept header', () => {
    expect(wantsOpenMetrics(undefined)).toBe(false);
    expect(wantsOpenMetrics('*/*')).toBe(false);
    expect(wantsOpenMetrics('text/plain;version=0.0.4')).toBe(false);
    expect(wantsOpenMetrics(PROMETHEUS_ACCEPT)).toBe(true);
    expect(wantsOpenMetrics('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe(true);
    expect(wantsOpenMetrics('application/openmetrics-text;q=0.3,text/plain;q=0.9')).toBe(false);
    expect(wantsOpenMetrics('application/openmetrics-text;q=0')).toBe(false);
  });

  it('reads --metrics-port as a port or host:port, and names the flag when it cannot', () => {
    expect(parseMetricsAddress('9187')).toEqual({ host: '127.0.0.1', port: 9187 });
    expect(parseMetricsAddress(0)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseMetricsAddress('0.0.0.0:9187')).toEqual({ host: '0.0.0.0', port: 9187 });
    expect(parseMetricsAddress('[::1]:9187')).toEqual({ host: '::1', port: 9187 });
    for (const bad of ['65536', '-1', 'abc', '', '9187.5', ':9187', 'localhost:', '1e3']) {
      expect(() => parseMetricsAddress(bad), bad).toThrow(UserError);
      expect(() => parseMetricsAddress(bad), bad).toThrow(
        /^--metrics-port: .* expected a port from 0 to 65535/,
      );
    }
  });
});
