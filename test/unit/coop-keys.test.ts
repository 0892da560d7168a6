import { describe, expect, it } from 'vitest';
import { lockKey } from '../../src/load/coop.js';

describe('advisory lock keys of cooperative loads', () => {
  it('are signed 64-bit integers, stable, and differ by kind, schema and partition', () => {
    const keys = [
      lockKey('setup', 'a'),
      lockKey('run', 'a'),
      lockKey('finish', 'a'),
      lockKey('run', 'b'),
      lockKey('chunk', 'a', 'shop_p20261127_000000'),
      lockKey('chunk', 'a', 'shop_p20261127_010000'),
      lockKey('chunk', 'b', 'shop_p20261127_000000'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) {
      const n = BigInt(k);
      expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
    }
    // pinned: processes of different gen versions on one schema must compute the same keys
    expect(lockKey('run', 'data_playground')).toBe('-2364244401331712801');
  });
});
