import { configDefaults, defineConfig } from 'vitest/config';

const MEMORY_TEST = 'test/unit/memory.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        // no database, no network, no other program: runs anywhere in seconds
        // a generous limit: it catches a hang, not slowness (a busy 2-core CI machine runs the fuzz test for seconds)
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
          // one worker process for all files (no module graph imported anew per file): 67 files in 100 s
          // instead of 182 s on this 2-core machine (import time 58 s -> 17 s). The files share no state a test
          // sets: none mocks a module or stubs a global, tls.test's stubbed HOME is restored after it, and the
          // suite passes in shuffled file orders (--sequence.shuffle.files, seeds 11 and 29).
          isolate: false,
          exclude: [...configDefaults.exclude, MEMORY_TEST],
        },
      },
      {
        // what stays reachable after generation, measured in a process of its own: in the one the other unit
        // files share, their leftovers moved its baseline (on CI once: 44 kB over its 512 kB margin)
        test: { name: 'unit-memory', include: [MEMORY_TEST], testTimeout: 60_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Starts a throwaway embedded server (or uses DATABASE_URL / PG*) and provides its URL as 'databaseUrl'.
          globalSetup: ['test/integration/global-setup.ts'],
          // initdb + start take ~2 s, a big COPY much longer; the default 5 s would flake on a busy CI machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // All files share one database; they isolate themselves by schema name, but parallel files would
          // compete for the same server and make timings meaningless.
          fileParallelism: false,
          // and one worker process for them all, as for the unit files: 37 files import in 6 s instead of 38 s.
          // No test mocks or stubs anything; the process-wide state of src (the embedded server's lock files
          // and their exit hook) is the same one a file already shares between its tests.
          isolate: false,
          // after the unit files (a group of its own: with another project's worker count, one group would not do)
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
