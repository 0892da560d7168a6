/**
 * Latency percentiles from a real HDR histogram (hdr-histogram-js, the HdrHistogram port pgbench-like tools
 * use), recorded in microseconds with 3 significant digits, reported in milliseconds. The query workload
 * measures with it; the load report uses it for chunk COPY times.
 */
import * as hdr from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class Latencies {
  private readonly h = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    this.h.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  add(other: Latencies): void {
    this.h.add(other.h);
  }

  summary(): Percentiles {
    const max = this.h.totalCount === 0 ? 0 : this.h.maxValue / 1000;
    // a percentile is the top of its HDR bucket, which can lie above the exact maximum: never report p99 > max
    const q = (p: number): number =>
      this.h.totalCount === 0 ? 0 : Math.min(max, this.h.getValueAtPercentile(p) / 1000);
    return {
      count: this.h.totalCount,
      mean: this.h.totalCount === 0 ? 0 : this.h.mean / 1000,
      p50: q(50),
      p95: q(95),
      p99: q(99),
      max,
    };
  }
}

export function percentiles(valuesMs: Iterable<number>): Percentiles {
  const l = new Latencies();
  for (const v of valuesMs) l.record(v);
  return l.summary();
}
