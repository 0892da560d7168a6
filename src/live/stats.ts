/**
 * What a live run measured: per transaction type, throughput and latency from each transaction's scheduled
 * time (HDR histograms: queueing behind busy writers counts, as in an open model); lag over time; per scenario
 * hour, the same figures; errors by kind.
 */
import type { TxnType } from '../generate/transactions.js';
import { type HourFigures, HourlyLatencies, Latencies, type Percentiles } from '../query/latencies.js';
import { HOUR_MS } from '../time-units.js';

/** a transaction that started this much later than scheduled is late */
export const LATE_MS = 100;

export interface LiveTypeReport {
  type: TxnType;
  count: number;
  late: number;
  errors: number;
  /** ms from the scheduled time to the commit */
  latency: Percentiles;
  /** ms the database took (from the start of the transaction) */
  service: Percentiles;
  /** per scenario hour, in time order (reports written before 5 December have none) */
  byHour?: HourFigures[];
}

interface TypeFigures {
  lat: Latencies;
  svc: Latencies;
  /** latency per scenario hour: a histogram until the hour is settled, then its figures */
  hourly: HourlyLatencies;
  late: number;
  errors: number;
}

export interface LiveHourReport {
  /** ISO start of the scenario hour */
  hour: string;
  transactions: number;
  late: number;
  p50: number;
  p99: number;
  lagMax: number;
}

const hourOf = (time: number): number => Math.floor(time / HOUR_MS) * HOUR_MS;

export class LiveStats {
  private readonly byType = new Map<TxnType, TypeFigures>();
  /** latency per scenario hour: a histogram until the hour is settled (settle), then its figures */
  private readonly hourly = new HourlyLatencies();
  private readonly byHour = new Map<number, { late: number; lagMax: number }>();
  /** latencies per type since the last progress report (recent) */
  private readonly sinceReport = new Map<TxnType, Latencies>();
  /** the lag, sampled every MAINTAIN_EVERY_MS (dispatch.ts): its percentiles weigh time, not transactions */
  readonly lag = new Latencies();
  /** the most a transaction started after its schedule: a lag shorter than the sampling interval shows here */
  private startLagMax = 0;
  readonly errors = new Map<string, number>();
  transactions = 0;
  rows = 0;
  /** real time: transactions already past at the start, played at once (not in the latency figures) */
  backfill = 0;
  backfillRows = 0;

  backfilled(rows: number): void {
    this.backfill++;
    this.backfillRows += rows;
  }

  private type(t: TxnType): TypeFigures {
    let s = this.byType.get(t);
    if (!s) {
      s = { lat: new Latencies(), svc: new Latencies(), hourly: new HourlyLatencies(), late: 0, errors: 0 };
      this.byType.set(t, s);
    }
    return s;
  }
  private hour(h: number): { late: number; lagMax: number } {
    let s = this.byHour.get(h);
    if (!s) {
      s = { late: 0, lagMax: 0 };
      this.byHour.set(h, s);
    }
    return s;
  }

  committed(
    type: TxnType,
    time: number,
    startLagMs: number,
    latencyMs: number,
    serviceMs: number,
    rows: number,
  ): void {
    const s = this.type(type);
    const hour = hourOf(time);
    const h = this.hour(hour);
    s.lat.record(latencyMs);
    s.svc.record(serviceMs);
    s.hourly.record(hour, latencyMs);
    let r = this.sinceReport.get(type);
    if (!r) {
      r = new Latencies();
      this.sinceReport.set(type, r);
    }
    r.record(latencyMs);
    this.hourly.record(hour, latencyMs);
    if (startLagMs > LATE_MS) {
      s.late++;
      h.late++;
    }
    // the lag at the moment it started: a late transaction between two samples still shows in the largest lag
    if (startLagMs > h.lagMax) h.lagMax = startLagMs;
    if (startLagMs > this.startLagMax) this.startLagMax = startLagMs;
    this.transactions++;
    this.rows += rows;
  }

  failed(type: TxnType, kind: string): void {
    this.type(type).errors++;
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /**
   * The lag's percentiles from the samples; its max the largest seen, sampled or at a transaction's start (a
   * helper's run: 3 late transactions, and lag max 0 ms from samples 200 ms apart).
   */
  lagSummary(): Percentiles {
    const p = this.lag.summary();
    return p.max >= this.startLagMax ? p : { ...p, max: this.startLagMax };
  }

  sampleLag(clock: number, ms: number): void {
    this.lag.record(ms);
    const h = this.hour(hourOf(clock));
    if (ms > h.lagMax) h.lagMax = ms;
  }

  /** every transaction scheduled before `time` is done: the hours before it keep their figures, not histograms */
  settle(time: number): void {
    this.hourly.settle(time);
    for (const s of this.byType.values()) s.hourly.settle(time);
  }

  /** scenario hours whose latencies are still held as histograms, overall or for a type (the others keep figures) */
  get heldHours(): number {
    let n = this.hourly.held;
    for (const s of this.byType.values()) n = Math.max(n, s.hourly.held);
    return n;
  }

  /** per type, transactions committed so far */
  counts(): Map<TxnType, number> {
    return new Map([...this.byType].map(([t, s]) => [t, s.lat.count]));
  }

  /**
   * per type, the latency percentiles of the transactions committed since the last call (what a progress
   * report shows: the minutes just played, not the run's average), then forgotten
   */
  recent(): Map<TxnType, Percentiles> {
    const out = new Map<TxnType, Percentiles>();
    for (const [t, l] of this.sinceReport) {
      if (l.count > 0) out.set(t, l.summary());
      l.reset();
    }
    return out;
  }

  late(): number {
    let n = 0;
    for (const s of this.byType.values()) n += s.late;
    return n;
  }

  types(): LiveTypeReport[] {
    return [...this.byType.entries()]
      .map(([type, s]) => ({
        type,
        count: s.lat.count,
        late: s.late,
        errors: s.errors,
        latency: s.lat.summary(),
        service: s.svc.summary(),
        byHour: s.hourly.figures(),
      }))
      .sort((a, b) => b.count - a.count);
  }

  hours(): LiveHourReport[] {
    const latency = new Map(this.hourly.hours());
    return [...this.byHour.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([h, s]) => {
        const p = latency.get(h);
        return {
          hour: new Date(h).toISOString(),
          transactions: p?.count ?? 0,
          late: s.late,
          p50: p?.p50 ?? 0,
          p99: p?.p99 ?? 0,
          lagMax: s.lagMax,
        };
      });
  }
}
