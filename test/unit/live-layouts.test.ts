/**
 * gen bench --live's comparison table and the live parts of the HTML report, from the sample report (no
 * database): every layout a column with its ratio to the first, per transaction type p50/p99, lag,
 * maintenance, dashboards and the server's side; `-` where a layout has no such figure.
 */
import { describe, expect, it } from 'vitest';
import { at } from '../../src/at.js';
import { renderHtml } from '../../src/report/html/index.js';
import { formatLiveLayoutComparison } from '../../src/report/live-layouts-text.js';
import { sampleReport } from '../../src/report/sample-report.js';
import type { LiveLayoutResult } from '../../src/report/types.js';

/** the line of one figure, split into its cells */
function line(out: string, figure: string): string[] {
  const l = out.split('\n').find((x) => x.startsWith(`${figure}  `));
  if (l === undefined) throw new Error(`no line ${figure} in\n${out}`);
  return l
    .slice(figure.length)
    .trim()
    .split(/\s{2,}/);
}

describe('formatLiveLayoutComparison', () => {
  const layouts = sampleReport().liveLayouts;
  const out = formatLiveLayoutComparison(layouts);

  it('says what was played, then a column per layout with ratios to the first', () => {
    const [setting, header] = out.split('\n');
    expect(setting).toBe(
      "at --speed 60 (4 writers (2 transactions in flight each), premake 4 h, dashboards meanwhile); latency from each transaction's scheduled time",
    );
    expect(header?.split(/\s+/)).toEqual(['figure', 'hourly', 'daily', 'ratio', 'none', 'ratio']);
  });

  it('has insert latency p50/p99 per transaction type, lag and late', () => {
    expect(line(out, 'checkout p50 ms')).toEqual(['2.10', '1.97', '0.94x', '1.85', '0.88x']);
    expect(line(out, 'checkout p99 ms')).toEqual(['9.80', '9.21', '0.94x', '8.62', '0.88x']);
    for (const t of at(layouts, 0).live.types) expect(out).toContain(`${t.type} p99 ms`);
    expect(line(out, 'lag p99 ms')).toEqual(['38.0', '30.4', '0.80x', '26.6', '0.70x']);
    expect(line(out, 'late (> 100 ms)')).toEqual(['12', '10', '0.83x', '8', '0.67x']);
    expect(line(out, 'transactions')).toEqual(['96,412', '96,412', '1.00x', '96,412', '1.00x']);
  });

  it('counts maintenance a layout without partitions does not do as zero', () => {
    expect(line(out, 'create count')).toEqual(['63', '21', '0.33x', '0', '0.00x']);
    expect(line(out, 'attach total ms')).toEqual(['690.0', '621.0', '0.90x', '0.0', '0.00x']);
    expect(line(out, 'attach max ms')).toEqual(['22.5', '20.3', '0.90x', '0.0', '0.00x']);
    expect(out).not.toContain('detach');
  });

  it('has dashboard latency under load and the server side', () => {
    expect(line(out, 'orders_in_hour p99 ms')).toEqual(['6.80', '8.84', '1.30x', '10.88', '1.60x']);
    expect(line(out, 'WAL written MB')).toEqual(['612.0', '593.6', '0.97x', '581.4', '0.95x']);
    expect(line(out, 'size on disk MB')).toEqual(['250.9', '243.4', '0.97x', '238.4', '0.95x']);
  });

  it('shows - for a figure a layout does not have, and no ratio against it', () => {
    const r: LiveLayoutResult[] = sampleReport().liveLayouts;
    const none = at(r, 2).live;
    none.types = none.types.filter((t) => t.type !== 'checkout');
    delete none.serverSide;
    const daily = at(r, 1).live;
    delete daily.dashboards;
    const t = formatLiveLayoutComparison(r);
    expect(line(t, 'checkout p99 ms')).toEqual(['9.80', '9.21', '0.94x', '-', '-']);
    expect(line(t, 'WAL written MB')).toEqual(['612.0', '593.6', '0.97x', '-', '-']);
    expect(line(t, 'orders_in_hour p50 ms')).toEqual(['1.10', '-', '-', '1.76', '1.60x']);
  });

  it('is empty without layouts', () => {
    expect(formatLiveLayoutComparison([])).toBe('');
  });

  it('with --find-speed: the highest speed each layout sustained, its rate there, the first that failed', () => {
    expect(line(out, 'max speed (lag p99 < 1 s)')).toEqual(['315', '390', '1.24x', '420', '1.33x']);
    expect(line(out, 'transactions/s at it')).toEqual(['2,583', '3,198', '1.24x', '3,444', '1.33x']);
    expect(line(out, 'first failing speed')).toEqual(['330', '405', '1.23x', '435', '1.32x']);
    expect(out).toContain(
      'max speed: the highest --speed whose probe (the window from its start, at most 30 s',
    );
    // a search that never failed, one where nothing passed, one not run
    const r: LiveLayoutResult[] = sampleReport().liveLayouts;
    const [hourly, daily, none] = r;
    if (!hourly?.maxSpeed || !daily?.maxSpeed || !none) throw new Error('sample has no --find-speed');
    hourly.maxSpeed.failedAt = null;
    daily.maxSpeed.speed = null;
    delete none.maxSpeed;
    const t = formatLiveLayoutComparison(r);
    expect(line(t, 'max speed (lag p99 < 1 s)')).toEqual(['315', '-', '-', '-', '-']);
    expect(t).toContain('hourly: no probe failed up to speed 315: its limit is higher\n');
    hourly.maxSpeed.speedCap = 315;
    expect(formatLiveLayoutComparison(r)).toContain(
      'hourly: no probe failed up to speed 315: its limit is higher (no probe is faster: the window would last under 10 s; a longer --hours measures more)',
    );
    expect(t).toContain('daily: no probe passed, down to speed 60');
    // without --find-speed, no such rows
    expect(formatLiveLayoutComparison(r.map(({ maxSpeed: _, ...l }) => l))).not.toContain('max speed');
  });
});

describe('renderHtml of live runs', () => {
  it('draws the Live run and Live layouts sections, linked from the header', () => {
    const html = renderHtml(sampleReport());
    expect(html).toContain('<a href="#live">Live run</a><a href="#live-layouts">Live layouts</a>');
    expect(html).toMatch(/<section id="live">[\s\S]*<h3>Transactions by type<\/h3>/);
    // the table's rows: type, count, per s over the run less the snapshot, late, errors, p50..max, service
    expect(html).toContain(
      '<tr><td><code>payment</code></td><td>30,118</td><td>165.1</td><td><strong class="bad">5</strong></td><td>0</td><td>0.90</td><td>2.55</td><td>4.20</td><td>10.5</td><td>0.80</td><td>4.00</td></tr>',
    );
    expect(html).toContain('data-testid="chart-live-latency"');
    expect(html).toMatch(
      /<section id="live-layouts">[\s\S]*<td><code>daily<\/code><div class="desc">schema <code>bench_daily<\/code><\/div><\/td><td>96,412<\/td>/,
    );
    // --find-speed: a row per layout, its probes with the failing ones in bold
    expect(html).toMatch(/<section id="live-layouts">[\s\S]*<h3>Highest sustained speed<\/h3>/);
    expect(html).toContain(
      '<tr><td><code>hourly</code></td><td>315×</td><td>2,583</td><td>330×</td><td>60, 120, 240, <strong class="bad">480</strong>, <strong class="bad">360</strong>, 300, <strong class="bad">330</strong>, 315</td></tr>',
    );
  });

  it('says when nothing was maintained and lists errors by kind', () => {
    const r = sampleReport();
    r.live.maintenance.ops = [];
    r.live.errors = { no_partition: 7 };
    const html = renderHtml(r);
    expect(html).toContain('No partition was created, attached, detached or dropped during the run.');
    expect(html).toContain(
      '<tr><td><code>no_partition</code></td><td><strong class="bad">7</strong></td></tr>',
    );
    expect(html).not.toContain('None: every transaction committed.');
  });

  it('never shows a percentile above the maximum (HDR rounding)', () => {
    const r = sampleReport();
    const t = at(r.live.types, 0);
    t.latency.p99 = t.latency.max * 1.05;
    expect(renderHtml(r)).toContain(
      `<td>${t.latency.max.toFixed(1)}</td><td>${t.latency.max.toFixed(1)}</td><td>0.80</td>`,
    );
  });
});
