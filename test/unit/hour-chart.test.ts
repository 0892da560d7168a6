/**
 * The per-hour chart of the HTML report (src/report/html/hour-chart.ts): hours without a value leave a gap (no
 * dot, no bar, the line broken), and a legend of many series takes more rows and moves the plot down under it.
 * The browser test (test/integration/html-report.test.ts) checks the layout of the sample report's charts.
 */
import { describe, expect, it } from 'vitest';
import { type HourSeries, hourChart } from '../../src/report/html/hour-chart.js';

const START = Date.parse('2026-11-27T00:00:00Z');

function chart(series: HourSeries[], hours = 3): string {
  return hourChart({ testid: 't', title: 't', desc: 'd', start: START, hours, series, yLabel: 'ms' });
}

const line = (label: string, values: (number | null)[]): HourSeries => ({
  label,
  values,
  color: '#000',
  kind: 'line',
  tip: (v, h) => `${label} ${v} at ${h}`,
});

describe('hourChart', () => {
  it('leaves out the hours without a value: no dot, and the line moves instead of drawing across them', () => {
    const svg = chart([line('a', [1, null, 3])]);
    expect([...svg.matchAll(/<circle class="mark" data-value="([^"]*)"/g)].map((m) => m[1])).toEqual([
      '1',
      '3',
    ]);
    const d = /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(d.match(/[ML]/g)).toEqual(['M', 'M']);
    // the tooltip names the hour's index in the series
    expect(svg).toContain('a 3 at 2');
    const bars = chart([{ ...line('b', [null, 2, 0]), kind: 'bar' }]);
    expect([...bars.matchAll(/<rect class="mark" data-value="([^"]*)"/g)].map((m) => m[1])).toEqual([
      '2',
      '0',
    ]);
    // consecutive values are one line
    expect((/<path d="([^"]*)"/.exec(chart([line('c', [1, 2, 3])]))?.[1] ?? '').match(/[ML]/g)).toEqual([
      'M',
      'L',
      'L',
    ]);
  });

  it('draws a series longer than a function call takes arguments (a long --follow run)', () => {
    // 300,000 hours: Math.max(...values) throws a RangeError at this length
    const values = Array.from({ length: 300_000 }, (_, h) => h % 7);
    const svg = chart([{ ...line('long', values), kind: 'reference' }], values.length);
    expect(svg).toContain('</svg>');
    // the y axis reaches the largest value (6, with the 5% headroom)
    expect(svg).toMatch(/>6<\/text>/);
  });

  it('gives a legend of many series more rows and the plot room under it; dashed series are dashed', () => {
    const one = chart([line('a', [1, 2, 3])]);
    const many = chart(
      Array.from({ length: 12 }, (_, i) => ({ ...line(`transaction_type_${i}`, [1, 2, 3]), dashed: i >= 8 })),
    );
    const height = (svg: string): number => Number(/viewBox="0 0 \d+ ([\d.]+)"/.exec(svg)?.[1]);
    expect(height(one)).toBe(320);
    expect(height(many)).toBeGreaterThan(320);
    // the highest dot sits lower by as much as the chart grew
    const top = (svg: string): number =>
      Math.min(...[...svg.matchAll(/<circle class="mark"[^>]* cy="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(top(many) - top(one)).toBeCloseTo(height(many) - height(one), 0);
    expect(many.match(/stroke-dasharray="5 3"/g)?.length).toBe(4 * 2); // 4 lines and their 4 legend keys
  });
});
