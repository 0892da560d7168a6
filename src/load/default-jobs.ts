import { availableParallelism } from 'node:os';

/**
 * Default parallelism: two chunks per core (at most 8). The client's own work (generating, hashing, framing)
 * runs on one thread between the server's COPYs; with more streams than cores the backends are never left
 * waiting for it (measured on 2 cores: 4 streams load 3.1M rows in 12.0 s, 2 streams in 14.0 s).
 */
export const DEFAULT_JOBS = Math.min(8, 2 * availableParallelism());
