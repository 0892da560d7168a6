/**
 * Planner settings for our whole-table queries (gen verify's checks, the data profile of a report): set
 * operations and aggregates over whole partitions, meant to run as one pass with hash joins.
 *
 * enable_nestloop off: a row estimate of 2 where there are 100,000 (a join filter on a window function's
 * output) made PostgreSQL 15 pick a nested loop probing shop_product's index per row: 364 s for 3 hours of
 * black-friday, 11 s without it (measured 1 December 2026). The data profile after a `--no-analyze` load at
 * `--scale 5` (nothing analyzed but what autovacuum got to) ran its top-products query for more than 20
 * minutes once (4 December; 3.9-4.9 s in three other such loads, 5.0 s with this setting). It is a cost penalty,
 * not a ban: a join with no equality condition still runs as a nested loop.
 *
 * jit off: up to PostgreSQL 17 that penalty is 1e10 added to the plan's cost, far above jit_above_cost,
 * jit_inline_above_cost and jit_optimize_above_cost (the server's defaults), so a server built with LLVM
 * (Debian's PostgreSQL 15) compiled every check with inlining and full optimization: 7 to 18 s of compilation
 * per query (summed over its workers), more than the query itself. On 15, black-friday 24 h: leaf-bounds
 * 7.4 s -> 1.3 s, metrics:user_metrics_hourly 9.0 s -> 3.1 s, the whole gen verify 79.9 s -> 54.5 s (measured
 * 1 December 2026). PostgreSQL 18 counts disabled nodes apart from the cost, and the embedded server has no
 * JIT at all. These are a few dozen long queries: compiling them to machine code pays nowhere.
 */
export const ONE_PASS_SETTINGS: readonly string[] = ['enable_nestloop = off', 'jit = off'];
