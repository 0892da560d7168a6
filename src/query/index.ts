export { type Catalog, type Leaf, readCatalog, type TablePartitions, type TimeRange } from './catalog.js';
export { type QueryCommandOptions, type QueryCommandResult, runQueryCommand } from './command.js';
export { checkPruning, type PruningOptions, type QueryCheck, type TablePruning } from './explain.js';
export { Latencies, type Percentiles, percentiles } from './latencies.js';
export { loadSuite, type Params, QUERY_DIR, type Query } from './suite.js';
export type { PlanCheck, QueryReport, QueryResult } from './types.js';
export { DEFAULT_DURATION_MS, runWorkload, type WorkloadOptions } from './workload.js';
