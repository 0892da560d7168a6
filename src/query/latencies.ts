/**
 * Latency percentiles from a real HDR histogram (hdr-histogram-js, the HdrHistogram port pgbench-like tools
 * use), recorded in microseconds with 3 significant digits, reported in milliseconds. The query workload
 * measures with it; the load report uses it for chunk COPY times.
 */
import * as hdr from 'hdr-histogram-js';
import { HOUR_MS } from '../time-units.js';

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

  /** empty again, its memory kept */
  reset(): void {
    this.h.reset();
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

/** One scenario hour's latency figures in a report: a dashboard query's, or a live transaction type's. */
export interface HourFigures {
  /** ISO start of the scenario hour */
  hour: string;
  count: number;
  /** ms */
  p50: number;
  p99: number;
}

/**
 * Latencies per scenario hour, for runs that last weeks (`gen live --follow` as a staging service): an hour's
 * histogram (100-190 KB) is held only until the hour is settled (no more latencies can come for it), then only
 * its figures (~100 bytes). Held for every hour, a week of `--follow` with dashboards took ~130 MB more each week.
 */
export class HourlyLatencies {
  private readonly open = new Map<number, Latencies>();
  private readonly settled = new Map<number, Percentiles>();

  /** `hour`: the hour's start, epoch ms */
  record(hour: number, ms: number): void {
    let l = this.open.get(hour);
    if (l === undefined) {
      // the caller settles an hour only when nothing it records can still belong to it
      if (this.settled.has(hour))
        throw new Error(`a latency came for ${new Date(hour).toISOString()}, settled`);
      l = new Latencies();
      this.open.set(hour, l);
    }
    l.record(ms);
  }

  /** no latency comes any more for the hours that end by `time` (epoch ms): their histograms give way to figures */
  settle(time: number): void {
    for (const [h, l] of this.open) {
      if (h + HOUR_MS > time) continue;
      this.settled.set(h, l.summary());
      this.open.delete(h);
    }
  }

  /** hours still held as histograms */
  get held(): number {
    return this.open.size;
  }

  /** every hour's figures as the reports hold them (a dashboard query's, a live transaction type's), in time order */
  figures(): HourFigures[] {
    return this.hours().map(([h, p]) => ({
      hour: new Date(h).toISOString(),
      count: p.count,
      p50: p.p50,
      p99: p.p99,
    }));
  }

  /** every hour with its figures, in time order */
  hours(): [number, Percentiles][] {
    const all: [number, Percentiles][] = [...this.settled];
    for (const [h, l] of this.open) all.push([h, l.summary()]);
    return all.sort((a, b) => a[0] - b[0]);
  }
}
