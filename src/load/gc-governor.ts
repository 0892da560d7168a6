/**
 * Garbage collected before it piles up (issue 9 §2, peak RSS). The generator drops arrays as it goes (an hour's
 * orders, a day's metric scratch, spent sets); V8 collects its old generation only when that heap or the memory
 * outside it (array buffers, counted against a limit of its own) has grown by tens of MB since the last full
 * collection, so with four chunks generated side by side the dead arrays and objects waited: `gen --out` of
 * black-friday `--scale 5` peaked at 270-276 MB (48 h and 168 h) while what was reachable was ~110 MB (heap
 * snapshot at 168 h: 75 MB of array buffers, 33 MB of heap) and dead array buffers reached 50 MB beside it.
 *
 * Every few Buffers of output: when the heap used plus the array buffers have grown by GROWTH_BYTES since the
 * last look after a collection, a full collection now (`gc`, exposed by bin/gen.js's `--expose-gc`). Where `gc`
 * is not exposed (the CLI's modules run in-process by tests or other programs) it does nothing. Measured
 * (black-friday `--scale 5`, `--out`, 4 jobs): 48 h, 6 collections, 168 ms in all, peak RSS 274-276 -> 218 MB;
 * 168 h 268-274 -> 249-255 MB (README, memory round 8). 16 or 12 MB instead of 24 gave the same peaks (16: 252 MB
 * at 168 h; 12: 217 MB at 48 h for 26 collections). No row depends on it.
 */

import { getHeapStatistics } from 'node:v8';

/** growth of heap used + array buffers since the last collection that triggers one */
export const GROWTH_BYTES = 24 * 2 ** 20;

/** look at the memory every this many Buffers */
const EVERY = 4;

interface GovernorState {
  /** heap used + array buffers after the last collection seen; -1 before the first look */
  base: number;
  calls: number;
  collections: number;
  ms: number;
}

const state: GovernorState = { base: -1, calls: 0, collections: 0, ms: 0 };

type Collect = () => void;

/** `gc` when node runs with --expose-gc */
function exposedGc(): Collect | undefined {
  const g = (globalThis as { gc?: unknown }).gc;
  return typeof g === 'function' ? (g as Collect) : undefined;
}

/**
 * The heap used plus the memory outside it (array buffers, most of it). Not process.memoryUsage(): inside a
 * load it took ~0.4-0.6 ms a call (it reads the RSS and more), ~4% of a black-friday 24 h load's client CPU at
 * one call every 4 Buffers; V8's own statistics take ~20 µs.
 */
const usage = (): number => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

/**
 * One step of the governor. `collect` and `measure` are for tests; by default the exposed gc and
 * V8's heap statistics.
 */
export function governMemory(
  collect: Collect | undefined = exposedGc(),
  measure: () => number = usage,
): void {
  if (collect === undefined || ++state.calls % EVERY !== 0) return;
  const now = measure();
  // V8 collected by itself (or this is the first look): that is the new base
  if (state.base < 0 || now < state.base) {
    state.base = now;
    return;
  }
  if (now - state.base < GROWTH_BYTES) return;
  const t = performance.now();
  collect();
  state.ms += performance.now() - t;
  state.collections++;
  state.base = measure();
}

/** collections the governor asked for so far in this process, and the time they took */
export function governorStats(): { collections: number; ms: number } {
  return { collections: state.collections, ms: state.ms };
}

/** for tests: forget what was seen */
export function resetGovernor(): void {
  state.base = -1;
  state.calls = 0;
  state.collections = 0;
  state.ms = 0;
}
