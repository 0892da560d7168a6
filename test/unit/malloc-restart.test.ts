import { describe, expect, it } from 'vitest';
import { MALLOC_ENV, MALLOC_RESTART_OPT_OUT, shouldRestart } from '../../src/malloc-restart.js';

const glibc = (): string => '2.36';
const notGlibc = (): undefined => undefined;

describe('shouldRestart (bin/gen.js starts again with glibc malloc settings)', () => {
  it('restarts on glibc when a setting is missing, and only then', () => {
    expect(shouldRestart({}, glibc)).toBe(true);
    expect(shouldRestart({ MALLOC_MMAP_THRESHOLD_: '1' }, glibc)).toBe(true);
    expect(shouldRestart({ ...MALLOC_ENV }, glibc)).toBe(false);
    expect(shouldRestart({}, notGlibc)).toBe(false);
  });

  it('never when opted out (an empty value is no opt-out)', () => {
    expect(shouldRestart({ [MALLOC_RESTART_OPT_OUT]: '1' }, glibc)).toBe(false);
    expect(shouldRestart({ [MALLOC_RESTART_OPT_OUT]: '' }, glibc)).toBe(true);
  });
});
