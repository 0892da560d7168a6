export { DEFAULT_JOBS } from './default-jobs.js';
export { LoadAborted, runLoad } from './run.js';
