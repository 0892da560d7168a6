/**
 * The bench's peak-RSS harness (bench/memory.ts): a child Node process with the --import hook reports its own
 * peak RSS and CPU time at exit, not its parent's resident set; a child stopped by the timeout reports none (its
 * figure would be a guess).
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { measuredNode, runGenOut } from '../../bench/memory.js';

const MiB = 2 ** 20;

describe('bench peak RSS harness', () => {
  it('sees a 300 MB allocation in the child, and not in a child that allocates nothing', async () => {
    const big = await measuredNode(['-e', 'globalThis.keep = Buffer.alloc(300 * 2 ** 20, 1)']);
    // nor the parent's memory: getrusage's maxRSS keeps the parent's resident set at the fork (Linux), and
    // the bench's process (or this one: all integration files run in one) can be bigger than gen
    const ballast = Buffer.alloc(300 * MiB, 1);
    const small = await measuredNode(['-e', '0']);
    expect(ballast.length).toBe(300 * MiB);
    expect(big.code).toBe(0);
    expect(big.rssBytes).toBeGreaterThan(300 * MiB);
    expect(small.rssBytes).toBeLessThan(200 * MiB);
    expect(big.cpuMs).toBeGreaterThan(0);
  });

  it('reports no figure for a child it had to stop', async () => {
    const r = await measuredNode(['-e', 'setInterval(() => {}, 1000)'], 500);
    expect(r.timedOut).toBe(true);
    expect(r.rssBytes).toBeUndefined();
  });

  it('runs gen --out as users run it: rows from its report, the scratch directory removed after', async () => {
    const scratch = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('dp-bench-out-'));
    const before = scratch();
    const r = await runGenOut({ scenario: 'tiny', hours: 2, scale: 1 });
    expect(r.what).toBe('gen --out');
    expect(r.run?.code).toBe(0);
    expect(r.rows).toBeGreaterThan(1000);
    expect(r.run?.rssBytes).toBeGreaterThan(50 * MiB);
    expect(scratch()).toEqual(before);
  });
});
