export { runQueryCommand } from './command.js';
export type { Percentiles } from './latencies.js';
export type { QueryReport } from './types.js';
export { runWorkload } from './workload.js';
