/**
 * The embedded server's settings (src/db/embedded/cluster.ts embeddedSettings): shared_buffers a quarter of the
 * machine's memory within 128 MB..2 GB, and the lock table a window of partitions needs.
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { embeddedSettings, machineMemory } from '../../src/db/embedded/cluster.js';

const GiB = 2 ** 30;
const shared = (memory: number): string => /shared_buffers=(\S+)/.exec(embeddedSettings(memory))?.[1] ?? '';

describe('embedded server settings', () => {
  it('gives shared_buffers a quarter of the memory, at least 128 MB and at most 2 GB', () => {
    expect(shared(24 * GiB)).toBe('2048MB');
    expect(shared(8 * GiB)).toBe('2048MB');
    expect(shared(6 * GiB)).toBe('1536MB');
    expect(shared(2 * GiB)).toBe('512MB');
    expect(shared(512 * 2 ** 20)).toBe('128MB');
    expect(shared(0)).toBe('128MB');
  });

  it('keeps the lock table, and leaves max_wal_size at its default, whatever the memory', () => {
    expect(embeddedSettings(4 * GiB)).toBe('-c max_locks_per_transaction=1024 -c shared_buffers=1024MB');
  });

  it("reads the machine's memory (its cgroup's limit when lower)", () => {
    const m = machineMemory();
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThanOrEqual(os.totalmem());
  });
});
