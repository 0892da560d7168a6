/**
 * Verify: does a schema hold what the scenario generates? Chunk checksums against the generator (./chunks.ts)
 * and the integrity checks, named SQL queries over the loaded tables (./checks/, assembled in ./integrity.ts).
 */
export { exceptBoth, type IntegrityCheck } from './check.js';
export { type ChunkVerdict, verifyChunks } from './chunks.js';
export { checksOnAPart, integrityChecks, retiredBounds } from './integrity.js';
export {
  countSql,
  type IntegrityResult,
  runIntegrityChecks,
  runIntegrityChecksConcurrently,
} from './run-checks.js';
