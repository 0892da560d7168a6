/**
 * mod() stands in for `%` in the pool picks of the row writers: any difference would move a pick and change the
 * bytes of whole tables, so it must give `%`'s result for every keyed uint32 and count.
 */
import { describe, expect, it } from 'vitest';
import { mod } from '../../src/generate/pool-index.js';

/** a fixed-seed xorshift stream of uint32s (no Math.random: a failure must replay) */
function* uint32s(seed: number, n: number): Generator<number> {
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

describe('mod', () => {
  it('is r % n for keyed uint32s and pool-sized counts', () => {
    let bad = 0;
    const counts = [...uint32s(7, 2000)].map((v, i) => 1 + (v % (i % 2 === 0 ? 1000 : 0x3fffff)));
    for (const n of counts) for (const r of uint32s(n, 200)) if (mod(r, n) !== r % n) bad++;
    expect(bad).toBe(0);
  });

  it('is r % n next to multiples of n, at the top of the uint32 range and past the float form', () => {
    let bad = 0;
    for (const n of [1, 2, 3, 7, 16, 600, 1000, 65_521, 0x3fffff, 0x400000, 0x7fffffff, 0xffffffff]) {
      const top = Math.floor(0xffffffff / n) * n;
      for (const r of [0, 1, n - 1, n, n + 1, top - n - 1, top - 1, top, top + 1, 0xfffffffe, 0xffffffff])
        if (r >= 0 && r <= 0xffffffff && mod(r, n) !== r % n) bad++;
    }
    expect(bad).toBe(0);
  });
});
