export { runQueryCommand } from './command.js';
export type { Percentiles } from './latencies.js';
export { writePgbenchSuite } from './pgbench.js';
export { loadSuite, selectQueries } from './suite.js';
export type { Arrivals, QueryReport } from './types.js';
export { ARRIVALS, DEFAULT_DURATION_MS, runWorkload } from './workload.js';
