import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a throwaway embedded server (or uses DATABASE_URL / PG*) and provides its URL as 'databaseUrl'.
    globalSetup: ['test/integration/global-setup.ts'],
    // initdb + start take ~2 s, a big COPY much longer; the default 5 s would flake on a busy CI machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // All files share one database; they isolate themselves by schema name, but parallel files would
    // compete for the same server and make timings meaningless.
    fileParallelism: false,
  },
});
