import { describe, expect, it } from 'vitest';
import {
  dropAddedMallocEnv,
  MALLOC_ENV,
  MALLOC_RESTART_OPT_OUT,
  shouldRestart,
} from '../../src/malloc-restart.js';

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

describe('dropAddedMallocEnv (what the restart added does not reach what gen starts)', () => {
  it('drops the settings the restart listed, and only those', () => {
    const env: NodeJS.ProcessEnv = {
      ...MALLOC_ENV,
      MALLOC_MMAP_THRESHOLD_: '4096',
      GEN_MALLOC_ENV_ADDED: 'MALLOC_TRIM_THRESHOLD_',
      PATH: '/bin',
    };
    dropAddedMallocEnv(env);
    expect(env).toEqual({ MALLOC_MMAP_THRESHOLD_: '4096', PATH: '/bin' });
  });

  it("without the restart's list it changes nothing (a user's own settings, or none)", () => {
    const env: NodeJS.ProcessEnv = { ...MALLOC_ENV };
    dropAddedMallocEnv(env);
    expect(env).toEqual(MALLOC_ENV);
  });
});
