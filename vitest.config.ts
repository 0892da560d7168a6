import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // no database, no network, no other program: runs anywhere in seconds
        // a generous limit: it catches a hang, not slowness (a busy 2-core CI machine runs the fuzz test for seconds)
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 },
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
        },
      },
    ],
  },
});
