export { runQueryCommand } from './command.js';
export { requireQueryable } from './explain.js';
export type { Percentiles } from './latencies.js';
export { writePgbenchSuite } from './pgbench.js';
export { loadSuite, selectQueries } from './suite.js';
export { ARRIVALS, type Arrivals, type QueryReport } from './types.js';
export { DEFAULT_DURATION_MS, runWorkload } from './workload.js';
