export { DEFAULT_JOBS } from './default-jobs.js';
export {
  copySql,
  isTransient,
  LoadAborted,
  type LoadOptions,
  type LoadTarget,
  type Progress,
  runLoad,
} from './run.js';
export { prepareSchema, windowPartitions } from './schema.js';
export type { ChunkResult, LoadSummary, TableTotals } from './stats.js';
