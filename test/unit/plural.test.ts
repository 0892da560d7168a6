/** Counts in what people read say "1 client", never "1 clients". */
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/plural.js';
import { formatQueryReport } from '../../src/report/query-text.js';
import { sampleReport } from '../../src/report/sample-report.js';

describe('plural', () => {
  it('says one or many, with en-US digits', () => {
    expect(plural(1, 'client')).toBe('1 client');
    expect(plural(0, 'client')).toBe('0 clients');
    expect(plural(2, 'query', 'queries')).toBe('2 queries');
    expect(plural(1, 'query', 'queries')).toBe('1 query');
    expect(plural(12_000, 'hour')).toBe('12,000 hours');
  });

  it("gen query's summary line with one client, one query and one error", () => {
    const r = sampleReport().queries;
    if (r === undefined) throw new Error('the sample has no queries');
    const one = {
      ...r,
      clients: 1,
      errors: 1,
      queries: r.queries.map((q, i) => ({ ...q, count: i === 0 ? 1 : 0, errors: i === 0 ? 1 : 0 })),
    };
    const text = formatQueryReport(one);
    expect(text).toContain('1 query in ');
    expect(text).toContain('by 1 client:');
    expect(text).toContain(', 1 error');
    expect(text).not.toMatch(/\b1 (clients|queries|errors)\b/);
  });
});
